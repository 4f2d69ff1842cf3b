package dev.loomcrawl.internal.engine;

import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.crawl.Ticker;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The crawl loop shared by every kind of crawl: a {@link Frontier} (seen-set, ready queue, pending count) and one
 * structured scope of virtual threads that visit URLs.
 *
 * <ul>
 *   <li><b>Structure.</b> One virtual thread dispatches: the calling thread when it is virtual, else one that
 *       {@link #run} starts and waits for. Every visit is a virtual thread of one {@link TaskScope} that the
 *       dispatcher closes before it ends, so no thread outlives the crawl. Stopping early interrupts the visits in
 *       flight.</li>
 *   <li><b>Order of work.</b> The ready queue hands URLs out in the order the crawl's single writer emits them,
 *       breadth-first (see {@link Frontier}), so few results wait for their turn and the writer holds little.</li>
 * </ul>
 *
 * <p>No lock is held across I/O; the only blocking points are the permit semaphore and the ready queue, both
 * owned by the dispatcher. One engine runs one crawl.
 */
public final class CrawlEngine {

    /** Decides once per URL whether it may be visited (scope, robots.txt, filters). May block. */
    @FunctionalInterface
    public interface Admission {
        boolean admit(String url) throws InterruptedException;
    }

    /**
     * Gives more start URLs when the crawl runs out of work (sitemap URLs no link reached); an empty list ends it.
     * Called on the dispatching thread while nothing is in flight.
     */
    @FunctionalInterface
    public interface Reseed {
        List<String> more();
    }

    /** Visits one URL; returns the URLs it leads to, in document order. Called on a virtual thread. */
    @FunctionalInterface
    public interface Visitor {
        Outcome visit(Visit visit) throws InterruptedException;
    }

    /**
     * A URL to visit.
     *
     * @param url the URL
     * @param depth the least link depth known for it when the visit starts
     * @param redirectHops how many redirects in a row led here (0 when a link did)
     * @param requestDone tells the engine that the visit's request is over, so its slot under the concurrency limit
     *     may go to another visit while this one finishes (records its result); optional, once or more. The
     *     first call yields the calling virtual thread, so that the dispatcher forks the next visit first
     */
    public record Visit(String url, int depth, int redirectHops, Runnable requestDone) {}

    /**
     * What a visit found.
     *
     * @param next the URLs to offer, in order
     * @param redirect whether the visit was a redirect (its one next URL is then a hop, not a link)
     */
    public record Outcome(List<String> next, boolean redirect) {
        public Outcome {
            next = List.copyOf(next);
        }

        public static Outcome links(List<String> next) {
            return new Outcome(next, false);
        }
    }

    private final Limits limits;
    private final Ticker ticker;
    private final Visitor visitor;
    /** Slots under the concurrency limit; a stop adds one, so that a dispatcher waiting for a slot sees it. */
    private final Semaphore permits;
    private final Frontier frontier;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicReference<StopReason> hardStop = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();

    public CrawlEngine(Limits limits, Admission admission, Visitor visitor) {
        this(limits, admission, visitor, null, Integer.MAX_VALUE, Ticker.system());
    }

    /**
     * An engine whose URLs ready to visit beyond {@code readyInMemory} wait in {@code overflow} (the crawl's store).
     *
     * @param overflow where they wait, or {@code null}: all in memory
     * @param ticker the clock of the time limit
     */
    public CrawlEngine(Limits limits, Admission admission, Visitor visitor, FrontierOverflow overflow, int readyInMemory,
                       Ticker ticker) {
        this.limits = limits;
        this.ticker = ticker;
        this.visitor = visitor;
        this.permits = new Semaphore(limits.concurrency());
        this.frontier = new Frontier(limits, admission, overflow, readyInMemory);
    }

    /**
     * Crawls from {@code start} until no work is left or a limit stops it, and returns only when every task has
     * ended. An interrupt of the calling thread cancels the crawl; the interrupt status is kept.
     *
     * @throws IllegalStateException when called twice
     * @throws CrawlFailedException when a visitor threw; the crawl was cancelled
     */
    public StopReason run(String start) {
        return run(start, List::of);
    }

    /**
     * Crawls from {@code start}, and when no work is left, from the unseen URLs {@code reseed} gives, until it
     * gives none. As {@link #run(String)} otherwise.
     */
    public StopReason run(String start, Reseed reseed) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("an engine runs one crawl");
        }
        return Thread.currentThread().isVirtual() ? crawl(start, reseed) : onVirtualThread(start, reseed);
    }

    /**
     * Runs the crawl's dispatcher on a virtual thread while the calling platform thread waits for it: the
     * dispatcher waits once per page (for a permit, for a ready URL), and a virtual thread's wait costs no switch
     * of the operating system's threads while the carriers have work. An interrupt of the caller cancels the
     * crawl, which still ends before this returns; the caller's interrupt status is kept.
     */
    private StopReason onVirtualThread(String start, Reseed reseed) {
        StopReason[] reason = new StopReason[1];
        Throwable[] thrown = new Throwable[1];
        Thread dispatcher = Thread.ofVirtual().name("loomcrawl-dispatch").start(() -> {
            try {
                reason[0] = crawl(start, reseed);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        Join.interruptingOnInterrupt(dispatcher); // happens-before: the arrays' writes are seen below
        switch (thrown[0]) {
            case null -> {
                return reason[0];
            }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(thrown[0]); // a checked exception thrown unchecked
        }
    }

    private StopReason crawl(String start, Reseed reseed) {
        AtomicBoolean timeUp = new AtomicBoolean();
        Ticker.Cancellable timeLimit = limits.maxTime() == null ? () -> { }
                : ticker.schedule(limits.maxTime().toNanos(), () -> {
                    timeUp.set(true);
                    if (frontier.pending() > 0) { // a crawl whose work ran out has completed, not timed out
                        stop(StopReason.MAX_TIME);
                    }
                });
        try {
            TaskScope scope = new TaskScope("loomcrawl-visit-", limits.concurrency());
            try (scope) {
                try {
                    frontier.offer(start, 0, 0);
                    if (frontier.pending() == 0) {
                        return finish();
                    }
                    while (dispatch(scope) && hardStop.get() == null && reseed(reseed)) {
                        if (timeUp.get()) { // the time ran out while the seeds were asked for
                            stop(StopReason.MAX_TIME);
                        }
                    }
                } catch (InterruptedException e) {
                    stop(StopReason.CANCELLED);
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    fail(e); // the frontier's overflow (the store) failed: the crawl fails as when a visit does
                }
                if (hardStop.get() != null) {
                    scope.cancel();
                }
            }
        } finally {
            timeLimit.cancel();
        }
        return finish();
    }

    /** Offers the seeds no visit has seen; returns whether any was scheduled. */
    private boolean reseed(Reseed reseed) throws InterruptedException {
        for (String url : reseed.more()) {
            if (!frontier.seen(url)) {
                frontier.offer(url, 0, 0);
            }
        }
        return frontier.pending() > 0;
    }

    /** Whether the crawl has met {@code url}, admitted or not. */
    public boolean seen(String url) {
        return frontier.seen(url);
    }

    /** What {@link #placeOnce} found. */
    public enum Placement {
        /** The URL is placed now, for the first time. */
        FIRST,
        /** It was placed before. */
        AGAIN,
        /** The frontier has not met it (yet): the caller keeps the mark itself. */
        UNSEEN
    }

    /**
     * Marks {@code url} as placed in the crawl's output, on its seen-set node, so the output writer needs no set of
     * its own. For the crawl's one output writer thread only.
     */
    public Placement placeOnce(String url) {
        Frontier.Node node = frontier.node(url);
        if (node == null) {
            return Placement.UNSEEN;
        }
        if (node.placed) {
            return Placement.AGAIN;
        }
        node.placed = true;
        return Placement.FIRST;
    }

    /**
     * The one string the crawl keeps for {@code url} (the first one offered), or {@code url} itself when it was never
     * offered: holders of many URLs share it instead of keeping copies. Any thread.
     */
    public String canonical(String url) {
        return frontier.canonical(url);
    }

    /** URLs scheduled and not yet finished: waiting, or being visited. */
    public long pending() {
        return frontier.pending();
    }

    /** Dispatches until the work runs out (returns true) or the crawl stops (false). */
    private boolean dispatch(TaskScope scope) throws InterruptedException {
        while (hardStop.get() == null) {
            permits.acquire();
            Frontier.Ready ready = frontier.next();
            if (hardStop.get() != null) {
                permits.release();
                continue;
            }
            if (ready == Frontier.END_READY) {
                permits.release();
                return hardStop.get() == null;
            }
            scope.fork(() -> visit(ready));
        }
        return false;
    }

    private StopReason finish() {
        Throwable t = failure.get();
        if (t != null) {
            throw new CrawlFailedException(t);
        }
        StopReason stop = hardStop.get();
        if (stop != null) {
            return stop;
        }
        return frontier.pageLimitReached() ? StopReason.MAX_PAGES : StopReason.COMPLETED;
    }

    /** Stops the crawl from any thread: the dispatcher ends and what is in flight is interrupted. */
    private void stop(StopReason reason) {
        if (hardStop.compareAndSet(null, reason)) {
            frontier.stop();
            permits.release();
        }
    }

    /** Stops the crawl because a visit failed; {@link #run} rethrows the cause. */
    private void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
        stop(StopReason.FAILED);
    }

    /** The most visits that were in flight at once. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    private void visit(Frontier.Ready ready) {
        Frontier.Node node = ready.node();
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean slotHeld = new AtomicBoolean(true);
        Runnable requestDone = () -> {
            if (releaseSlot(slotHeld)) {
                Thread.yield(); // the dispatcher, a virtual thread, forks the next visit before this one goes on
            }
        };
        try {
            if (hardStop.get() == null) {
                frontier.expand(ready, visitor.visit(new Visit(node.url, node.depth(), node.redirectHops, requestDone)));
            }
        } catch (InterruptedException e) {
            // cancelled: the visit delivers nothing, and the thread ends
        } catch (Throwable t) {
            fail(t);
        } finally {
            releaseSlot(slotHeld);
            frontier.complete();
        }
    }

    /** Gives a visit's slot under the concurrency limit back, the first time only; returns whether it did. */
    private boolean releaseSlot(AtomicBoolean held) {
        if (!held.compareAndSet(true, false)) {
            return false;
        }
        inFlight.decrementAndGet();
        permits.release();
        return true;
    }
}
