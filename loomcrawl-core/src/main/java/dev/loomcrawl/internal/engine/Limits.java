package dev.loomcrawl.internal.engine;

import java.time.Duration;

/**
 * How far and how wide a crawl may go.
 *
 * @param concurrency requests in flight at once, 1 (serial) to 4096; default 16
 * @param maxDepth the deepest link level crawled, 0 (the start only) and up; {@link Integer#MAX_VALUE} for none
 * @param maxPages the most URLs requested, 1 and up; {@link Long#MAX_VALUE} for none
 * @param maxTime the wall-clock budget; when it runs out, what is in flight is cancelled; {@code null} for none
 */
public record Limits(int concurrency, int maxDepth, long maxPages, Duration maxTime) {

    public static final int DEFAULT_CONCURRENCY = 16;
    public static final int MAX_CONCURRENCY = 4096;

    public Limits {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be 1.." + MAX_CONCURRENCY + ", was " + concurrency);
        }
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be 0 or more, was " + maxDepth);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be 1 or more, was " + maxPages);
        }
        if (maxTime != null && (maxTime.isNegative() || maxTime.isZero())) {
            throw new IllegalArgumentException("maxTime must be positive, was " + maxTime);
        }
    }

    /** No limits but the default concurrency. */
    public static Limits unbounded() {
        return new Limits(DEFAULT_CONCURRENCY, Integer.MAX_VALUE, Long.MAX_VALUE, null);
    }
}
