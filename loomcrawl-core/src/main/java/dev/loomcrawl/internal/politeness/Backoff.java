package dev.loomcrawl.internal.politeness;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Retries of transient failures: how many, and how long to wait before each, by exponential backoff with full
 * jitter (a uniform wait between zero and {@code min(cap, base * 2^(retry-1))}), so that crawlers that failed
 * together do not come back together.
 *
 * @param retries the most retries after the first attempt, 0 to 100
 * @param base the wait bound before the first retry
 * @param cap the largest wait bound
 */
public record Backoff(int retries, Duration base, Duration cap) {

    /** The defaults: 2 retries, 500 ms base, 30 s cap. */
    public static final Backoff DEFAULT = new Backoff(2, Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries must be 0..100, was " + retries);
        }
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    public long delayNanos(int retry, RandomGenerator random) {
        long bound = base.toNanos();
        for (int i = 1; i < retry && bound < cap.toNanos(); i++) {
            bound *= 2;
        }
        bound = Math.min(bound, cap.toNanos());
        return bound <= 0 ? 0 : random.nextLong(bound + 1);
    }
}
