package dev.loomcrawl.crawl;

import java.util.List;

/**
 * What the crawl learned about one URL it requested. HTTP statuses of every kind, robots and timeouts are
 * outcomes recorded here, not exceptions.
 *
 * @param url the normalized URL requested
 * @param depth the breadth-first link depth from the start URL (0 for the start, and for a sitemap URL no link
 *     reaches)
 * @param parent the URL of the page that first links here in breadth-first order; {@code null} for the start and
 *     for a sitemap URL no link reaches
 * @param status the HTTP status, or 0 when no response arrived (see {@code error})
 * @param contentType the Content-Type header, or {@code null}
 * @param bytes the body size after content decoding
 * @param fetchMillis how long the last request took
 * @param redirect the resolved Location of a 3xx response, or {@code null}
 * @param error {@code null}, or a short reason: {@code connect timeout}, {@code first byte timeout},
 *     {@code idle timeout}, {@code request timeout}, {@code connection refused}, {@code connection reset},
 *     {@code too many redirects}, ...
 * @param links the distinct http(s) links of an HTML page, normalized, in document order (empty otherwise)
 * @param truncated whether the body was cut at the size limit
 * @param attempts how many requests were made for this URL (more than 1 after retries)
 * @param noindex whether a robots meta tag or {@code X-Robots-Tag} says {@code noindex}
 * @param nofollow whether a robots meta tag or {@code X-Robots-Tag} says {@code nofollow}
 * @param nofollowLinks those of {@code links} marked {@code rel="nofollow"}
 * @param source how the crawl found the URL
 * @param inSitemap whether the site's sitemaps list the URL; {@code null} when sitemaps were not read
 * @param content the main content of a 2xx HTML page when the crawl extracts content; {@code null} otherwise
 */
public record PageResult(String url, int depth, String parent, int status, String contentType, long bytes,
                         long fetchMillis, String redirect, String error, List<String> links, boolean truncated,
                         int attempts, boolean noindex, boolean nofollow, List<String> nofollowLinks, Source source,
                         Boolean inSitemap, PageContent content) {

    /** How the crawl found a URL. */
    public enum Source {
        /** The start URL. */
        START,
        /** A link on a crawled page. */
        LINK,
        /** The Location of a redirect. */
        REDIRECT,
        /** A sitemap, and no link from the start reaches it (an orphan). */
        SITEMAP
    }

    public PageResult {
        if (url == null) {
            throw new IllegalArgumentException("url must not be null");
        }
        links = List.copyOf(links);
        nofollowLinks = List.copyOf(nofollowLinks);
    }

    /** A result without content. */
    public PageResult(String url, int depth, String parent, int status, String contentType, long bytes,
                      long fetchMillis, String redirect, String error, List<String> links, boolean truncated,
                      int attempts, boolean noindex, boolean nofollow, List<String> nofollowLinks, Source source,
                      Boolean inSitemap) {
        this(url, depth, parent, status, contentType, bytes, fetchMillis, redirect, error, links, truncated, attempts,
                noindex, nofollow, nofollowLinks, source, inSitemap, null);
    }

    /** Whether a response arrived. */
    public boolean hasResponse() {
        return status != 0;
    }

    /** Whether the Content-Type says HTML. */
    public boolean isHtml() {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("html");
    }

    /** The same result placed in breadth-first order: at {@code depth}, first linked from {@code parent}. */
    public PageResult placedAt(int depth, String parent, Source source, Boolean inSitemap) {
        return new PageResult(url, depth, parent, status, contentType, bytes, fetchMillis, redirect, error, links,
                truncated, attempts, noindex, nofollow, nofollowLinks, source, inSitemap, content);
    }

    /** The same result with {@code content}. */
    public PageResult withContent(PageContent content) {
        return new PageResult(url, depth, parent, status, contentType, bytes, fetchMillis, redirect, error, links,
                truncated, attempts, noindex, nofollow, nofollowLinks, source, inSitemap, content);
    }
}
