package dev.loomcrawl.internal.url;

/**
 * Which URLs a crawl may request: those on the start URL's hostname (compared case-insensitively, so
 * {@code localhost} is not {@code 127.0.0.1}), over http or https, on the start URL's port. A start URL on its
 * scheme's default port admits both schemes on their default ports; a start URL with an explicit port admits only
 * that port. Immutable.
 */
public final class CrawlScope {

    private final String host;
    private final int port;
    private final boolean subdomains;
    private final String httpPrefix;
    private final String httpsPrefix;

    /**
     * @param host the lower-case hostname
     * @param port the explicit port, or -1 for the schemes' default ports
     */
    private CrawlScope(String host, int port, boolean subdomains) {
        this.host = host;
        this.port = port;
        this.subdomains = subdomains;
        String authority = port == -1 ? host : host + ":" + port;
        this.httpPrefix = "http://" + authority;
        this.httpsPrefix = "https://" + authority;
    }

    /** The scope of a crawl that starts at {@code normalizedStartUrl} (see {@link UrlNormalizer}). */
    public static CrawlScope of(String normalizedStartUrl) {
        return of(normalizedStartUrl, false);
    }

    /**
     * The scope of a crawl from {@code normalizedStartUrl}; with {@code subdomains}, hosts under the start's host
     * ({@code blog.example.com} under {@code example.com}) are in it too, on the same port rule.
     */
    public static CrawlScope of(String normalizedStartUrl, boolean subdomains) {
        WebUrl a = WebUrl.parse(normalizedStartUrl);
        if (a == null || a.host().isEmpty()) {
            throw new IllegalArgumentException("not a normalized http(s) URL: " + normalizedStartUrl);
        }
        return new CrawlScope(a.host(), a.port(), subdomains);
    }

    /** Whether a normalized URL is in this scope. */
    public boolean contains(String normalizedUrl) {
        // a normalized URL spells an in-scope origin in one of two ways, unless it carries user info
        if (prefixed(normalizedUrl, httpPrefix) || prefixed(normalizedUrl, httpsPrefix)) {
            return true;
        }
        int slash = normalizedUrl.indexOf('/', 8);
        if (!subdomains && normalizedUrl.lastIndexOf('@', slash < 0 ? normalizedUrl.length() : slash) < 0) {
            return false;
        }
        WebUrl a = WebUrl.parse(normalizedUrl);
        return a != null && a.port() == port && (a.host().equals(host) || subdomains && a.host().endsWith("." + host));
    }

    private static boolean prefixed(String url, String prefix) {
        return url.startsWith(prefix) && (url.length() == prefix.length() || url.charAt(prefix.length()) == '/');
    }

    @Override
    public String toString() {
        return "CrawlScope[" + httpPrefix + ", " + httpsPrefix + "]";
    }

    /** Host and explicit port of a normalized URL. */
}
