package dev.loomcrawl;

import dev.loomcrawl.engine.StopReason;
import java.time.Duration;
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
 * @param excludedByRobots URLs found but not requested because robots.txt disallows them
 * @param peakInFlight the most requests that were in flight at once
 * @param elapsed the crawl's wall-clock time
 * @param stopReason why the crawl ended
 */
public record CrawlSummary(String startUrl, long pages, long errors, SortedMap<Integer, Long> statuses, long bytes,
                           long excludedByRobots, int peakInFlight, Duration elapsed, StopReason stopReason) {

    public CrawlSummary {
        statuses = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(statuses));
    }

    /** Pages per second over the whole crawl. */
    public double pagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? pages / seconds : 0;
    }
}
