package dev.loomcrawl.internal.robots;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.url.UrlNormalizer;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a site's sitemaps with crawler-commons: XML, text and RSS/Atom sitemaps, sitemap indexes (followed
 * breadth-first, each sitemap read once, at most {@value #MAX_SITEMAPS}), gzipped files. A sitemap that cannot be
 * fetched or parsed is skipped and counted. Not thread-safe: one crawl's setup uses it once.
 */
public final class SitemapReader {

    /** The most sitemap files read, indexes included. */
    public static final int MAX_SITEMAPS = 1000;

    /**
     * What the sitemaps list.
     *
     * @param urls the normalized URLs in scope, in sitemap order, each once
     * @param sitemapsRead the sitemap files read
     * @param failures the sitemap files that could not be fetched or parsed
     */
    public record Result(Set<String> urls, int sitemapsRead, int failures) {}

    private final RobotsPolicy.Source source;

    public SitemapReader(RobotsPolicy.Source source) {
        this.source = source;
    }

    /**
     * Reads the sitemaps at {@code locations} (as named by robots.txt; when none, {@code /sitemap.xml} of the
     * start URL's origin) and keeps the URLs {@code inScope} accepts.
     */
    public Result read(String startUrl, List<String> locations, Predicate<String> inScope) throws InterruptedException {
        ArrayDeque<String> queue = new ArrayDeque<>(locations.isEmpty()
                ? List.of(UrlNormalizer.origin(startUrl) + "/sitemap.xml") : locations);
        Set<String> visited = new HashSet<>();
        Set<String> urls = new LinkedHashSet<>();
        SiteMapParser parser = new SiteMapParser(false);
        int read = 0;
        int failures = 0;
        while (!queue.isEmpty() && visited.size() < MAX_SITEMAPS) {
            String location = UrlNormalizer.normalize(queue.poll());
            if (location == null || !visited.add(location)) {
                continue;
            }
            try {
                FetchResponse response = source.fetch(location);
                if (response.status() != 200) {
                    failures++;
                    continue;
                }
                byte[] content = Arrays.copyOf(response.body(), response.length());
                AbstractSiteMap map = parser.parseSiteMap(response.contentType(), content, URI.create(location).toURL());
                read++;
                if (map instanceof SiteMapIndex index) {
                    for (AbstractSiteMap child : index.getSitemaps()) {
                        queue.add(child.getUrl().toString());
                    }
                } else if (map instanceof SiteMap sitemap) {
                    for (SiteMapURL entry : sitemap.getSiteMapUrls()) {
                        String url = UrlNormalizer.normalize(entry.getUrl().toString());
                        if (url != null && inScope.test(url)) {
                            urls.add(url);
                        }
                    }
                }
            } catch (IOException | UnknownFormatException | IllegalArgumentException e) {
                failures++;
            }
        }
        return new Result(urls, read, failures);
    }

}
