package dev.loomcrawl.internal.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the frontier keeps the URLs ready to visit beyond its bound in memory (the crawl's store), so that a wide
 * crawl holds only the lowest of them, in breadth-first order, in the heap.
 */
public interface FrontierOverflow {

    /**
     * A URL ready to visit, as the overflow keeps it.
     *
     * @param start where the URL's interval of its level starts (the frontier orders by depth, then this)
     * @param width the interval's width
     */
    record Entry(String url, int depth, double start, float width) {}

    /** Keeps {@code entries}; quick, never blocks on I/O (a writer thread writes them). Any thread. */
    void spill(List<Entry> entries);

    /**
     * The lowest {@code n} entries kept, by depth then start (fewer when fewer are kept), removed from the overflow,
     * once every entry spilled before this call is kept.
     */
    CompletableFuture<List<Entry>> takeLowest(int n);
}
