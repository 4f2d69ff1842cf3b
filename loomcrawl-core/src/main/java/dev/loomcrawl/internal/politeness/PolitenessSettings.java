package dev.loomcrawl.internal.politeness;

import java.time.Duration;

/**
 * How gently a crawl treats each host.
 *
 * @param perHost requests in flight to one host at once, 1 to 4096; the adaptive limit never rises above it
 * @param delay the least time between the starts of two requests to one host; {@code null} when the user set
 *     none, so that robots.txt {@code Crawl-delay} applies
 * @param rate the most requests per second to one host; 0 for no cap
 * @param maxCrawlDelay the most a robots.txt {@code Crawl-delay} is honored for; longer ones are cut to it
 * @param maxRetryAfter the longest pause a {@code Retry-After} header can impose on a host
 * @param adaptive whether 429/503 responses and rising latency lower a host's concurrency (AIMD)
 * @param machineLoad whether this machine is saturated, when rising latency does not count
 */
public record PolitenessSettings(int perHost, Duration delay, double rate, Duration maxCrawlDelay,
                                 Duration maxRetryAfter, boolean adaptive, MachineLoad machineLoad) {

    /** The most a robots.txt Crawl-delay is honored for, unless configured otherwise. */
    public static final Duration DEFAULT_MAX_CRAWL_DELAY = Duration.ofSeconds(30);
    /** The longest pause a Retry-After header imposes, unless configured otherwise. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(2);

    /** Settings that judge rising latency against this machine's real load. */
    public PolitenessSettings(int perHost, Duration delay, double rate, Duration maxCrawlDelay, Duration maxRetryAfter,
                              boolean adaptive) {
        this(perHost, delay, rate, maxCrawlDelay, maxRetryAfter, adaptive, MachineLoad.system());
    }

    public PolitenessSettings {
        java.util.Objects.requireNonNull(machineLoad, "machineLoad");
        if (perHost < 1 || perHost > 4096) {
            throw new IllegalArgumentException("perHost must be 1..4096, was " + perHost);
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be 0 (no cap) or a positive number of requests per second, was " + rate);
        }
        if (maxCrawlDelay.isNegative() || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxCrawlDelay and maxRetryAfter must not be negative");
        }
    }

    /** The least time between request starts to a host, given its robots.txt Crawl-delay (or {@code null}). */
    long intervalNanos(Duration crawlDelay) {
        long interval = 0;
        if (delay != null) {
            interval = delay.toNanos();
        } else if (crawlDelay != null) {
            interval = Math.min(crawlDelay.toNanos(), maxCrawlDelay.toNanos());
        }
        if (rate > 0) {
            interval = Math.max(interval, (long) (1e9 / rate));
        }
        return interval;
    }
}
