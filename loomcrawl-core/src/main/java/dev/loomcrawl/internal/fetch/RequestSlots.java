package dev.loomcrawl.internal.fetch;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slots for requests in flight, shared by every crawl that holds them: a request takes a slot when it is sent
 * (after its host's politeness let it go, so a request waiting for its host holds none) and gives it back when its
 * response ended or failed. A share ({@link #share()}) takes its slots from these and counts one crawl's own
 * requests: how many are in flight, and how many were answered. Thread-safe.
 */
public final class RequestSlots {

    private final int max;
    private final Semaphore free;
    private final RequestSlots parent;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();

    /** How a request that held a slot ended. */
    public enum Ended {
        /** With a response, whatever its status. */
        ANSWERED,
        /** Without one: refused, reset, timed out, cancelled. */
        UNANSWERED
    }

    /** @throws IllegalArgumentException when {@code max} is not 1 or more */
    public RequestSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a request limit must be 1 or more, was " + max);
        }
        this.max = max;
        this.free = new Semaphore(max, true);
        this.parent = null;
    }

    private RequestSlots(RequestSlots parent) {
        this.max = parent.max;
        this.free = null;
        this.parent = parent;
    }

    /** Slots taken from these, with counts of their own. */
    public RequestSlots share() {
        return new RequestSlots(parent != null ? parent : this);
    }

    public int max() {
        return max;
    }

    /** The requests in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were in flight at once. */
    public int peak() {
        return peak.get();
    }

    /** The requests that ended with a response. */
    public long answered() {
        return answered.get();
    }

    /** Waits for a slot; give it back with {@link #giveBack} when the request ended. */
    public void take() throws InterruptedException {
        if (parent != null) {
            parent.take();
        } else {
            free.acquire();
        }
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    /** Gives a slot back: its request ended. */
    public void giveBack(Ended how) {
        inFlight.decrementAndGet();
        if (how == Ended.ANSWERED) {
            answered.incrementAndGet();
        }
        if (parent != null) {
            parent.giveBack(how);
        } else {
            free.release();
        }
    }
}
