package dev.loomcrawl.fetch;

/**
 * One HTTP response as the crawler keeps it. Statuses of every kind are data here; only transport failures are
 * exceptions.
 *
 * @param status the HTTP status code
 * @param headers the response header fields
 * @param body the body after content decoding (gzip, deflate), at most the fetcher's body limit
 * @param length how many bytes of {@code body} are valid
 * @param truncated whether the body was cut at the limit
 */
public record FetchResponse(int status, Headers headers, byte[] body, int length, boolean truncated) {

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
