package dev.loomcrawl.internal.store;

/**
 * What the store's writer passes once a batch is written and before it commits: nothing in a crawl
 * ({@link #OPEN}); a test holds commits back with one, to see what waits for them.
 */
@FunctionalInterface
public interface CommitGate {

    /** Lets every commit through at once. */
    CommitGate OPEN = () -> { };

    /** Returns when the commit may go on; called on the writer's thread. */
    void beforeCommit() throws InterruptedException;
}
