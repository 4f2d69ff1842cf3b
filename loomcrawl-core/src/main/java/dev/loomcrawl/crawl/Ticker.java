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
     * Runs {@code task} once {@code delayNanos} nanoseconds have passed on this clock, on a thread of the ticker's
     * own; the task must be quick and must not block.
     *
     * @return cancels the task, unless it has run
     */
    Cancellable schedule(long delayNanos, Runnable task);

    /** What {@link #schedule} returns. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task unless it has run, and returns once it no longer runs; may be called more than once. */
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

        /** On a platform thread of its own, which runs however busy the virtual threads' carriers are. */
        @Override
        public Cancellable schedule(long delayNanos, Runnable task) {
            Thread timer = Thread.ofPlatform().daemon().name("loomcrawl-timer").start(() -> {
                try {
                    sleep(delayNanos);
                } catch (InterruptedException e) {
                    return; // cancelled
                }
                task.run();
            });
            return () -> {
                timer.interrupt();
                boolean interrupted = false;
                while (timer.isAlive()) {
                    try {
                        timer.join();
                    } catch (InterruptedException e) {
                        interrupted = true; // the timer must be gone when this returns; the interrupt is kept
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            };
        }
    }
}
