package dev.loomcrawl.fetch;

import java.net.ProxySelector;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How requests are made.
 *
 * @param userAgent the User-Agent header sent with every request
 * @param connectTimeout the limit on opening a connection
 * @param requestTimeout the limit on one whole request, headers and body
 * @param maxBodyBytes the body limit after decoding; the rest is not read and the response is marked truncated
 * @param proxy the proxy selector, or {@code null} for direct connections
 * @param sslContext the TLS context, or {@code null} for the JDK's default trust
 */
public record FetchSettings(String userAgent, Duration connectTimeout, Duration requestTimeout, int maxBodyBytes,
                            ProxySelector proxy, SSLContext sslContext) {

    public FetchSettings {
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalArgumentException("userAgent must not be blank");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
        }
    }
}
