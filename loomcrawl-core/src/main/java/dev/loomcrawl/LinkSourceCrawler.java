package dev.loomcrawl;

import dev.loomcrawl.internal.engine.CrawlEngine;
import dev.loomcrawl.internal.engine.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The crawl of LeetCode 1242 ("Web Crawler Multithreaded"): every URL on the start URL's hostname reachable through a {@link LinkSource},
 * found on the same engine as the HTTP {@link Crawler} (atomic seen-set, pending count, one scope of virtual
 * threads). Stateless.
 */
public final class LinkSourceCrawler {

    private LinkSourceCrawler() {}

    /**
     * The LeetCode 1242 contract: every URL with the start URL's hostname reachable from it through
     * {@code source}, the start included, found by {@value Limits#DEFAULT_CONCURRENCY} concurrent visits. URLs are
     * compared as given, without normalization. Order is unspecified.
     */
    public static List<String> crawl(String startUrl, LinkSource source) {
        return crawl(startUrl, source, Limits.DEFAULT_CONCURRENCY);
    }

    /** As {@link #crawl(String, LinkSource)}, with {@code concurrency} visits at once (1 is a serial crawl). */
    public static List<String> crawl(String startUrl, LinkSource source, int concurrency) {
        String host = hostOf(startUrl);
        Set<String> found = ConcurrentHashMap.newKeySet();
        CrawlEngine engine = new CrawlEngine(
                new Limits(concurrency, Integer.MAX_VALUE, Long.MAX_VALUE, null),
                url -> true,
                visit -> {
                    found.add(visit.url());
                    List<String> next = new ArrayList<>();
                    for (String url : source.urls(visit.url())) {
                        if (host.equals(hostOf(url))) {
                            next.add(url);
                        }
                    }
                    return CrawlEngine.Outcome.links(next);
                });
        engine.run(startUrl);
        return List.copyOf(found);
    }

    /** The hostname of a URL such as {@code http://news.yahoo.com/news}: between "//" and the next '/', ':' or '?'. */
    private static String hostOf(String url) {
        int start = url.indexOf("//");
        start = start < 0 ? 0 : start + 2;
        int end = start;
        while (end < url.length() && "/:?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end).toLowerCase(Locale.ROOT);
    }

}
