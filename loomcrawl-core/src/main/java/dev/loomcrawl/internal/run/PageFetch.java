package dev.loomcrawl.internal.run;

import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.fetch.HttpFetcher;
import dev.loomcrawl.internal.fetch.RequestSlots;
import dev.loomcrawl.internal.politeness.Backoff;
import dev.loomcrawl.internal.politeness.Politeness;
import dev.loomcrawl.internal.politeness.RetryAfter;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes the request for one URL as politeness allows, and again after a transient failure, with backoff; a
 * {@code Retry-After} pauses the whole host. Knows which URLs are being fetched, and since when, for the
 * watchdog. Thread-safe.
 */
public final class PageFetch {

    /**
     * The last attempt at a URL.
     *
     * @param response the response, or {@code null} when none arrived
     * @param failure why no response arrived, or {@code null}
     * @param attempts how many requests were made
     * @param millis how long the last request took
     */
    public record Attempt(FetchResponse response, IOException failure, int attempts, long millis) {
        /** The short reason no response arrived, or {@code null}. */
        public String error() {
            return failure == null ? null : FetchErrors.reason(failure);
        }
    }

    private final HttpFetcher fetcher;
    private final RequestSlots slots;
    private final Politeness politeness;
    private final Backoff backoff;
    private final Ticker ticker;
    private final ConcurrentHashMap<String, Long> fetching = new ConcurrentHashMap<>();
    private final LongAdder completed = new LongAdder();

    /** @param slots the slots shared with other crawls that each request holds, or {@code null} for none */
    public PageFetch(HttpFetcher fetcher, RequestSlots slots, Politeness politeness, Backoff backoff, Ticker ticker) {
        this.fetcher = fetcher;
        this.slots = slots;
        this.politeness = politeness;
        this.backoff = backoff;
        this.ticker = ticker;
    }

    /** Fetches a page as the host's politeness allows. */
    public Attempt fetch(String url) throws InterruptedException {
        return request(url, Request.GET);
    }

    /** HEADs {@code url} as the host's politeness allows, with retries. */
    public Attempt head(String url) throws InterruptedException {
        return request(url, Request.HEAD);
    }

    /** What is asked, and whether the host's schedule is kept. */
    private enum Request {
        GET, HEAD,
        /** A GET outside the host's schedule, for robots.txt, which the schedule depends on (its Crawl-delay). */
        UNSCHEDULED_GET
    }

    private Attempt request(String url, Request request) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Politeness.Permit permit = request == Request.UNSCHEDULED_GET ? null : politeness.acquire(url);
            if (slots != null) {
                try {
                    slots.take(); // after the host's permit: a request waiting for its host holds no shared slot
                } catch (InterruptedException e) {
                    if (permit != null) {
                        permit.release(Politeness.Signal.FAILED);
                    }
                    throw e;
                }
            }
            long began = ticker.nanoTime();
            FetchResponse response = null;
            IOException failure = null;
            Politeness.Signal signal = Politeness.Signal.FAILED; // no answer (failed or cancelled) says nothing of load
            fetching.put(url, began);
            try {
                response = request == Request.HEAD ? fetcher.head(url) : fetcher.get(url);
                signal = overloaded(response.status()) ? Politeness.Signal.OVERLOADED : Politeness.Signal.OK;
            } catch (IOException e) {
                failure = e;
            } finally {
                fetching.remove(url);
                completed.increment();
                if (slots != null) {
                    slots.giveBack(response != null ? RequestSlots.Ended.ANSWERED : RequestSlots.Ended.UNANSWERED);
                }
                if (permit != null) {
                    permit.release(signal);
                }
            }
            long millis = (ticker.nanoTime() - began) / 1_000_000;
            boolean retry = attempt <= backoff.retries();
            if (failure != null) {
                if (retry && FetchErrors.isTransient(failure)) {
                    ticker.sleep(backoff.delayNanos(attempt, ThreadLocalRandom.current()));
                    continue;
                }
                return new Attempt(null, failure, attempt, millis);
            }
            int status = response.status();
            Duration retryAfter = overloaded(status)
                    ? RetryAfter.parse(response.headers().first("Retry-After"), ticker.instant()) : null;
            if (retryAfter != null && retryAfter.isPositive()) {
                politeness.pause(url, retryAfter, status + " with Retry-After " + retryAfter.toSeconds() + "s");
            }
            if (retry && FetchErrors.isTransient(status)) {
                if (retryAfter == null) {
                    ticker.sleep(backoff.delayNanos(attempt, ThreadLocalRandom.current()));
                }
                continue; // after a Retry-After, the host's pause is the wait
            }
            return new Attempt(response, null, attempt, millis);
        }
    }

    /** 429 and 503: the host asks for less. */
    private static boolean overloaded(int status) {
        return status == 429 || status == 503;
    }

    /**
     * GETs {@code url} outside the host's schedule, with retries, as robots.txt and sitemaps are read (the schedule
     * waits for robots.txt's Crawl-delay); a failure is thrown, as {@link dev.loomcrawl.internal.robots.RobotsPolicy.Source}
     * wants it.
     */
    public FetchResponse unthrottled(String url) throws IOException, InterruptedException {
        Attempt a = request(url, Request.UNSCHEDULED_GET);
        if (a.failure() != null) {
            throw a.failure();
        }
        return a.response();
    }

    /** The URLs being fetched now, with the {@link Ticker#nanoTime()} each request began. */
    ConcurrentHashMap<String, Long> fetching() {
        return fetching;
    }

    /** Requests that ended, with or without a response. */
    public long completed() {
        return completed.sum();
    }
}
