package dev.loomcrawl.internal.tally;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.Slowdown;
import dev.loomcrawl.crawl.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The counts of a crawl's summary, kept by one rule whether they are counted live, page by page, by the crawl's
 * output writer, or read back from a store's aggregates: pages by HTTP status, pages without a response (errors),
 * bytes, and URLs never requested by reason (every URL-space cap counted as one {@value #PATTERN_CAP}). One owner;
 * not thread-safe.
 */
public final class Tally {

    /** The reason all URL-space caps are counted under (their own reasons name the pattern). */
    public static final String PATTERN_CAP = "pattern cap";

    private long pages;
    private long errors;
    private long bytes;
    private final SortedMap<Integer, Long> statuses = new TreeMap<>();
    private final SortedMap<String, Long> exclusions = new TreeMap<>();

    /**
     * Counts {@code count} pages of one status and their bytes.
     *
     * @param status the HTTP status, or 0 for pages that got no response (counted as errors)
     */
    public void pages(int status, long count, long bytes) {
        this.pages += count;
        this.bytes += bytes;
        if (status == 0) {
            errors += count;
        } else {
            statuses.merge(status, count, Long::sum);
        }
    }

    /** Counts {@code count} URLs never requested for {@code reason}. */
    public void excluded(String reason, long count) {
        exclusions.merge(reason.startsWith(PATTERN_CAP) ? PATTERN_CAP : reason, count, Long::sum);
    }

    /** URLs never requested, by reason. */
    public SortedMap<String, Long> exclusions() {
        return exclusions;
    }

    /**
     * The summary of a crawl with these counts.
     *
     * @param robotsOutcome why robots.txt excluded URLs, or {@code null}
     * @param sitemaps what the sitemaps gave, or {@code null} when they were not read
     */
    public CrawlSummary summary(String startUrl, String robotsOutcome, int peakInFlight, Duration elapsed,
                                StopReason stopReason, List<Slowdown> slowdowns, int slowdownCount,
                                CrawlSummary.Sitemaps sitemaps, Instant started) {
        return new CrawlSummary(startUrl, pages, errors, statuses, bytes, exclusions, robotsOutcome, peakInFlight,
                elapsed, stopReason, slowdowns, slowdownCount, sitemaps, started);
    }
}
