package dev.loomcrawl.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight across several test servers ({@link SiteServer#alsoCounting}), and the most there were at once:
 * what a bound shared by several crawls is tested by. Thread-safe.
 */
public final class InFlight {

    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void began() {
        peak.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    void ended() {
        now.decrementAndGet();
    }

    /** The most requests that were in flight at once, on all the servers counting into this. */
    public int peak() {
        return peak.get();
    }
}
