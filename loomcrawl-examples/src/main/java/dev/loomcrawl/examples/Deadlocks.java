package dev.loomcrawl.examples;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The notes' four causes of deadlock, each a tiny program of named platform threads, and each with its correction.
 * The broken ones never finish; loomcrawl's watchdog names their threads and the locks they wait for (see the
 * tests). Every wait is interruptible, so a stuck program can still be {@link Program#close() stopped}.
 */
public final class Deadlocks {

    private Deadlocks() {}

    /** A running program: its threads, and a count of the steps they completed. */
    public static final class Program implements AutoCloseable {
        private final List<Thread> threads;
        private final AtomicLong steps;

        private Program(AtomicLong steps, Thread... threads) {
            this.steps = steps;
            this.threads = List.of(threads);
            this.threads.forEach(Thread::start);
        }

        public List<Thread> threads() {
            return threads;
        }

        /** Steps completed so far; a stuck program's count stops moving. */
        public long steps() {
            return steps.get();
        }

        /** Whether every thread has ended within {@code millis}. */
        public boolean finishes(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            for (Thread t : threads) {
                t.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
            return threads.stream().noneMatch(Thread::isAlive);
        }

        /** Interrupts every thread and waits for them: how a stuck program is stopped. */
        @Override
        public void close() throws InterruptedException {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    private static Thread thread(String name, Interruptible body) {
        return Thread.ofPlatform().name(name).unstarted(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // stopped
            }
        });
    }

    @FunctionalInterface
    private interface Interruptible {
        void run() throws InterruptedException;
    }

    /** A mutual-exclusion lock, reentrant or not. */
    interface Mutex {
        void lock() throws InterruptedException;

        void unlock();
    }

    /** A mutex that its own holder cannot take again: a semaphore of one permit. */
    static Mutex nonReentrant() {
        Semaphore permit = new Semaphore(1);
        return new Mutex() {
            @Override
            public void lock() throws InterruptedException {
                permit.acquire();
            }

            @Override
            public void unlock() {
                permit.release();
            }
        };
    }

    /** A mutex that counts its holder's acquisitions. */
    static Mutex reentrant() {
        ReentrantLock lock = new ReentrantLock();
        return new Mutex() {
            @Override
            public void lock() throws InterruptedException {
                lock.lockInterruptibly();
            }

            @Override
            public void unlock() {
                lock.unlock();
            }
        };
    }

    /**
     * Cause 1, a thread takes a lock it already holds: with a non-reentrant lock it waits for itself forever.
     * Fixed: a reentrant lock. The two programs differ in the lock alone.
     */
    public static Program reentry(boolean fixed) {
        AtomicLong steps = new AtomicLong();
        Mutex lock = fixed ? reentrant() : nonReentrant();
        return new Program(steps, thread(fixed ? "reenters-reentrant-lock" : "reenters-non-reentrant-lock", () -> {
            lock.lock();
            try {
                steps.incrementAndGet();
                lock.lock(); // a helper that locks again
                try {
                    steps.incrementAndGet();
                } finally {
                    lock.unlock();
                }
            } finally {
                lock.unlock();
            }
        }));
    }

    /**
     * Cause 2, two threads wait on each other: each waits for the other's signal before giving its own. Fixed: one
     * of them signals first.
     */
    public static Program waitingOnEachOther(boolean fixed) {
        AtomicLong steps = new AtomicLong();
        CountDownLatch fromA = new CountDownLatch(1);
        CountDownLatch fromB = new CountDownLatch(1);
        Thread a = thread("a-waits-for-b", () -> {
            if (!fixed) {
                fromB.await();
            }
            fromA.countDown();
            fromB.await();
            steps.incrementAndGet();
        });
        Thread b = thread("b-waits-for-a", () -> {
            fromA.await();
            fromB.countDown();
            steps.incrementAndGet();
        });
        return new Program(steps, a, b);
    }

    /**
     * Cause 3, a lock never released: its holder leaves by an exception before {@code unlock}, and everyone after
     * it waits forever. Fixed: unlock in {@code finally}.
     */
    public static Program neverReleased(boolean fixed) {
        AtomicLong steps = new AtomicLong();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch holderDone = new CountDownLatch(1);
        Thread holder = thread("forgets-to-unlock", () -> {
            try {
                lock.lockInterruptibly();
                if (fixed) {
                    try {
                        work(steps);
                    } finally {
                        lock.unlock();
                    }
                } else {
                    work(steps);
                    lock.unlock(); // never reached
                }
            } catch (IllegalStateException e) {
                // the work failed; the broken version has left the lock held
            } finally {
                holderDone.countDown();
            }
        });
        Thread waiter = thread("waits-for-the-lock", () -> {
            holderDone.await();
            lock.lockInterruptibly();
            try {
                steps.incrementAndGet();
            } finally {
                lock.unlock();
            }
        });
        return new Program(steps, holder, waiter);
    }

    private static void work(AtomicLong steps) {
        steps.incrementAndGet();
        throw new IllegalStateException("the work failed");
    }

    /**
     * Cause 4, locks taken in different orders: each thread holds one lock and waits for the other's. Fixed: both
     * take them in one global order.
     */
    public static Program lockOrder(boolean fixed) {
        AtomicLong steps = new AtomicLong();
        ReentrantLock accounts = new ReentrantLock();
        ReentrantLock ledger = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread a = thread("takes-accounts-then-ledger", () -> both(accounts, ledger, bothHoldOne, fixed, steps));
        Thread b = thread(fixed ? "takes-accounts-then-ledger-too" : "takes-ledger-then-accounts",
                () -> both(fixed ? accounts : ledger, fixed ? ledger : accounts, bothHoldOne, fixed, steps));
        return new Program(steps, a, b);
    }

    private static void both(Lock first, Lock second, CountDownLatch bothHoldOne, boolean fixed, AtomicLong steps)
            throws InterruptedException {
        first.lockInterruptibly();
        try {
            if (!fixed) {
                bothHoldOne.countDown();
                bothHoldOne.await(); // make the bad interleaving certain
            }
            second.lockInterruptibly();
            try {
                steps.incrementAndGet();
            } finally {
                second.unlock();
            }
        } finally {
            first.unlock();
        }
    }
}
