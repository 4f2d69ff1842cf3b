package dev.loomcrawl.internal.run;

import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.internal.engine.CrawlEngine;
import dev.loomcrawl.internal.store.StoreSession;
import dev.loomcrawl.internal.tally.Tally;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;

/**
 * The crawl's single writer. Pages finish in whatever order the network allows; this replays the breadth-first
 * crawl a serial crawler would make over the same link graph and hands each result to the sink when its turn
 * comes, with its breadth-first depth and parent. So the output is the same, byte for byte, at any concurrency.
 *
 * <p>Fetching threads only put messages in the inbox (message passing, no shared state); one thread runs
 * {@link #run()} and owns everything else. At the end of the crawl, URLs of the replay that were never fetched
 * (a page limit, a cancellation) are skipped.
 *
 * <p>Results that wait for their turn are held in memory; with a store, those beyond a bound
 * ({@value #MAX_WAITING_IN_MEMORY} in a crawl) are dropped and read back from the store when their turn comes, so
 * a crawl far ahead of its slowest branch does not fill the heap.
 */
final class BreadthFirstOrder implements Runnable {

    private sealed interface Message permits Fetched, Excluded, Roots, End {}

    private record Fetched(PageResult page, List<String> followed) implements Message {}

    /** The most waiting results a crawl holds in memory when a store can give them back. */
    static final int MAX_WAITING_IN_MEMORY = 10_000;

    /** A waiting result left in the store. */
    private static final Fetched SPILLED = new Fetched(null, List.of());

    private record Excluded(String url, String reason) implements Message {}

    private record Roots(List<String> urls) implements Message {}

    private record End() implements Message {}

    /**
     * URLs placed one after another in the replay: the start, sitemap roots, or the new links of one page, which
     * share their depth, parent and source. One object for a page's links, not one per URL: a wide crawl has
     * hundreds of thousands of URLs placed and not yet fetched (see docs/benchmarks.md, memory).
     */
    private static final class Slots {
        final String[] urls;
        final int depth;
        final String parent;
        final PageResult.Source source;
        int next; // the first URL not yet passed

        Slots(String[] urls, int depth, String parent, PageResult.Source source) {
            this.urls = urls;
            this.depth = depth;
            this.parent = parent;
            this.source = source;
        }
    }

    private final int maxDepth;
    private final PageSink sink;
    private final Set<String> sitemap;
    private final StoreSession store;
    private final int maxWaitingInMemory;
    private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private volatile Throwable sinkFailure;
    private UnaryOperator<String> canonical = UnaryOperator.identity();

    // owned by the writer thread
    private final ArrayDeque<Slots> replay = new ArrayDeque<>();
    private final Set<String> placed = new HashSet<>(); // what the engine cannot mark for us
    private CrawlEngine engine;
    private final Map<String, Fetched> waiting = new HashMap<>();
    private final Set<String> excluded = new HashSet<>();
    private final Tally tally = new Tally();
    private long notInSitemap;
    private long orphans;

    /**
     * @param sitemap the URLs the site's sitemaps list, or {@code null} when they were not read
     * @param store where every fetched page is recorded before it reaches this writer, or {@code null}
     * @param maxWaitingInMemory with a store, the most waiting results held in memory
     */
    BreadthFirstOrder(String start, int maxDepth, PageSink sink, Set<String> sitemap, StoreSession store,
                      int maxWaitingInMemory) {
        this.maxDepth = maxDepth;
        this.sink = sink;
        this.sitemap = sitemap;
        this.store = store;
        this.maxWaitingInMemory = maxWaitingInMemory;
        replay.add(new Slots(new String[] {start}, 0, null, PageResult.Source.START));
        placed.add(start); // the engine may not have met it yet
    }

    /**
     * Delivers a fetched page and the URLs the engine follows from it, in order. Any thread.
     *
     * @throws IllegalStateException when the sink has failed, to stop the crawl
     */
    void fetched(PageResult page, List<String> followed) {
        Throwable failure = sinkFailure;
        if (failure != null) {
            throw new IllegalStateException("result sink failed", failure);
        }
        inbox.add(new Fetched(page, followed));
    }

    /** Tells that {@code url} will never be fetched, and why (robots.txt, a URL-space guard). Any thread. */
    void excluded(String url, String reason) {
        inbox.add(new Excluded(url, reason));
    }

    /** Adds roots after the link crawl: sitemap URLs no link reached, which are fetched next. */
    void roots(List<String> urls) {
        inbox.add(new Roots(List.copyOf(urls)));
    }

