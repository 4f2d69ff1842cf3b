package dev.loomcrawl.internal.politeness;

import dev.loomcrawl.crawl.Ticker;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker for tests: time moves only when a test advances it or a thread sleeps, and a sleep returns at once.
 * A scheduled task runs, on the thread that moved time past it, once time has passed its due time.
 */
public final class ManualTicker implements Ticker {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong slept = new AtomicLong();
    private final PriorityQueue<Due> due = new PriorityQueue<>(); // guarded by itself
    private long scheduled; // guarded by due

    private record Due(long at, long order, Runnable task) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            return at != other.at ? Long.compare(at, other.at) : Long.compare(order, other.order);
        }
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** A date that moves with the time, from 2026-01-01T00:00:00Z. */
    @Override
    public Instant instant() {
        return ORIGIN.plusNanos(now.get());
    }

    /** Advances the time by {@code nanos} at once. */
    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (nanos > 0) {
            now.addAndGet(nanos);
            slept.addAndGet(nanos);
            runDue();
        }
    }

    @Override
    public Cancellable schedule(long delayNanos, Runnable task) {
        Due d;
        synchronized (due) {
            d = new Due(now.get() + delayNanos, scheduled++, task);
            due.add(d);
        }
        runDue();
        return () -> {
            synchronized (due) {
                due.remove(d);
            }
        };
    }

    /** Moves the time forward, and runs what has come due. */
    public void advance(long nanos) {
        now.addAndGet(nanos);
        runDue();
    }

    /** The sum of every wait asked for. */
    public long sleptNanos() {
        return slept.get();
    }

    private void runDue() {
        while (true) {
            Due d;
            synchronized (due) {
                d = due.peek();
                if (d == null || d.at() > now.get()) {
                    return;
                }
                due.poll();
            }
            d.task().run();
        }
    }
}
