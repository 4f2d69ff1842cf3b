package dev.loomcrawl.internal.run;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slots for the pages between their response and their record: link extraction, the archive, the store's
 * admission. A visit whose response is in moves from its request slot to one of these, so the next request starts
 * while the page is processed, and not only after: responses come back in waves, and a request slot held through
 * a wave's processing leaves a connection idle. As many slots as requests bound the bodies held at once to twice
 * the concurrency. When they are all taken, a visit keeps its request slot until one frees up: fetching then waits
 * for processing. Thread-safe.
 */
final class ProcessingSlots {

    private final Semaphore slots;

    ProcessingSlots(int slots) {
        this.slots = new Semaphore(slots);
    }

    /**
     * Takes a processing slot, then gives up the request slot ({@code requestDone}) and lets the fetches waiting for it
     * start before this page is processed.
     *
     * @return gives the processing slot back; runs once however often it is called
     */
    Runnable take(Runnable requestDone) throws InterruptedException {
        slots.acquire();
        requestDone.run();
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                slots.release();
            }
        };
        Thread.yield(); // virtual threads queue first in, first out: the fetches just woken go first
        return release;
    }
}
