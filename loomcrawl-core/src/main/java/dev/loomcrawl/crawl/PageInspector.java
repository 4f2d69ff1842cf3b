package dev.loomcrawl.crawl;

/**
 * Sees more of a crawl than its {@link PageSink}: each URL it admits (to be requested, unless a limit stops the
 * crawl first), each URL it chose not to request, and each HTML page's body as it arrives. Called on the crawl's fetching threads, concurrently and in no particular order: an
 * inspector must be thread-safe, fast, and never throw. The link checker is one.
 */
public interface PageInspector {

    /** A 2xx HTML page's body, as fetched ({@code length} valid bytes). */
    default void page(String url, byte[] body, int length, String contentType) {
    }

    /** A URL in scope the crawl will request (a progress bar counts these as discovered). */
    default void admitted(String url) {
    }

    /** A URL in scope that will not be requested, and why: {@code robots}, {@code url too long}, ... */
    default void excluded(String url, String reason) {
    }
}
