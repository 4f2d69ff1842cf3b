package dev.loomcrawl.internal.fetch;

import java.io.IOException;

/**
 * Makes GET requests. Redirects are not followed: a 3xx is returned like any response, because the engine treats
 * each hop as a URL of its own. Safe for concurrent use by many virtual threads; an interrupt cancels a request
 * in flight with {@link InterruptedException}.
 */
public interface HttpFetcher extends AutoCloseable {

    /**
     * Fetches a normalized http(s) URL.
     *
     * @throws IOException when no response arrives (refused, reset, timed out, TLS failure)
     * @throws InterruptedException when the calling thread is interrupted
     */
    FetchResponse get(String url) throws IOException, InterruptedException;

    /**
     * Asks for the headers of a normalized http(s) URL with a HEAD request; the response has no body.
     *
     * @throws IOException when no response arrives
     * @throws InterruptedException when the calling thread is interrupted
     */
    FetchResponse head(String url) throws IOException, InterruptedException;

    /** Closes pooled connections; requests in flight fail. */
    @Override
    void close();

    /**
     * The fetcher loomcrawl uses: the lean HTTP/1.1 client, over TLS for https, for every request that goes
     * direct, and the JDK's {@code java.net.http} client for requests through a proxy. Why: see
     * {@code docs/benchmarks.md}.
     */
    static HttpFetcher create(FetchSettings settings) {
        return new RoutingFetcher(settings);
    }
}
