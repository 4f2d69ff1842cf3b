package dev.loomcrawl.internal.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * A structured scope of virtual threads: every task forked in it is a thread the scope knows, and {@link #close()}
 * returns only when every one of those threads has terminated (not merely finished its task), so nothing outlives
 * the scope. {@link #cancel()} interrupts them all. Forking is done by the one thread that owns the scope.
 */
final class TaskScope implements AutoCloseable {

    private final ThreadFactory factory;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final int pruneAbove;

    /**
     * @param name the name prefix of the scope's threads
     * @param expectedLive how many threads run at once at most; dead ones are forgotten beyond twice that
     */
    TaskScope(String name, int expectedLive) {
        this.factory = Thread.ofVirtual().name(name, 0).factory();
        this.pruneAbove = Math.max(16, expectedLive * 2);
    }

    /** Starts {@code task} on a new virtual thread of this scope. */
    void fork(Runnable task) {
        if (threads.size() > pruneAbove) {
            threads.removeIf(t -> !t.isAlive());
        }
        Thread t = factory.newThread(task);
        threads.add(t);
        t.start();
    }

    /** Interrupts every thread of the scope. */
    void cancel() {
        threads.forEach(Thread::interrupt);
    }

    /**
     * Waits until every thread has terminated. If the waiting thread is interrupted, the scope is cancelled and
     * the wait goes on; the interrupt status is then restored.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel();
                }
            }
        }
        threads.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
