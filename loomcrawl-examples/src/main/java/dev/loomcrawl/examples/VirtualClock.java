package dev.loomcrawl.examples;

import java.util.PriorityQueue;

/**
 * Simulated time for tasks on real threads: a task that sleeps waits until the clock reaches its wake-up time,
 * and the clock jumps to the next wake-up as soon as every task it knows is asleep or waiting for another. So a
 * schedule of "10 units" and "5 units" runs in microseconds, and tests assert the time on this clock, which is
 * exact, never the wall clock. Every thread that takes part must {@link #join} first and {@link #leave} at its end.
 */
public final class VirtualClock {

    private long now;
    private int awake;
    private final PriorityQueue<Long> wakeUps = new PriorityQueue<>();

    /** The current time, in units. */
    public synchronized long now() {
        return now;
    }

    /** The calling thread takes part: the clock will not move while it is awake. */
    public synchronized void join() {
        awake++;
    }

    /** The calling thread is done (finished, failed or cancelled). */
    public synchronized void leave() {
        awake--;
        advanceIfAllWait();
    }

    /** Sleeps {@code units} of simulated time. */
    public synchronized void sleep(long units) throws InterruptedException {
        long wakeUp = now + units;
        wakeUps.add(wakeUp);
        awake--;
        try {
            advanceIfAllWait();
            while (now < wakeUp) {
                wait();
            }
        } finally {
            awake++;
            wakeUps.remove(wakeUp);
        }
    }

    /**
     * Waits, as a participant, until {@code done} says so; while it waits it does not hold the clock back. A task
     * that ends must call {@link #leave}, which wakes the waiters to look again.
     */
    public synchronized void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        awake--;
        try {
            advanceIfAllWait();
            while (!done.getAsBoolean()) {
                wait();
            }
        } finally {
            awake++;
        }
    }

    private void advanceIfAllWait() {
        if (awake == 0 && !wakeUps.isEmpty() && wakeUps.peek() > now) {
            now = wakeUps.peek();
        }
        notifyAll();
    }
}
