package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slots for requests in flight, shared by every crawl whose fetcher holds them: a request takes a slot when it is
 * sent (after its host's politeness let it go, so a request waiting for its host holds none) and gives it back when
 * its response ended or failed. Counts the most in flight at once. Thread-safe.
 */
public final class RequestSlots {

    private final int max;
    private final Semaphore free;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    /** @throws IllegalArgumentException when {@code max} is not 1 or more */
    public RequestSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a request limit must be 1 or more, was " + max);
        }
        this.max = max;
        this.free = new Semaphore(max, true);
    }

    public int max() {
        return max;
    }

    /** The requests in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were in flight at once. */
    public int peak() {
        return peak.get();
    }

    /** {@code fetcher} with each of its requests holding one of these slots. */
    HttpFetcher around(HttpFetcher fetcher) {
        return new HttpFetcher() {
            @Override
            public FetchResponse get(String url) throws IOException, InterruptedException {
                take();
                try {
                    return fetcher.get(url);
                } finally {
                    giveBack();
                }
            }

            @Override
            public FetchResponse head(String url) throws IOException, InterruptedException {
                take();
                try {
                    return fetcher.head(url);
                } finally {
                    giveBack();
                }
            }

            @Override
            public void close() {
                fetcher.close();
            }
        };
    }

    private void take() throws InterruptedException {
        free.acquire();
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    private void giveBack() {
        inFlight.decrementAndGet();
        free.release();
    }
}
