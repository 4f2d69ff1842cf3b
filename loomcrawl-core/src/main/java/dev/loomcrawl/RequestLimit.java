package dev.loomcrawl;

import dev.loomcrawl.internal.fetch.RequestSlots;

/**
 * A bound on requests in flight shared by several crawls, such as the sites of one run: give the same limit to
 * each crawler ({@link CrawlerBuilder#requestLimit}) and no more than {@link #max()} of their requests are in flight
 * at once, whatever each crawler's own concurrency. A request holds its slot from when it is sent (its host's
 * politeness has let it go) until its response has been read or has failed. Thread-safe.
 *
 * <pre>{@code
 * RequestLimit limit = RequestLimit.of(64);
 * Crawler perSite = Crawler.builder().concurrency(4).requestLimit(limit).build();
 * }</pre>
 */
public final class RequestLimit {

    private final RequestSlots slots;

    private RequestLimit(RequestSlots slots) {
        this.slots = slots;
    }

    /**
     * A limit of {@code max} requests in flight.
     *
     * @throws IllegalArgumentException when {@code max} is not 1..{@value Crawler#MAX_CONCURRENCY}
     */
    public static RequestLimit of(int max) {
        if (max < 1 || max > Crawler.MAX_CONCURRENCY) {
            throw new IllegalArgumentException("requestLimit must be 1.." + Crawler.MAX_CONCURRENCY + ", was " + max);
        }
        return new RequestLimit(new RequestSlots(max));
    }

    /** The most requests in flight at once this limit allows. */
    public int max() {
        return slots.max();
    }

    /** The requests in flight now, under this limit. */
    public int inFlight() {
        return slots.inFlight();
    }

    /** The most requests that were in flight at once under this limit. */
    public int peak() {
        return slots.peak();
    }

    /** The requests under this limit that ended with a response, whatever its status. */
    public long answered() {
        return slots.answered();
    }

    /**
     * A share of this limit for one crawler: its requests take this limit's slots, and it counts its own
     * ({@link #inFlight()}, {@link #peak()}, {@link #answered()}), so a run sees what each of its sites is doing.
     */
    public RequestLimit share() {
        return new RequestLimit(slots.share());
    }

    RequestSlots slots() {
        return slots;
    }
}
