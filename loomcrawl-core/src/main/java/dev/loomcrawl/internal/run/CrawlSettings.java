package dev.loomcrawl.internal.run;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.engine.Limits;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.links.LinkExtractor;
import dev.loomcrawl.internal.links.PageOccurrences;
import dev.loomcrawl.internal.politeness.Backoff;
import dev.loomcrawl.internal.politeness.PolitenessSettings;
import dev.loomcrawl.internal.url.CrawlScope;
import dev.loomcrawl.internal.url.UrlFilter;
import dev.loomcrawl.internal.url.UrlSpace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Everything a crawl is told, as the crawler's builder produces it: immutable, validated once here, and shared by
 * every crawl of one crawler.
 *
 * @param limits concurrency, depth, page and time limits
 * @param fetch how requests are made (the start host's private headers are added per crawl)
 * @param respectRobots whether robots.txt rules and Crawl-delay are obeyed
 * @param politeness per-host concurrency, delay, rate and adaptive slowdown
 * @param backoff retries of transient failures
 * @param ticker the clock of every wait and measure
 * @param filter include, exclude and path-prefix rules (the start URL is crawled whatever they say)
 * @param maxUrlLength URLs longer than this are not requested
 * @param maxPerPattern the most URLs requested per URL pattern
 * @param subdomains whether subdomains of the start host are in scope
 * @param respectNofollow whether links marked nofollow are skipped
 * @param sitemaps whether the site's sitemaps are read
 * @param privateHeaders header names and values, alternating, sent to the start host only
 * @param stallAfter how long without progress, while busy, makes a stall
 * @param threadDumps whether a stall report carries a dump of every thread
 * @param watchdogListener receives stall and deadlock reports
 * @param inspectors see each admitted or excluded URL and each HTML page's body
 * @param readyInMemory with a store, the most URLs ready to visit held in memory
 * @param warc the first WARC file, or {@code null} for no archive
 * @param warcMaxBytes the size at which the WARC archive rotates
 * @param occurrences receives each HTML page's links as they stand, or {@code null}: a link checker's tap
 * @param content how each 2xx HTML page's main content is extracted, or {@code null} for none
 */
public record CrawlSettings(Limits limits, FetchSettings fetch, boolean respectRobots, PolitenessSettings politeness,
                            Backoff backoff, Ticker ticker, UrlFilter filter, int maxUrlLength, int maxPerPattern,
                            boolean subdomains, boolean respectNofollow, boolean sitemaps, List<String> privateHeaders,
                            Duration stallAfter, boolean threadDumps, Consumer<StallReport> watchdogListener,
                            List<PageInspector> inspectors, int readyInMemory, Path warc, long warcMaxBytes,
                            OccurrenceTap occurrences, ContentFormat content) {

    /**
     * Where a link checker gets each 2xx HTML page's links as they stand, from the crawl's one reading of the page.
     * Called on the crawl's fetching threads, concurrently: the listener must be thread-safe, fast, and never throw.
     *
     * @param resources whether the resources a page loads are read as links too
     */
    public record OccurrenceTap(boolean resources, BiConsumer<String, PageOccurrences> listener) {
        public OccurrenceTap {
            Objects.requireNonNull(listener, "listener");
        }

        /** The reading of a page this tap needs. */
        public LinkExtractor.Reading reading() {
            return resources ? LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES : LinkExtractor.Reading.OCCURRENCES;
        }
    }

    public CrawlSettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(watchdogListener, "watchdogListener");
        new UrlSpace(maxUrlLength, maxPerPattern); // validates both
        if (stallAfter == null || stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive, was " + stallAfter);
        }
        if (warcMaxBytes < 1) {
            throw new IllegalArgumentException("warcMaxBytes must be positive, was " + warcMaxBytes);
        }
        if (readyInMemory < 1) {
            throw new IllegalArgumentException("readyInMemory must be positive, was " + readyInMemory);
        }
        privateHeaders = List.copyOf(privateHeaders);
        inspectors = List.copyOf(inspectors);
    }

    /** The scope of a crawl from {@code normalizedStart}. */
    public CrawlScope scopeOf(String normalizedStart) {
        return CrawlScope.of(normalizedStart, subdomains);
    }

    /** These settings with one more inspector and the given tap; these are left as they are. */
    public CrawlSettings with(PageInspector inspector, OccurrenceTap tap) {
        List<PageInspector> more = new ArrayList<>(inspectors);
        more.add(Objects.requireNonNull(inspector, "inspector"));
        return new CrawlSettings(limits, fetch, respectRobots, politeness, backoff, ticker, filter, maxUrlLength,
                maxPerPattern, subdomains, respectNofollow, sitemaps, privateHeaders, stallAfter, threadDumps,
                watchdogListener, more, readyInMemory, warc, warcMaxBytes, Objects.requireNonNull(tap, "tap"), content);
    }
}
