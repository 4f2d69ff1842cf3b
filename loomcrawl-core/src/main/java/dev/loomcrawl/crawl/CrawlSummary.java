package dev.loomcrawl.crawl;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The totals of a finished crawl, an immutable snapshot.
 *
 * @param startUrl the normalized start URL
 * @param pages the URLs requested and reported
 * @param errors the pages with no response (see {@link PageResult#error()})
 * @param statuses how many pages had each HTTP status
 * @param bytes the body bytes received, after decoding
 * @param excluded URLs found but not requested, by reason: {@code robots}, {@code url too long},
 *     {@code repeating path}, {@code pattern cap}
 * @param robotsOutcome when robots.txt excluded URLs, what fetching it came to (such as {@code robots.txt
 *     answered 500: nothing allowed}); else {@code null}
 * @param peakInFlight the most requests that were in flight at once
 * @param elapsed the crawl's wall-clock time
 * @param stopReason why the crawl ended
 * @param slowdowns when and why the crawl slowed down for a host, the first 100
 * @param slowdownCount how many slowdowns there were in all
 * @param sitemaps what the sitemaps showed, or {@code null} when they were not read
 * @param started when the crawl began (a resumed crawl: when its first run began)
 */
public record CrawlSummary(String startUrl, long pages, long errors, SortedMap<Integer, Long> statuses, long bytes,
                           SortedMap<String, Long> excluded, String robotsOutcome, int peakInFlight, Duration elapsed,
                           StopReason stopReason, List<Slowdown> slowdowns, int slowdownCount, Sitemaps sitemaps,
                           Instant started) {

    /**
     * The sitemaps against the crawl.
     *
     * @param read sitemap files read
     * @param failed sitemap files that could not be fetched or parsed
     * @param listed URLs in scope that the sitemaps list
     * @param orphans listed URLs no link reached (crawled from the sitemap)
     * @param notListed HTML pages (200) reached by links that no sitemap lists
     */
    public record Sitemaps(int read, int failed, int listed, long orphans, long notListed) {}

    public CrawlSummary {
        statuses = Collections.unmodifiableSortedMap(new TreeMap<>(statuses));
        excluded = Collections.unmodifiableSortedMap(new TreeMap<>(excluded));
        slowdowns = List.copyOf(slowdowns);
    }

    /** This summary with another stop reason: a run cut short after its crawl ended, say. */
    public CrawlSummary withStopReason(StopReason reason) {
        return new CrawlSummary(startUrl, pages, errors, statuses, bytes, excluded, robotsOutcome, peakInFlight, elapsed,
                reason, slowdowns, slowdownCount, sitemaps, started);
    }

    /** Pages per second over the whole crawl. */
    public double pagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? pages / seconds : 0;
    }

    /** URLs found but not requested, for any reason. */
    public long excludedCount() {
        return excluded.values().stream().mapToLong(Long::longValue).sum();
    }
}
