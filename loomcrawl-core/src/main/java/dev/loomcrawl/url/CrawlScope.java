package dev.loomcrawl.url;

/**
 * Which URLs a crawl may request: those on the start URL's hostname (compared case-insensitively, so
 * {@code localhost} is not {@code 127.0.0.1}), over http or https, on the start URL's port. A start URL on its
 * scheme's default port admits both schemes on their default ports; a start URL with an explicit port admits only
 * that port.
 *
 * @param host the lower-case hostname of the start URL
 * @param port the start URL's explicit port, or -1 when it uses its scheme's default port
 */
public record CrawlScope(String host, int port) {

    public CrawlScope {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("scope host must not be empty");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("scope port must be -1 (default) or 0..65535, was " + port);
        }
    }

    /** The scope of a crawl that starts at {@code normalizedStartUrl} (see {@link UrlNormalizer}). */
    public static CrawlScope of(String normalizedStartUrl) {
        Authority a = Authority.of(normalizedStartUrl);
        if (a == null) {
            throw new IllegalArgumentException("not a normalized http(s) URL: " + normalizedStartUrl);
        }
        return new CrawlScope(a.host, a.port);
    }

    /** Whether a normalized URL is in this scope. */
    public boolean contains(String normalizedUrl) {
        Authority a = Authority.of(normalizedUrl);
        return a != null && a.port == port && a.host.equals(host);
    }

    /** Host and explicit port of a normalized URL. */
    private record Authority(String host, int port) {
        static Authority of(String url) {
            int start;
            if (url.startsWith("http://")) {
                start = 7;
            } else if (url.startsWith("https://")) {
                start = 8;
            } else {
                return null;
            }
            int end = url.indexOf('/', start);
            if (end < 0) {
                end = url.length();
            }
            int at = url.lastIndexOf('@', end - 1);
            if (at >= start) {
                start = at + 1;
            }
            int bracket = url.lastIndexOf(']', end - 1);
            int colon = url.lastIndexOf(':', end - 1);
            if (colon < start || colon < bracket) {
                return new Authority(url.substring(start, end), -1);
            }
            try {
                return new Authority(url.substring(start, colon), Integer.parseInt(url, colon + 1, end, 10));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
