package dev.loomcrawl.internal.engine;

/**
 * Waiting for a thread that is sure to end soon (a writer told to finish, a service thread told to stop), where
 * an interrupt must not cut the wait short: the thread's end is what makes "nothing outlives the crawl" true.
 */
public final class Join {

    private Join() {}

    /**
     * Waits until {@code thread} has terminated, passing an interrupt of the waiting thread on to it (which is to
     * end it soon) and waiting on; the interrupt is kept for the caller.
     */
    public static void interruptingOnInterrupt(Thread thread) {
        join(thread, thread::interrupt);
    }

    /** Waits until {@code thread} has terminated; an interrupt meanwhile is kept for the caller. */
    public static void uninterruptibly(Thread thread) {
        join(thread, () -> { });
    }

    private static void join(Thread thread, Runnable onInterrupt) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
                onInterrupt.run();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
