package dev.loomcrawl.crawl;

import java.util.concurrent.TimeUnit;

/**
 * A source of time, and of waiting for it to pass. The crawler takes every politeness and backoff decision against
 * a {@code Ticker}, so tests inject one whose {@link #sleep} advances time without waiting.
 */
public interface Ticker {

    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code nanos} nanoseconds (nothing when zero or less); an interrupt ends the wait. */
    void sleep(long nanos) throws InterruptedException;

    /** The system's monotonic clock, waiting for real. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }

    /** The real clock. */
    enum SystemTicker implements Ticker {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }
    }
}
