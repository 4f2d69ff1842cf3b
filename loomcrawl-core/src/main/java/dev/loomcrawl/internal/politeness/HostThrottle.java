package dev.loomcrawl.internal.politeness;

import dev.loomcrawl.crawl.Ticker;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The politeness state of one host: how many requests may be in flight (an AIMD limit between 1 and the
 * configured per-host maximum), when the next request may start (delay, rate, Crawl-delay), and a pause a
 * {@code Retry-After} imposed. The lock guards a few fields for a few instructions; it is never held while
 * waiting for time to pass or for I/O. Thread-safe.
 */
final class HostThrottle {

    /** Latency samples before the baseline counts. */
    private static final int WARM_UP = 8;
    /** Rising latency means above four times the baseline plus half a second. */
    private static final double LATENCY_FACTOR = 4;
    private static final long LATENCY_MARGIN = 500_000_000L;

    private final String host;
    private final Politeness owner;
    private final Ticker ticker;
    private final long interval;
    private final int max;
    private final boolean adaptive;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();

    // guarded by lock
    private double limit;
    private int inFlight;
    private long nextStart;
    private long pausedUntil;
    private long lastCut;
    private boolean cutSinceRecovery;
    private double latency;
    private double baseline = Double.MAX_VALUE;
    private long samples;
    private final MachineLoad load;

    /** @param restored what an earlier crawl left of this host's state, or {@code null} */
    HostThrottle(String host, Politeness owner, Ticker ticker, long intervalNanos, int max, boolean adaptive,
                 MachineLoad load, HostState restored) {
        this.host = host;
        this.load = load;
        this.owner = owner;
        this.ticker = ticker;
        this.interval = intervalNanos;
        this.max = max;
        this.adaptive = adaptive;
        long now = ticker.nanoTime();
        this.limit = restored == null ? max : Math.min(max, restored.limit());
        this.cutSinceRecovery = this.limit < max;
        this.nextStart = now;
        this.pausedUntil = restored == null ? now : now + restored.pause().toNanos();
        this.lastCut = now - 1;
    }

    /** This host's state now; with the lock held. */
    private HostState state() {
        return new HostState(host, (int) limit, Duration.ofNanos(Math.max(0, pausedUntil - ticker.nanoTime())));
    }

    /** Waits for a slot and the host's next start time; returns when the request may begin. */
    Politeness.Permit acquire() throws InterruptedException {
        long start;
        lock.lockInterruptibly();
        try {
            while (inFlight >= (int) limit) {
                slotFreed.await();
            }
            inFlight++;
            start = Math.max(Math.max(ticker.nanoTime(), nextStart), pausedUntil);
            nextStart = start + interval;
        } finally {
            lock.unlock();
        }
        try {
            while (true) {
                long wait = start - ticker.nanoTime();
                if (wait > 0) {
                    owner.sleep(ticker, wait);
                }
                lock.lock();
                try {
                    if (pausedUntil <= start) {
                        break;
                    }
                    start = pausedUntil; // a Retry-After arrived while this request waited its turn
                    nextStart = Math.max(nextStart, start + interval);
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            release();
            throw e;
        }
        return new Politeness.Permit(this, ticker.nanoTime());
    }

    /** Gives back a slot; with a result, adjusts the limit (AIMD). */
    void release(Politeness.Permit permit, Politeness.Signal signal) {
        // asked before the lock: it may read the operating system's counters
        boolean saturated = adaptive && signal == Politeness.Signal.OK && load.saturated();
        lock.lock();
        try {
            inFlight--;
            if (adaptive && signal != null) {
                adapt(permit, signal, saturated);
            }
            for (int free = (int) limit - inFlight; free > 0; free--) {
                slotFreed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        release(null, null);
    }

    private void adapt(Politeness.Permit permit, Politeness.Signal signal, boolean saturated) {
        long now = ticker.nanoTime();
        switch (signal) {
            case OVERLOADED -> cut(permit, now, "overloaded (429/503)");
            case OK -> {
                // on saturated processors the time this took is this machine's queueing as much as the server's
                if (!saturated) {
                    double l = now - permit.startedAt();
                    latency = samples == 0 ? l : 0.8 * latency + 0.2 * l;
                    if (++samples >= WARM_UP) {
                        if (latency > LATENCY_FACTOR * baseline + LATENCY_MARGIN) {
                            cut(permit, now, "latency rose from " + millis(baseline) + " to " + millis(latency));
                            return;
                        }
                        baseline = Math.min(baseline, latency);
                    }
                }
                if (limit < max) {
                    limit = Math.min(max, limit + 1 / limit);
                    if (limit == max && cutSinceRecovery) {
                        cutSinceRecovery = false;
                        owner.record(host, "healthy again: concurrency back to " + max);
                        owner.changed(state());
                    }
                }
            }
            case FAILED -> { }
        }
    }

    /** Halves the limit, once for all the requests that were in flight when the last cut happened. */
    private void cut(Politeness.Permit permit, long now, String why) {
        if (permit.startedAt() <= lastCut || limit <= 1) {
            return;
        }
        int before = (int) limit;
        limit = Math.max(1, Math.floor(limit / 2));
        lastCut = now;
        cutSinceRecovery = true;
        owner.record(host, why + ": concurrency " + before + " -> " + (int) limit);
        owner.changed(state());
    }

    /** No request starts before {@code untilNanos}. */
    void pause(long untilNanos, String why) {
        HostState now;
        lock.lock();
        try {
            if (untilNanos <= pausedUntil) {
                return;
            }
            pausedUntil = untilNanos;
            now = state();
        } finally {
            lock.unlock();
        }
        owner.record(host, why);
        owner.changed(now);
    }

    int limit() {
        lock.lock();
        try {
            return (int) limit;
        } finally {
            lock.unlock();
        }
    }

    private static String millis(double nanos) {
        return Math.round(nanos / 1e6) + "ms";
    }
}
