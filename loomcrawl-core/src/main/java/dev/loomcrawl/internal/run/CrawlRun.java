package dev.loomcrawl.internal.run;

import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.crawl.Version;
import dev.loomcrawl.internal.archive.WarcArchive;
import dev.loomcrawl.internal.engine.CrawlEngine;
import dev.loomcrawl.internal.engine.Join;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.fetch.HttpFetcher;
import dev.loomcrawl.internal.politeness.Politeness;
import dev.loomcrawl.internal.robots.RobotsPolicy;
import dev.loomcrawl.internal.robots.SitemapReader;
import dev.loomcrawl.internal.store.StoreSession;
import dev.loomcrawl.internal.url.CrawlScope;
import dev.loomcrawl.internal.url.UrlNormalizer;
import dev.loomcrawl.internal.url.UrlSpace;
import dev.loomcrawl.internal.watchdog.Watchdog;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One crawl, wired: the fetcher and archive it owns, politeness and robots.txt, the sitemaps read first, the
 * breadth-first order and its writer thread, the engine with its admission and visits, and the watchdog. Everything
 * it starts is stopped before {@link #crawl} returns.
 */
public final class CrawlRun {

    /** The most redirects in a row that are followed; the next hop is recorded as "too many redirects". */
    public static final int MAX_REDIRECTS = 10;

    private final CrawlSettings settings;
    private final String start;
    private final StoreSession store;

    private CrawlRun(CrawlSettings settings, String start, StoreSession store) {
        this.settings = settings;
        this.start = start;
        this.store = store;
    }

    /**
     * The normalized start URL.
     *
     * @throws IllegalArgumentException when {@code startUrl} is not an absolute http(s) URL
     */
    public static String startOf(String startUrl) {
        String start = UrlNormalizer.normalize(startUrl);
        if (start == null) {
            throw new IllegalArgumentException("start URL must be an absolute http or https URL, was: " + startUrl);
        }
        return start;
    }

    /**
     * Crawls from {@code startUrl} with {@code settings}, reporting each page to {@code sink}; with a store, records
     * every page and how the crawl ended, and recalls what an earlier run fetched.
     *
     * @throws IllegalArgumentException when the start URL is not an absolute http(s) URL, or the store holds a crawl
     *     of another, or keeps another clock
     * @throws CrawlFailedException when the sink threw, a visit failed, or an output could not be written
     */
    public static CrawlSummary crawl(CrawlSettings settings, String startUrl, PageSink sink, StoreSession store) {
        String start = startOf(startUrl);
        Objects.requireNonNull(sink, "sink");
        if (store != null) {
            String stored = store.startUrl();
            if (!start.equals(stored)) {
                throw new IllegalArgumentException("the store holds a crawl of " + stored + ", not of " + start);
            }
            if (store.ticker() != settings.ticker()) {
                throw new IllegalArgumentException("the store keeps another clock than the crawler's: open it with "
                        + "CrawlStore.open(dir, ticker) and the crawler's ticker, so a crawl has one clock");
            }
        }
        return new CrawlRun(settings, start, store).crawl(sink);
    }

    private CrawlSummary crawl(PageSink sink) {
        long began = settings.ticker().nanoTime();
        Instant started = settings.ticker().instant();
        FetchSettings fetchSettings = settings.fetch().with(
                new FetchSettings.PrivateHeaders(CrawlScope.of(start)::contains, settings.privateHeaders()),
                settings.warc() != null);
        WarcArchive archive;
        try {
            archive = settings.warc() == null ? null
                    : new WarcArchive(settings.warc(), settings.warcMaxBytes(), "loomcrawl/" + Version.current(),
                            settings.ticker());
        } catch (UncheckedIOException e) {
            throw new CrawlFailedException(e); // an output that cannot be written, as a failing sink
        }
        CrawlSummary summary;
        try (HttpFetcher fetcher = HttpFetcher.create(fetchSettings)) {
            summary = crawl(fetcher, sink, began, started, archive);
        } finally {
            if (archive != null) {
                try {
                    archive.close();
                } catch (UncheckedIOException e) {
                    throw new CrawlFailedException(e);
                }
            }
        }
        if (store != null) {
            try {
                store.recordEnd(summary);
            } catch (UncheckedIOException e) {
                throw new CrawlFailedException(e);
            }
        }
        return summary;
    }

    private CrawlSummary crawl(HttpFetcher fetcher, PageSink sink, long began, Instant started, WarcArchive archive) {
        CrawlScope scope = settings.scopeOf(start);
        RobotsGate gate = new RobotsGate();
        Politeness hosts = store == null
                ? new Politeness(settings.politeness(), settings.ticker(), gate::crawlDelay)
                : new Politeness(settings.politeness(), settings.ticker(), gate::crawlDelay, store.hostStates(),
                        store::recordHost); // a resumed crawl keeps what it learned of each host
        PageFetch pageFetch = new PageFetch(fetcher, settings.fetch().requestSlots(), hosts, settings.backoff(),
                settings.ticker());
        RobotsPolicy.Source direct = url -> { // robots.txt and sitemaps: archived, not reported as pages
            FetchResponse response = pageFetch.unthrottled(url);
            if (archive != null) {
                archive.record(url, response, List.of());
            }
            return response;
        };
        RobotsPolicy robots = settings.respectRobots() || settings.sitemaps() ? new RobotsPolicy(direct, settings.fetch().robotsAgent()) : null;
        gate.robots = settings.respectRobots() ? robots : null;
        SitemapReader.Result listed = null;
        boolean interrupted = false;
        if (settings.sitemaps()) {
            try {
                listed = new SitemapReader(direct).read(start, robots.sitemaps(start), scope::contains);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Set<String> sitemapUrls = listed == null ? null : listed.urls();
        PageSink placed = store == null ? sink : page -> {
            store.markPlaced(page);
            sink.accept(page);
        };
        BreadthFirstOrder order = new BreadthFirstOrder(start, settings.limits().maxDepth(), placed, sitemapUrls, store,
                BreadthFirstOrder.MAX_WAITING_IN_MEMORY);
        List<PageInspector> inspectors = settings.inspectors();
        CrawlEngine engine = new CrawlEngine(settings.limits(),
                new Admission(start, settings.filter(), new UrlSpace(settings.maxUrlLength(), settings.maxPerPattern()),
                        gate.robots, order, store, inspectors),
                new PageProcessor(pageFetch, new ProcessingSlots(settings.limits().concurrency()), scope, order, archive,
                        store, inspectors, settings.respectNofollow(), settings.occurrences(), settings.content(),
                        settings.ticker()),
                store, settings.readyInMemory(), settings.ticker());
        order.useFrontierOf(engine);
        StopReason reason = StopReason.CANCELLED;
        CrawlFailedException failure = null;
        int peak;
        Thread writer = Thread.ofVirtual().name("loomcrawl-writer").start(order);
        Watchdog watchdog = Watchdog.start(settings.stallAfter(), new Watchdog.Probe() {
            @Override
            public long progress() {
                return pageFetch.completed();
            }

            @Override
            public boolean busy() {
                return engine.pending() > 0 && hosts.waitingForTime() == 0;
            }

            @Override
            public Map<String, Long> inFlight() {
                return Map.copyOf(pageFetch.fetching());
            }
        }, settings.threadDumps(), settings.watchdogListener(), settings.ticker());
        try {
            if (interrupted) {
                Thread.currentThread().interrupt(); // cancelled while reading sitemaps: crawl nothing
            } else {
                reason = engine.run(start, new SitemapOrphans(sitemapUrls, engine, order));
            }
        } catch (CrawlFailedException e) {
            failure = e;
        } finally {
            watchdog.close();
            order.end();
            Join.uninterruptibly(writer);
            peak = engine.peakInFlight();
        }
        // a failed sink makes the next visit fail too: report the sink's exception, the first cause
        Throwable sinkFailure = order.sinkFailure();
        if (sinkFailure != null) {
            throw new CrawlFailedException(sinkFailure);
        }
        if (failure != null) {
            throw failure;
        }
        String robotsOutcome = null;
        if (gate.robots != null && order.exclusions().containsKey("robots") && !Thread.currentThread().isInterrupted()) {
            try {
                robotsOutcome = robots.outcome(start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CrawlSummary.Sitemaps sitemapSummary = listed == null ? null : new CrawlSummary.Sitemaps(listed.sitemapsRead(),
                listed.failures(), listed.urls().size(), order.orphans(), order.notInSitemap());
        return order.tally().summary(start, robotsOutcome, peak, Duration.ofNanos(settings.ticker().nanoTime() - began), reason,
                hosts.slowdowns(), hosts.slowdownCount(), sitemapSummary, started);
    }

    /**
     * The robots.txt rules obeyed, once made: politeness asks it for each host's Crawl-delay, and is made before it,
     * since robots.txt is fetched through the same requests.
     */
    private static final class RobotsGate {
        private volatile RobotsPolicy robots;

        Duration crawlDelay(String url) {
            RobotsPolicy rules = robots;
            if (rules == null) {
                return null;
            }
            try {
                return rules.crawlDelay(url);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** The sitemap URLs no link reached, given to the engine once when it runs out of work. */
    private static final class SitemapOrphans implements CrawlEngine.Reseed {
        private final Set<String> listed;
        private final CrawlEngine engine;
        private final BreadthFirstOrder order;
        private boolean given;

        SitemapOrphans(Set<String> listed, CrawlEngine engine, BreadthFirstOrder order) {
            this.listed = listed;
            this.engine = engine;
            this.order = order;
        }

        @Override
        public List<String> more() {
            if (listed == null || given) {
                return List.of();
            }
            given = true;
            List<String> orphans = listed.stream().filter(url -> !engine.seen(url)).toList();
            order.roots(orphans);
            return orphans;
        }
    }
}
