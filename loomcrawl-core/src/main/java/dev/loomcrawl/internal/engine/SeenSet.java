package dev.loomcrawl.internal.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frontier's seen-set: its nodes by URL, each node its own entry. A {@code ConcurrentHashMap} keeps an entry
 * object of 32 bytes per URL beside the node; on a crawl of a million URLs that was a fifth of the heap (see
 * docs/benchmarks.md, memory). Here the table holds the nodes themselves, in open addressing with linear probing.
 *
 * <p>Lookups take no lock: they read a segment's current table, which only ever gains nodes. Adding takes the
 * segment's lock (32 segments, chosen by hash) for a few instructions, never around I/O or a wait, and is the one
 * place that decides whether a URL is new: a lookup that misses a node added at that moment sends its caller to
 * {@link #putIfAbsent}, which finds it. A full table is replaced by one twice its size, under the lock; lookups
 * still reading the old one see every node added before it was replaced. Nothing is ever removed. Thread-safe.
 */
final class SeenSet {

    private final int segmentBits;
    private final Segment[] segments;

    SeenSet() {
        this(5, 16);
    }

    /** {@code 2^segmentBits} segments of {@code initialSlots} slots each (a power of two, 2 or more). */
    SeenSet(int segmentBits, int initialSlots) {
        this.segmentBits = segmentBits;
        this.segments = new Segment[1 << segmentBits];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(initialSlots);
        }
    }

    /** The node of {@code url}, or {@code null} when none was added (or one is being added at this moment). */
    Frontier.Node get(String url) {
        int h = spread(url.hashCode());
        return segments[h & (segments.length - 1)].get(url, h >>> segmentBits);
    }

    /** Adds {@code node} unless a node of its URL is there; returns that node, or {@code null} when it added it. */
    Frontier.Node putIfAbsent(Frontier.Node node) {
        int h = spread(node.url.hashCode());
        return segments[h & (segments.length - 1)].putIfAbsent(node, h >>> segmentBits);
    }

    /** Mixes the hash's bits: the low ones choose the segment, the rest the slot (Fibonacci hashing). */
    private static int spread(int hash) {
        return (hash ^ (hash >>> 16)) * 0x9E3779B9;
    }

    /** A node's slot hash: the hash's bits above those that chose its segment. */
    private int slotHash(String url) {
        return spread(url.hashCode()) >>> segmentBits;
    }

    private final class Segment {
        private final ReentrantLock lock = new ReentrantLock();
        private volatile AtomicReferenceArray<Frontier.Node> table;
        private int size; // guarded by lock

        Segment(int slots) {
            this.table = new AtomicReferenceArray<>(slots);
        }

        Frontier.Node get(String url, int h) {
            return find(table, url, h);
        }

        Frontier.Node putIfAbsent(Frontier.Node node, int h) {
            lock.lock();
            try {
                AtomicReferenceArray<Frontier.Node> t = table;
                Frontier.Node there = find(t, node.url, h);
                if (there != null) {
                    return there;
                }
                if ((size + 1) * 4L > t.length() * 3L) { // at most three quarters full
                    t = grown(t);
                }
                place(t, node, h);
                size++;
                if (t != table) {
                    table = t; // published with every node in it
                }
                return null;
            } finally {
                lock.unlock();
            }
        }

        private static Frontier.Node find(AtomicReferenceArray<Frontier.Node> t, String url, int h) {
            int mask = t.length() - 1;
            int hash = url.hashCode();
            for (int i = h & mask; ; i = (i + 1) & mask) {
                Frontier.Node n = t.get(i);
                if (n == null) {
                    return null;
                }
                if (n.url.hashCode() == hash && n.url.equals(url)) {
                    return n;
                }
            }
        }

        private static void place(AtomicReferenceArray<Frontier.Node> t, Frontier.Node node, int h) {
            int mask = t.length() - 1;
            int i = h & mask;
            while (t.get(i) != null) {
                i = (i + 1) & mask;
            }
            t.set(i, node);
        }

        private AtomicReferenceArray<Frontier.Node> grown(AtomicReferenceArray<Frontier.Node> t) {
            AtomicReferenceArray<Frontier.Node> bigger = new AtomicReferenceArray<>(t.length() * 2);
            for (int i = 0; i < t.length(); i++) {
                Frontier.Node n = t.get(i);
                if (n != null) {
                    place(bigger, n, slotHash(n.url));
                }
            }
            return bigger;
        }
    }
}
