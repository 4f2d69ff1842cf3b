package dev.loomcrawl.internal.fetch;

import java.net.ProxySelector;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * How requests are made.
 *
 * @param userAgent the User-Agent header sent with every request
 * @param connectTimeout the limit on opening a connection
 * @param firstByteTimeout the limit between sending a request and the first byte of its response
 * @param idleTimeout the limit on a silence between two reads of a response, so a trickle is cut off
 * @param requestTimeout the limit on one whole request, headers and body
 * @param maxBodyBytes the body limit after decoding; the rest is not read and the response is marked truncated
 * @param proxy the proxy selector, or {@code null} for direct connections
 * @param tls whom https trusts; {@code null} for the JDK's default trust
 * @param privateHeaders headers (custom ones, cookies, credentials) for some URLs only
 * @param captureRaw whether responses keep the request and response bytes as exchanged (for a WARC archive)
 * @param addressGuard which addresses may not be connected to
 * @param requestSlots slots for requests in flight shared with other crawls, or {@code null} for none
 */
public record FetchSettings(String userAgent, Duration connectTimeout, Duration firstByteTimeout,
                            Duration idleTimeout, Duration requestTimeout, int maxBodyBytes, ProxySelector proxy,
                            TlsTrust tls, PrivateHeaders privateHeaders, boolean captureRaw,
                            AddressGuard addressGuard, RequestSlots requestSlots) {

    /** The Accept header of every request: HTML first, anything else after. */
    static final String ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";

    /**
     * The product token of the user agent, lower case, as robots.txt groups name it: {@code mybot} for
     * {@code MyBot/2.0 (+https://example.com/bot)}; {@code loomcrawl} when the agent starts with no name.
     */
    public String robotsAgent() {
        int end = 0;
        while (end < userAgent.length() && "/ ;(".indexOf(userAgent.charAt(end)) < 0) {
            end++;
        }
        return end == 0 ? "loomcrawl" : userAgent.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    }

    /** Settings that keep no raw bytes. */
    public FetchSettings(String userAgent, Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout,
                         Duration requestTimeout, int maxBodyBytes, ProxySelector proxy, TlsTrust tls,
                         PrivateHeaders privateHeaders) {
        this(userAgent, connectTimeout, firstByteTimeout, idleTimeout, requestTimeout, maxBodyBytes, proxy, tls,
                privateHeaders, false, AddressGuard.NONE, null);
    }

    /**
     * Header fields sent only to the URLs {@code to} accepts: the crawl's own host, never another one, not even
     * after a redirect.
     *
     * @param to which URLs get the headers
     * @param namesAndValues name, value, name, value, ...
     */
    public record PrivateHeaders(Predicate<String> to, List<String> namesAndValues) {
        public static final PrivateHeaders NONE = new PrivateHeaders(url -> false, List.of());

        public PrivateHeaders {
            namesAndValues = List.copyOf(namesAndValues);
            if (namesAndValues.size() % 2 != 0) {
                throw new IllegalArgumentException("headers come in name/value pairs");
            }
        }

        /** The fields for {@code url}: all or none. */
        public List<String> forUrl(String url) {
            return namesAndValues.isEmpty() || !to.test(url) ? List.of() : namesAndValues;
        }
    }

    public FetchSettings {
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalArgumentException("userAgent must not be blank");
        }
        positive("connectTimeout", connectTimeout);
        positive("firstByteTimeout", firstByteTimeout);
        positive("idleTimeout", idleTimeout);
        positive("requestTimeout", requestTimeout);
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
        }
        if (privateHeaders == null) {
            privateHeaders = PrivateHeaders.NONE;
        }
        if (addressGuard == null) {
            addressGuard = AddressGuard.NONE;
        }
        if (tls == null) {
            tls = TlsTrust.jdkDefaults();
        }
    }

    /**
     * The same settings for one crawl: these private headers, and the host they go to (the start URL's) exempt from
     * the address guard; and this choice about raw bytes.
     */
    public FetchSettings with(PrivateHeaders headers, boolean raw) {
        return new FetchSettings(userAgent, connectTimeout, firstByteTimeout, idleTimeout, requestTimeout, maxBodyBytes,
                proxy, tls, headers, raw, addressGuard.exempting(headers.to()), requestSlots);
    }

    /** The same settings, with this address guard. */
    public FetchSettings with(AddressGuard guard) {
        return new FetchSettings(userAgent, connectTimeout, firstByteTimeout, idleTimeout, requestTimeout, maxBodyBytes,
                proxy, tls, privateHeaders, captureRaw, guard, requestSlots);
    }

    /** The same settings, each request holding one of {@code slots} (shared with other crawls), or none when null. */
    public FetchSettings with(RequestSlots slots) {
        return new FetchSettings(userAgent, connectTimeout, firstByteTimeout, idleTimeout, requestTimeout, maxBodyBytes,
                proxy, tls, privateHeaders, captureRaw, addressGuard, slots);
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
