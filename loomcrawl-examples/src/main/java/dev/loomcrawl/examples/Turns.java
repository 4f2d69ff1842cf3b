package dev.loomcrawl.examples;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turn-taking: numbered turns, one at a time, in order; a thread waits (parked, never spinning) until the turn it
 * holds comes, acts, and passes the turn on. The same idea as loomcrawl's single ordered writer, which emits each
 * page when its breadth-first turn comes. Thread-safe.
 */
public final class Turns {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long current;

    /** @param first the number of the first turn */
    public Turns(long first) {
        this.current = first;
    }

    /** Waits until turn {@code n} has come. */
    public void await(long n) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (current != n) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the current turn: the next one comes. Called by the thread whose turn it was. */
    public void pass() {
        lock.lock();
        try {
            current++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
