package dev.loomcrawl;

import java.util.List;

/**
 * What the crawl learned about one URL it requested. HTTP statuses of every kind, robots and timeouts are
 * outcomes recorded here, not exceptions.
 *
 * @param url the normalized URL requested
 * @param depth the breadth-first link depth from the start URL (0 for the start)
 * @param parent the URL of the page that first links here in breadth-first order; {@code null} for the start
 * @param status the HTTP status, or 0 when no response arrived (see {@code error})
 * @param contentType the Content-Type header, or {@code null}
 * @param bytes the body size after content decoding
 * @param fetchMillis how long the request took
 * @param redirect the resolved Location of a 3xx response, or {@code null}
 * @param error {@code null}, or a short reason: {@code timeout}, {@code connection refused}, {@code too many
 *     redirects}, ...
 * @param links the distinct http(s) links of an HTML page, normalized, in document order (empty otherwise)
 * @param truncated whether the body was cut at the size limit
 */
public record PageResult(String url, int depth, String parent, int status, String contentType, long bytes,
                         long fetchMillis, String redirect, String error, List<String> links, boolean truncated) {

    public PageResult {
        if (url == null) {
            throw new IllegalArgumentException("url must not be null");
        }
        links = List.copyOf(links);
    }

    /** Whether a response arrived. */
    public boolean hasResponse() {
        return status != 0;
    }

    /** The same result placed in breadth-first order. */
    PageResult at(int depth, String parent) {
        return new PageResult(url, depth, parent, status, contentType, bytes, fetchMillis, redirect, error, links,
                truncated);
    }
}
