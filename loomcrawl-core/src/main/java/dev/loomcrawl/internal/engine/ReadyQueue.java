package dev.loomcrawl.internal.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frontier's queue of URLs ready to visit, lowest first ({@link Frontier.Ready}'s order). In memory, or with a
 * {@link FrontierOverflow}, bounded: its hot part, the lowest entries, stays in memory, and the rest waits in the
 * overflow (the crawl's store) until the hot part runs out.
 *
 * <p>Every entry in memory is at most the boundary, every entry in the overflow above it. When the hot part grows
 * past its bound, its upper half goes to the overflow and the boundary drops to the highest entry kept; when it
 * runs empty, the lowest entries of the overflow come back and the boundary rises to the highest of them. (Entries
 * added while they come back may wait in the overflow a little out of order: that changes the order of work, never
 * what is crawled, nor the output.) The lock guards a few fields and hands entries to the overflow's queue; it is
 * never held while the overflow reads, which the taking thread waits for alone. Thread-safe.
 */
final class ReadyQueue {

    private final FrontierOverflow overflow;
    private final int hotMax;
    private final SeenSet seen;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    // guarded by lock
    private final PriorityQueue<Frontier.Ready> hot = new PriorityQueue<>();
    private Frontier.Ready boundary; // null: nothing in the overflow
    private long cold; // entries in the overflow
    private boolean takingBack;

    /** An unbounded queue in memory. */
    ReadyQueue() {
        this(null, Integer.MAX_VALUE, null);
    }

    /**
     * @param overflow where entries beyond {@code hotMax} wait, or {@code null}: all in memory
     * @param seen the seen-set, which gives entries back their nodes
     */
    ReadyQueue(FrontierOverflow overflow, int hotMax, SeenSet seen) {
        if (overflow != null && hotMax < 2) {
            throw new IllegalArgumentException("hotMax must be 2 or more, was " + hotMax);
        }
        this.overflow = overflow;
        this.hotMax = hotMax;
        this.seen = seen;
    }

    void add(Frontier.Ready r) {
        lock.lock();
        try {
            if (boundary != null && r.compareTo(boundary) > 0) {
                cold++;
                overflow.spill(List.of(spilled(r)));
                return;
            }
            hot.add(r);
            if (overflow != null && hot.size() > hotMax) {
                spillUpperHalf();
            }
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The lowest entry, waiting as long as it takes for one. */
    Frontier.Ready take() throws InterruptedException {
        return poll(-1);
    }

    /**
     * The lowest entry, waiting up to the timeout for one; {@code null} when none came.
     *
     * @param timeoutNanos how long to wait; less than zero to wait as long as it takes
     */
    Frontier.Ready poll(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        lock.lockInterruptibly();
        try {
            while (true) {
                Frontier.Ready r = hot.poll();
                if (r != null) {
                    return r;
                }
                if (cold > 0 && !takingBack) {
                    takeBack();
                    continue;
                }
                if (timeoutNanos < 0) {
                    notEmpty.await();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                notEmpty.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: moves the upper half of the hot part to the overflow. */
    private void spillUpperHalf() {
        Frontier.Ready[] all = hot.toArray(Frontier.Ready[]::new);
        Arrays.sort(all);
        int keep = hotMax / 2;
        hot.clear();
        hot.addAll(Arrays.asList(all).subList(0, keep));
        List<FrontierOverflow.Entry> out = new ArrayList<>(all.length - keep);
        for (int i = keep; i < all.length; i++) {
            out.add(spilled(all[i]));
        }
        cold += out.size();
        boundary = all[keep - 1];
        overflow.spill(out);
    }

    /**
     * With the lock held, which it gives up while the overflow reads: brings the lowest entries of the overflow back
     * into memory.
     */
    private void takeBack() throws InterruptedException {
        takingBack = true;
        CompletableFuture<List<FrontierOverflow.Entry>> back = overflow.takeLowest(Math.max(1, hotMax / 2));
        List<FrontierOverflow.Entry> entries;
        lock.unlock();
        try {
            entries = back.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the frontier's overflow failed", e.getCause());
        } finally {
            lock.lock();
            takingBack = false;
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("the frontier's overflow lost " + cold + " entries");
        }
        cold -= entries.size();
        for (FrontierOverflow.Entry s : entries) {
            Frontier.Node node = seen.get(s.url());
            if (node == null) {
                throw new IllegalStateException("an entry came back for a URL the crawl never met: " + s.url());
            }
            Frontier.Ready r = new Frontier.Ready(node, s.depth(), s.start(), s.width());
            hot.add(r);
            if (boundary == null || r.compareTo(boundary) > 0) {
                boundary = r;
            }
        }
        if (cold == 0) {
            boundary = null;
        }
        notEmpty.signalAll();
    }

    private static FrontierOverflow.Entry spilled(Frontier.Ready r) {
        return new FrontierOverflow.Entry(r.node().url, r.depth(), r.start(), r.width());
    }
}
