package dev.loomcrawl.internal.fetch;

/**
 * One HTTP response as the crawler keeps it. Statuses of every kind are data here; only transport failures are
 * exceptions.
 *
 * @param status the HTTP status code
 * @param headers the response header fields
 * @param body the body after content decoding (gzip, deflate), at most the fetcher's body limit
 * @param length how many bytes of {@code body} are valid
 * @param truncated whether the body was cut at the limit
 * @param raw the request and response as exchanged, when the fetcher was asked to keep them; else {@code null}
 */
public record FetchResponse(int status, Headers headers, byte[] body, int length, boolean truncated, Raw raw) {

    /**
     * The bytes of one exchange, as a WARC archive keeps them.
     *
     * @param request the request as sent
     * @param response the response as received (status line, headers, body as transferred, up to the body limit);
     *     over java.net.http, rebuilt as an HTTP/1.1 message from what the client exposes
     */
    public record Raw(byte[] request, byte[] response) {}

    /** A response without raw bytes. */
    public FetchResponse(int status, Headers headers, byte[] body, int length, boolean truncated) {
        this(status, headers, body, length, truncated, null);
    }

    /** The same response with its raw bytes. */
    public FetchResponse withRaw(Raw raw) {
        return new FetchResponse(status, headers, body, length, truncated, raw);
    }

    public FetchResponse {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must be 100..999, was " + status);
        }
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length must be 0.." + body.length + ", was " + length);
        }
    }

    /** The Content-Type header, or {@code null}. */
    public String contentType() {
        return headers.first("Content-Type");
    }
}