    /**
     * Makes the writer keep its marks of placed URLs on the engine's seen-set nodes instead of a set of its own, and
     * keep, for each URL it places, the crawl's one string for it rather than a page's copy (a page read back from
     * the store has copies). Called before the writer thread starts.
     */
    void useFrontierOf(CrawlEngine engine) {
        this.engine = engine;
        this.canonical = engine::canonical;
    }

    /** Whether {@code url} is placed now for the first time. */
    private boolean placeOnce(String url) {
        if (engine == null || placed.contains(url)) {
            return placed.add(url);
        }
        return switch (engine.placeOnce(url)) {
            case FIRST -> true;
            case AGAIN -> false;
            case UNSEEN -> placed.add(url); // found by a visit that has not offered its links yet
        };
    }

    /** Tells that no more messages will come. */
    void end() {
        inbox.add(new End());
    }

    Throwable sinkFailure() {
        return sinkFailure;
    }

    @Override
    public void run() {
        while (true) {
            Message m;
            try {
                m = inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            switch (m) {
                case Fetched f -> {
                    boolean spill = store != null && waiting.size() >= maxWaitingInMemory;
                    waiting.put(f.page().url(), spill ? SPILLED : f);
                    advance(false);
                }
                case Excluded x -> {
                    excluded.add(x.url());
                    tally.excluded(x.reason(), 1);
                    advance(false);
                }
                case Roots r -> {
                    addNew(r.urls(), 0, null, PageResult.Source.SITEMAP);
                    advance(false);
                }
                case End e -> {
                    advance(true);
                    return;
                }
            }
        }
    }

    /** Emits every result whose turn has come; at the end, skips URLs that were never fetched. */
    private void advance(boolean atEnd) {
        while (!replay.isEmpty()) {
            Slots slots = replay.peekFirst();
            String url = slots.urls[slots.next];
            Fetched f = waiting.remove(url);
            if (f == SPILLED) {
                f = recall(url);
            }
            if (f == null && !atEnd && !excluded.remove(url)) {
                return;
            }
            slots.urls[slots.next++] = null; // passed: the array keeps no string it no longer needs
            if (slots.next == slots.urls.length) {
                replay.pollFirst();
            }
            if (f == null) {
                continue;
            }
            PageResult page = f.page();
            emit(page.placedAt(slots.depth, slots.parent, slots.source, sitemap == null ? null : sitemap.contains(url)));
            if (slots.depth < maxDepth) {
                addNew(f.followed(), slots.depth + 1, url,
                        page.redirect() != null ? PageResult.Source.REDIRECT : PageResult.Source.LINK);
            }
        }
    }

    /** Places the URLs of {@code urls} that were not placed before, in order, after everything placed so far. */
    private void addNew(List<String> urls, int depth, String parent, PageResult.Source source) {
        String[] fresh = new String[urls.size()];
        int n = 0;
        for (String link : urls) {
            if (placeOnce(link)) { // most links were placed before: the one string is looked up for new ones only
                fresh[n++] = canonical.apply(link);
            }
        }
        if (n > 0) {
            replay.addLast(new Slots(n == fresh.length ? fresh : Arrays.copyOf(fresh, n), depth, parent, source));
        }
    }

    /** A spilled result, from the store; {@code null} (skipped) when the store cannot give it. */
    private Fetched recall(String url) {
        try {
            StoreSession.Recalled r = store.recall(url);
            if (r == null) { // recorded, but not yet committed: the store reads only what is
                store.sync();
                r = store.recall(url);
            }
            if (r == null) {
                throw new IllegalStateException("a recorded page is missing from the store: " + url);
            }
            return new Fetched(r.page(), r.followed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sinkFailure = e;
        } catch (RuntimeException e) {
            sinkFailure = e; // fails the crawl as a failing output would
        }
        return null;
    }

    private void emit(PageResult page) {
        tally.pages(page.status(), 1, page.bytes());
        if (page.source() == PageResult.Source.SITEMAP) {
            orphans++;
        } else if (Boolean.FALSE.equals(page.inSitemap()) && page.status() == 200 && page.isHtml()) {
            notInSitemap++;
        }
        if (sinkFailure == null) {
            try {
                sink.accept(page);
            } catch (RuntimeException | Error e) {
                sinkFailure = e;
            }
        }
    }

    /** The summary's counts, once the writer has ended. */
    Tally tally() {
        return tally;
    }

    /** URLs found and never requested, by reason. */
    SortedMap<String, Long> exclusions() {
        return tally.exclusions();
    }

    /** Pages reached only through the sitemap. */
    long orphans() {
        return orphans;
    }

    /** HTML pages (200) reached by links that the sitemap does not list. */
    long notInSitemap() {
        return notInSitemap;
    }
}
