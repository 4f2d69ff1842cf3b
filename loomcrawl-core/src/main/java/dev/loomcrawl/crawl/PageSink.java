package dev.loomcrawl.crawl;

/**
 * Receives the results of a crawl, one page at a time, in breadth-first order (by depth, then by the parent's
 * position, then by the link's position in the parent), the same order at any concurrency. It is called from one
 * thread only, so an implementation needs no locking; it should be quick, since results wait while it runs. An
 * exception it throws stops the crawl and is rethrown by {@link Crawler#crawl}.
 */
@FunctionalInterface
public interface PageSink {
    void accept(PageResult page);
}
