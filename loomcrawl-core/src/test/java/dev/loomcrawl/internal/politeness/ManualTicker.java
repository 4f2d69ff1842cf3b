package dev.loomcrawl.internal.politeness;

import dev.loomcrawl.crawl.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker for tests: time moves only when a test advances it or a thread sleeps, and a sleep returns at once. */
public final class ManualTicker implements Ticker {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong slept = new AtomicLong();

    @Override
    public long nanoTime() {
        return now.get();
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
        }
    }

    /** Moves the time forward. */
    public void advance(long nanos) {
        now.addAndGet(nanos);
    }

    /** The sum of every wait asked for. */
    public long sleptNanos() {
        return slept.get();
    }
}
