package dev.loomcrawl.internal.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crawl's frontier: the seen-set, the queue of URLs ready to visit, and the count of pending work that says when
 * the crawl is done. Lookups are lock-free; adding a URL takes one of the seen-set's striped locks, and the ready
 * queue has its own, each for a few instructions (see {@link SeenSet}, {@link ReadyQueue}).
 *
 * <p><b>Order of work.</b> The ready queue hands out URLs in the order the breadth-first output will want them:
 * by depth, then by their place in the breadth-first order of their level. Each URL carries an interval of
 * [0, 1): the start URL has all of it, and a page's interval is split among its links in document order, so
 * comparing starts within a level is comparing breadth-first places, whatever order the pages finished in. (A
 * double's 52 bits hold that for ten levels or so of wide pages; deeper, ties come in no set order.) A queue in
 * order of discovery, or of the rank in which parents were dispatched, drifts from it: a page that finishes late
 * has its links queued behind those of its whole level, the first of them behind the next level, and so on, and
 * the output writer holds everything fetched meanwhile (hundreds of thousands of results on a wide site; see
 * docs/benchmarks.md, memory).
 *
 * <ul>
 *   <li><b>Each URL once.</b> {@code putIfAbsent} on the seen-set decides the one thread that admits a URL, and a
 *       compare-and-set on its node decides the one that schedules it.</li>
 *   <li><b>Knowing when it is done.</b> {@code pending} counts URLs scheduled and not yet completed. A visit
 *       {@link #expand expands} (offers its links) before it {@link #complete completes}, so {@code pending} reaches
 *       zero only when no work exists or can appear; that moment puts {@link #END} on the queue.</li>
 *   <li><b>Depth.</b> Concurrent discovery can find a URL through a longer path first. A node keeps the least depth
 *       seen; when it drops after the node was expanded, its links are offered again at the new depth, so a depth
 *       limit admits exactly the URLs a breadth-first crawl would.</li>
 * </ul>
 * Thread-safe.
 */
final class Frontier {

    /** Taken from the queue when the crawl is done or stopped. */
    static final Node END = new Node("", 0, 0);

    /**
     * A URL in the ready queue, ordered by depth, then by where its interval starts (equal ones in no set order: only
     * the order of work depends on it, never the output). A wide crawl holds hundreds of thousands of these, so it is
     * kept to 32 bytes: the width, which only ever shrinks and is never compared, is a float.
     *
     * @param start where the URL's interval of its level starts
     * @param width how wide the interval is: its links share it
     */
    record Ready(Node node, int depth, double start, float width) implements Comparable<Ready> {
        @Override
        public int compareTo(Ready o) {
            int c = Integer.compare(depth, o.depth);
            return c != 0 ? c : Double.compare(start, o.start);
        }
    }

    /** Ahead of everything: the end of the crawl. */
    static final Ready END_READY = new Ready(END, -1, 0, 0);

    private static final byte UNDECIDED = 0;
    private static final byte ADMITTED = 1;
    private static final byte REFUSED = 2;

    private final Limits limits;
    private final CrawlEngine.Admission admission;
    private final SeenSet seen = new SeenSet();
    /** With a depth limit: what each visited node led to, offered again should its depth drop later. */
    private final ConcurrentHashMap<Node, Expanded> expanded = new ConcurrentHashMap<>();
    private final ReadyQueue ready;
    private long starts; // the dispatching thread's: start URLs offered
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicBoolean pageLimitReached = new AtomicBoolean();

    Frontier(Limits limits, CrawlEngine.Admission admission) {
        this(limits, admission, null, Integer.MAX_VALUE);
    }

    /**
     * @param overflow where URLs ready to visit beyond {@code readyInMemory} wait, or {@code null}: all in memory
     */
    Frontier(Limits limits, CrawlEngine.Admission admission, FrontierOverflow overflow, int readyInMemory) {
        this.limits = limits;
        this.admission = admission;
        this.ready = overflow == null ? new ReadyQueue() : new ReadyQueue(overflow, readyInMemory, seen);
    }

    /**
     * Records that {@code url}, a start, is reachable at {@code depth}; admits and schedules it the first time.
     * Starts offered later come after earlier ones.
     */
    void offer(String url, int depth, int redirectHops) throws InterruptedException {
        offer(url, depth, redirectHops, starts++, 1);
    }

    /**
     * Records that {@code url} is reachable at {@code depth}, with the interval [start, start + width) of its
     * level; admits and schedules it the first time.
     */
    private void offer(String url, int depth, int redirectHops, double start, double width) throws InterruptedException {
        Node node = seen.get(url);
        if (node == null) {
            Node fresh = new Node(url, depth, redirectHops);
            node = seen.putIfAbsent(fresh);
            if (node == null) {
                boolean admitted = admission.admit(url);
                fresh.admission = admitted ? ADMITTED : REFUSED;
                // read the depth after publishing the decision: a concurrent offer may have lowered it
                if (admitted && fresh.depth() <= limits.maxDepth()) {
                    schedule(fresh, start, width);
                }
                return;
            }
        }
        int current;
        while ((current = node.depth()) > depth) {
            if (node.lowerDepth(current, depth)) {
                // written the depth, now read the decision: with the admitting thread's order above, one of the
                // two sees the other's write, so an admitted node within the limit is always scheduled
                if (depth <= limits.maxDepth() && node.admission == ADMITTED && !schedule(node, start, width)) {
                    reoffer(node, depth);
                }
                return;
            }
        }
    }

    /**
     * Offers what the visit of a URL taken from the queue led to, one level deeper (a redirect's hop counts as a
     * hop), each with its share of the URL's interval.
     */
    void expand(Ready ready, CrawlEngine.Outcome outcome) throws InterruptedException {
        Node node = ready.node();
        int hops = outcome.redirect() ? node.redirectHops + 1 : 0;
        if (limits.maxDepth() != Integer.MAX_VALUE) {
            expanded.put(node, new Expanded(outcome.next(), hops));
        }
        int depth = node.depth();
        List<String> next = outcome.next();
        double share = ready.width() / Math.max(1, next.size());
        for (int i = 0; i < next.size(); i++) {
            offer(next.get(i), depth + 1, hops, ready.start() + i * share, share);
        }
    }

    /** Ends a visit (expanded or not); returns true when it was the last pending one: the crawl is done. */
    boolean complete() {
        if (pending.decrementAndGet() == 0) {
            ready.add(END_READY);
            return true;
        }
        return false;
    }

    /** The next URL to visit, or {@link #END_READY}; waits for one. */
    Ready next() throws InterruptedException {
        return ready.take();
    }

    /** Makes the dispatcher's wait end: it takes {@link #END_READY} next. */
    void stop() {
        ready.add(END_READY);
    }

    boolean seen(String url) {
        return seen.get(url) != null;
    }

    long pending() {
        return pending.get();
    }

    boolean pageLimitReached() {
        return pageLimitReached.get();
    }

    /** The node of {@code url}, or {@code null} when it was never offered. */
    Node node(String url) {
        return seen.get(url);
    }

    /** The string the seen-set keeps for {@code url}, or {@code url} itself when it was never offered. */
    String canonical(String url) {
        Node n = seen.get(url);
        return n == null ? url : n.url;
    }

    /** The least depth found for {@code url}, or -1 when it was never offered. */
    int depth(String url) {
        Node n = seen.get(url);
        return n == null ? -1 : n.depth();
    }

    /** The node's depth dropped after it was visited: its children may now be within the depth limit. */
    private void reoffer(Node node, int depth) throws InterruptedException {
        Expanded e = expanded.get(node);
        if (e != null) {
            for (String url : e.next()) {
                offer(url, depth + 1, e.hops(), -1, 0); // rare: ahead of the pages of its new depth
            }
        }
    }

    /** What a visit led to, and the redirect hops that led there. */
    private record Expanded(List<String> next, int hops) {}

    /** Schedules an admitted node unless it was scheduled already; returns false when it was. */
    private boolean schedule(Node node, double start, double width) {
        if (!node.claim()) {
            return false;
        }
        long n;
        do {
            n = scheduled.get();
            if (n >= limits.maxPages()) {
                pageLimitReached.set(true);
                node.unclaim();
                return true;
            }
        } while (!scheduled.compareAndSet(n, n + 1));
        pending.incrementAndGet();
        ready.add(new Ready(node, node.depth(), start, (float) width));
        return true;
    }

    /**
     * A URL in the seen-set, and the seen-set's entry for it. Its changing fields are plain ones updated through
     * {@link VarHandle}s, not atomic objects: a crawl holds one node per URL it meets, so every byte counts (see
     * docs/benchmarks.md, memory). Identity is its equality.
     */
    static final class Node {
        private static final VarHandle DEPTH;
        private static final VarHandle CLAIMED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                DEPTH = lookup.findVarHandle(Node.class, "depth", int.class);
                CLAIMED = lookup.findVarHandle(Node.class, "claimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final String url;
        final byte redirectHops; // small fields packed: a node is 24 bytes
        @SuppressWarnings("unused") // through DEPTH
        private volatile int depth;
        @SuppressWarnings("unused") // through CLAIMED
        private volatile boolean claimed;
        volatile byte admission = UNDECIDED;
        /** Placed in the output; read and written by the crawl's one output writer only (it costs no space). */
        boolean placed;

        Node(String url, int depth, int redirectHops) {
            this.url = url;
            this.depth = depth;
            this.redirectHops = (byte) Math.min(redirectHops, Byte.MAX_VALUE);
        }

        /** The least link depth known. */
        int depth() {
            return (int) DEPTH.getVolatile(this);
        }

        /** Sets the depth to {@code lower} if it is still {@code current}. */
        boolean lowerDepth(int current, int lower) {
            return DEPTH.compareAndSet(this, current, lower);
        }

        /** Claims the node for scheduling; true for the one caller that wins. */
        boolean claim() {
            return !(boolean) CLAIMED.getVolatile(this) && CLAIMED.compareAndSet(this, false, true);
        }

        /** Gives a claim back (the page limit refused the node). */
        void unclaim() {
            CLAIMED.setVolatile(this, false);
        }
    }
}
