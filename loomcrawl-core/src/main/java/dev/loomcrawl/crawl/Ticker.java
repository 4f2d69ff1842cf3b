package dev.loomcrawl.crawl;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A source of time, of waiting for it to pass, and of running something when it has. A crawl takes every decision
 * in time against its {@code Ticker}: politeness and backoff waits, its time limit, and the watchdog's checks; so a
 * test injects one that it moves itself, and never waits for the wall.
 */
public interface Ticker {

    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits {@code nanos} nanoseconds (nothing when zero or less); an interrupt ends the wait. */
    void sleep(long nanos) throws InterruptedException;

    /** The date and time now, for dates (a crawl's start, a {@code Retry-After} date); the system's by default. */
    default Instant instant() {
        return Instant.now();
    }

    /**
     * Runs {@code task} once {@code delayNanos} nanoseconds have passed, on a thread of the ticker's own; the task
     * must be quick and must not block. By default a virtual thread {@linkplain #sleep sleeps} that long, then runs it.
     *
     * @return cancels the task, unless it has run
     */
    default Cancellable schedule(long delayNanos, Runnable task) {
        Thread waiter = Thread.ofVirtual().name("loomcrawl-timer").start(() -> {
            try {
                sleep(delayNanos);
            } catch (InterruptedException e) {
                return; // cancelled
            }
            task.run();
        });
        return () -> {
            waiter.interrupt();
            try {
                waiter.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the waiter, interrupted, ends at once anyway
            }
        };
    }

    /** What {@link #schedule} returns. */
    @FunctionalInterface
    interface Cancellable {
        /**
         * Cancels the task unless it has run, and returns once it no longer runs (nor its thread, unless the caller
         * is interrupted meanwhile); may be called more than once.
         */
        void cancel();
    }

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
