package dev.loomcrawl;

/**
 * Sees more of a crawl than its {@link PageSink}: each HTML page's body as it arrives, and each URL the crawl found
 * and chose not to request. Called on the crawl's fetching threads, concurrently and in no particular order: an
 * inspector must be thread-safe, fast, and never throw. The link checker is one.
 */
public interface PageInspector {

    /** A 2xx HTML page's body, as fetched ({@code length} valid bytes). */
    void page(String url, byte[] body, int length, String contentType);

    /** A URL in scope that will not be requested, and why: {@code robots}, {@code url too long}, ... */
    default void excluded(String url, String reason) {
    }
}
