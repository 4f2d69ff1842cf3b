package dev.loomcrawl;

import dev.loomcrawl.archive.WarcArchive;
import dev.loomcrawl.engine.CrawlEngine;
import dev.loomcrawl.engine.CrawlFailedException;
import dev.loomcrawl.engine.Join;
import dev.loomcrawl.engine.Limits;
import dev.loomcrawl.engine.StopReason;
import dev.loomcrawl.fetch.FetchResponse;
import dev.loomcrawl.fetch.FetchSettings;
import dev.loomcrawl.fetch.HttpFetcher;
import dev.loomcrawl.links.ContentSniffer;
import dev.loomcrawl.links.LinkExtractor;
import dev.loomcrawl.links.PageLinks;
import dev.loomcrawl.links.RobotsDirectives;
import dev.loomcrawl.politeness.Backoff;
import dev.loomcrawl.politeness.Politeness;
import dev.loomcrawl.politeness.PolitenessSettings;
import dev.loomcrawl.politeness.Ticker;
import dev.loomcrawl.robots.RobotsPolicy;
import dev.loomcrawl.robots.SitemapReader;
import dev.loomcrawl.store.CrawlStore;
import dev.loomcrawl.url.CrawlScope;
import dev.loomcrawl.url.UrlNormalizer;
import dev.loomcrawl.url.UrlFilter;
import dev.loomcrawl.url.UrlSpace;
import dev.loomcrawl.watchdog.Watchdog;
import java.net.ProxySelector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Crawls every page reachable from a start URL on the same host, concurrently on virtual threads, and reports
 * each page once, in breadth-first order, to a {@link PageSink}.
 *
 * <pre>{@code
 * CrawlSummary summary = Crawler.builder().concurrency(32).build()
 *         .crawl("https://example.com/", page -> System.out.println(page.url()));
 * }</pre>
 *
 * <p>A {@code Crawler} is immutable and may run any number of crawls, one after another or at once; each crawl
 * has its own connections, frontier and threads, all gone when {@link #crawl} returns. Interrupting the thread
 * that runs a crawl cancels it: the pages already reported stay reported, the summary says
 * {@link StopReason#CANCELLED}, and the interrupt status is kept.
 */
public final class Crawler {

    /** The most redirects in a row that are followed; the next hop is recorded as "too many redirects". */
    public static final int MAX_REDIRECTS = 10;

    /**
     * With a store, the most URLs ready to visit the frontier holds in memory; the rest wait in the store, lowest
     * first back (a million-page crawl had 730,000 waiting at its widest).
     */
    static final int READY_IN_MEMORY = 20_000;

    private final Limits limits;
    private final FetchSettings fetchSettings;
    private final boolean respectRobots;
    private final PolitenessSettings politeness;
    private final Backoff backoff;
    private final Ticker ticker;
    private final int maxUrlLength;
    private final int maxPerPattern;
    private final boolean respectNofollow;
    private final boolean sitemaps;
    private final List<String> privateHeaders;
    private final Duration stallAfter;
    private final boolean threadDumps;
    private final Consumer<Watchdog.Report> watchdogListener;
    private final List<PageInspector> inspectors;
    private final int readyInMemory;
    private final UrlFilter filter;
    private final boolean subdomains;
    private final Path warc;
    private final long warcMaxBytes;

    private Crawler(Builder b) {
        this.limits = new Limits(b.concurrency, b.maxDepth, b.maxPages, b.maxTime);
        this.fetchSettings = new FetchSettings(b.userAgent, b.connectTimeout, b.firstByteTimeout, b.idleTimeout,
                b.requestTimeout, b.maxBodyBytes, b.proxy, b.sslContext, null);
        this.respectRobots = b.respectRobots;
        this.politeness = new PolitenessSettings(b.perHost == 0 ? b.concurrency : Math.min(b.perHost, b.concurrency),
                b.delay, b.rate, b.maxCrawlDelay, b.maxRetryAfter, b.adaptive);
        this.backoff = new Backoff(b.retries, b.retryBackoff, Backoff.DEFAULT.cap());
        this.ticker = Objects.requireNonNull(b.ticker, "ticker");
        new UrlSpace(b.maxUrlLength, b.maxPerPattern); // validates
        this.maxUrlLength = b.maxUrlLength;
        this.maxPerPattern = b.maxPerPattern;
        this.respectNofollow = b.respectNofollow;
        this.sitemaps = b.sitemaps;
        this.privateHeaders = List.copyOf(b.headers);
        if (b.stallAfter.isNegative() || b.stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive, was " + b.stallAfter);
        }
        this.stallAfter = b.stallAfter;
        this.threadDumps = b.threadDumps;
        this.watchdogListener = b.watchdogListener;
        this.inspectors = List.copyOf(b.inspectors);
        this.readyInMemory = b.readyInMemory;
        this.filter = new UrlFilter(b.include, b.exclude, b.pathPrefix);
        this.subdomains = b.subdomains;
        if (b.warcMaxBytes < 1) {
            throw new IllegalArgumentException("warcMaxBytes must be positive, was " + b.warcMaxBytes);
        }
        this.warc = b.warc;
        this.warcMaxBytes = b.warcMaxBytes;
    }

    /**
     * The normalized start URL.
     *
     * @throws IllegalArgumentException when {@code startUrl} is not an absolute http(s) URL
     */
    static String startOf(String startUrl) {
        String start = UrlNormalizer.normalize(startUrl);
        if (start == null) {
            throw new IllegalArgumentException("start URL must be an absolute http or https URL, was: " + startUrl);
        }
        return start;
    }

    /** How requests are made (the start host's private headers are added per crawl). */
    FetchSettings fetchSettings() {
        return fetchSettings;
    }

    Backoff backoff() {
        return backoff;
    }

    Ticker ticker() {
        return ticker;
    }

    Limits limits() {
        return limits;
    }

    /** The scope of a crawl from {@code normalizedStart}. */
    CrawlScope scopeOf(String normalizedStart) {
        return CrawlScope.of(normalizedStart, subdomains);
    }

    boolean respectRobots() {
        return respectRobots;
    }

    /** The private headers, name, value, ...: for the start host only. */
    List<String> privateHeaders() {
        return privateHeaders;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Crawls over HTTP from {@code startUrl}, reporting every requested URL in scope to {@code sink}.
     *
     * @throws IllegalArgumentException when {@code startUrl} is not an absolute http(s) URL
     * @throws CrawlFailedException when the sink threw (its exception is the cause) or a visit failed
     */
    public CrawlSummary crawl(String startUrl, PageSink sink) {
        return crawl(startUrl, sink, null);
    }

    /**
     * As {@link #crawl(String, PageSink)}, keeping the crawl's state in {@code store} (begun with
     * {@link CrawlStore#startNew} or {@link CrawlStore#resume}): every fetched page is recorded before its visit
     * ends, and the pages the store holds from an earlier run are recalled, not requested again. The results are
     * those of one uninterrupted crawl. The store records how the crawl ended; the caller closes it.
     *
     * @param store the crawl's state, or {@code null} to keep it in memory only
     * @throws IllegalArgumentException when the store holds a crawl of another start URL
     * @throws CrawlFailedException as {@link #crawl(String, PageSink)}, and when the store cannot be written (an
     *     {@link java.io.UncheckedIOException} is the cause)
     */
    public CrawlSummary crawl(String startUrl, PageSink sink, CrawlStore store) {
        String start = startOf(startUrl);
        Objects.requireNonNull(sink, "sink");
        if (store != null) {
            String stored = store.stored().map(CrawlStore.Stored::startUrl).orElse(null);
            if (!start.equals(stored)) {
                throw new IllegalArgumentException("the store holds a crawl of " + stored + ", not of " + start);
            }
        }
        long began = System.nanoTime();
        Instant started = Instant.now();
        CrawlScope scope = CrawlScope.of(start, subdomains);
        FetchSettings settings = fetchSettings.with(
                new FetchSettings.PrivateHeaders(CrawlScope.of(start)::contains, privateHeaders), // the start host only
                warc != null);
        WarcArchive archive;
        try {
            archive = warc == null ? null : new WarcArchive(warc, warcMaxBytes, "loomcrawl/" + Version.current());
        } catch (java.io.UncheckedIOException e) {
            throw new CrawlFailedException(e); // an output that cannot be written, as a failing sink
        }
        CrawlSummary summary;
        try (HttpFetcher fetcher = HttpFetcher.create(settings)) {
            summary = crawl(start, scope, fetcher, sink, began, started, archive, store);
        } finally {
            if (archive != null) {
                try {
                    archive.close();
                } catch (java.io.UncheckedIOException e) {
                    throw new CrawlFailedException(e);
                }
            }
        }
        if (store != null) {
            try {
                store.finished(summary);
            } catch (java.io.UncheckedIOException e) {
                throw new CrawlFailedException(e);
            }
        }
        return summary;
    }

    private CrawlSummary crawl(String start, CrawlScope scope, HttpFetcher fetcher, PageSink sink, long began,
                               Instant started, WarcArchive archive, CrawlStore store) {
        RobotsPolicy[] robotsRef = new RobotsPolicy[1];
        Politeness hosts = store == null ? new Politeness(politeness, ticker, url -> crawlDelay(robotsRef[0], url))
                : new Politeness(politeness, ticker, url -> crawlDelay(robotsRef[0], url), store.hostStates(),
                        store::hostChanged); // a resumed crawl keeps what it learned of each host

        PageFetch pageFetch = new PageFetch(fetcher, hosts, backoff, ticker);
        ProcessingSlots processing = new ProcessingSlots(limits.concurrency());
        RobotsPolicy.Source direct = url -> { // robots.txt and sitemaps: archived, not reported as pages
            FetchResponse response = pageFetch.unthrottled(url);
            if (archive != null) {
                archive.record(url, response, List.of());
            }
            return response;
        };
        RobotsPolicy robots = respectRobots || sitemaps ? new RobotsPolicy(direct, "loomcrawl") : null;
        robotsRef[0] = respectRobots ? robots : null;
        SitemapReader.Result listed = null;
        boolean interrupted = false;
        if (sitemaps) {
            try {
                listed = new SitemapReader(direct).read(start, robots.sitemaps(start), scope::contains);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Set<String> sitemapUrls = listed == null ? null : listed.urls();
        PageSink placed = store == null ? sink : page -> {
            store.placed(page);
            sink.accept(page);
        };
        BreadthFirstOrder order = new BreadthFirstOrder(start, limits.maxDepth(), placed, sitemapUrls, store,
                BreadthFirstOrder.MAX_WAITING_IN_MEMORY);
        UrlSpace space = new UrlSpace(maxUrlLength, maxPerPattern);
        StopReason reason = StopReason.CANCELLED;
        CrawlFailedException failure = null;
        int peak = 0;
        CrawlEngine engine = new CrawlEngine(limits, url -> {
            String refusal = url.equals(start) ? null : filter.refusal(url); // the start is crawled whatever the filters
            if (refusal == null) {
                refusal = space.refusal(url);
            }
            if (refusal == null && respectRobots && !robots.allowed(url)) {
                refusal = "robots";
            }
            if (refusal != null) {
                order.excluded(url, refusal);
                if (store != null) {
                    store.excluded(url, refusal);
                }
                for (PageInspector inspector : inspectors) {
                    inspector.excluded(url, refusal);
                }
                return false;
            }
            for (PageInspector inspector : inspectors) {
                inspector.admitted(url);
            }
            return true;
        }, visit -> visit(pageFetch, processing, scope, order, visit, archive, store), store, readyInMemory);
        order.useFrontierOf(engine);
        Thread writer = Thread.ofVirtual().name("loomcrawl-writer").start(order);
        Watchdog watchdog = Watchdog.start(stallAfter, new Watchdog.Probe() {
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
        }, threadDumps, watchdogListener, Ticker.system());
        try {
            if (interrupted) {
                Thread.currentThread().interrupt(); // cancelled while reading sitemaps: crawl nothing
            } else {
                boolean[] reseeded = new boolean[1];
                reason = engine.run(start, () -> {
                    if (sitemapUrls == null || reseeded[0]) {
                        return List.of();
                    }
                    reseeded[0] = true;
                    List<String> orphans = sitemapUrls.stream().filter(url -> !engine.seen(url)).toList();
                    order.roots(orphans);
                    return orphans;
                });
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
        if (respectRobots && order.exclusions().containsKey("robots") && !Thread.currentThread().isInterrupted()) {
            try {
                robotsOutcome = robots.outcome(start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CrawlSummary.Sitemaps sitemapSummary = listed == null ? null : new CrawlSummary.Sitemaps(listed.sitemapsRead(),
                listed.failures(), listed.urls().size(), order.orphans(), order.notInSitemap());
        return new CrawlSummary(start, order.pages(), order.errors(), order.statuses(), order.bytes(),
                order.exclusions(), robotsOutcome, peak, Duration.ofNanos(System.nanoTime() - began), reason,
                hosts.slowdowns(), hosts.slowdownCount(), sitemapSummary, started);
    }

    private static Duration crawlDelay(RobotsPolicy robots, String url) {
        if (robots == null) {
            return null;
        }
        try {
            return robots.crawlDelay(url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private CrawlEngine.Outcome visit(PageFetch pageFetch, ProcessingSlots processing, CrawlScope scope,
                                      BreadthFirstOrder order, CrawlEngine.Visit visit, WarcArchive archive,
                                      CrawlStore store)
            throws InterruptedException {
        String url = visit.url();
        if (store != null && store.resuming()) {
            CrawlStore.Recalled recalled = store.recall(url);
            if (recalled != null) {
                order.fetched(recalled.page(), recalled.followed());
                return new CrawlEngine.Outcome(recalled.followed(), recalled.page().redirect() != null);
            }
        }
        PageFetch.Attempt attempt = pageFetch.fetch(url);
        Runnable processed = processing.take(visit.requestDone());
        try {
            return process(url, attempt, visit.redirectHops(), scope, order, archive, store, processed);
        } finally {
            processed.run();
        }
    }

    /** What a visit does once its response is in (or its request failed), in a processing slot. */
    private CrawlEngine.Outcome process(String url, PageFetch.Attempt attempt, int redirectHops, CrawlScope scope,
                                        BreadthFirstOrder order, WarcArchive archive, CrawlStore store,
                                        Runnable processed) throws InterruptedException {
        FetchResponse response = attempt.response();
        if (response == null) {
            PageResult failed = new PageResult(url, -1, null, 0, null, 0, attempt.millis(), null, attempt.error(),
                    List.of(), false, attempt.attempts(), false, false, List.of(), null, null);
            if (store != null) {
                store.record(failed, List.of(), List.of(), processed);
            }
            order.fetched(failed, List.of());
            return CrawlEngine.Outcome.links(List.of());
        }
        int status = response.status();
        String contentType = response.contentType();
        String redirect = null;
        String error = null;
        PageLinks page = PageLinks.NONE;
        List<String> followed = List.of();
        RobotsDirectives header = RobotsDirectives.NONE;
        for (String value : response.headers().all("X-Robots-Tag")) {
            header = header.or(RobotsDirectives.fromHeader(value));
        }
        boolean isRedirect = status >= 300 && status < 400 && response.headers().first("Location") != null;
        if (isRedirect) {
            redirect = UrlNormalizer.resolve(url, response.headers().first("Location"));
            if (redirect == null) {
                error = "invalid redirect location";
            } else if (redirectHops >= MAX_REDIRECTS) {
                error = "too many redirects";
            } else if (scope.contains(redirect)) {
                followed = List.of(redirect);
            }
        } else if (status >= 200 && status < 300 && ContentSniffer.isHtml(contentType, response.body(), response.length())) {
            page = LinkExtractor.extract(url, response.body(), response.length(), contentType, store != null);
            for (PageInspector inspector : inspectors) {
                inspector.page(url, response.body(), response.length(), contentType);
            }
            boolean skipAll = respectNofollow && (header.nofollow() || page.nofollowAll());
            followed = new ArrayList<>(page.links().size());
            if (!skipAll) {
                Set<String> skip = respectNofollow && !page.nofollow().isEmpty() ? Set.copyOf(page.nofollow()) : Set.of();
                for (String link : page.links()) {
                    if (scope.contains(link) && !skip.contains(link)) {
                        followed.add(link);
                    }
                }
            }
        }
        if (archive != null) {
            archive.record(url, response, redirect != null ? List.of(redirect) : page.links());
        }
        PageResult result = new PageResult(url, -1, null, status, contentType, response.length(), attempt.millis(),
                redirect, error, page.links(), response.truncated(), attempt.attempts(), header.noindex() || page.noindex(),
                header.nofollow() || page.nofollowAll(), page.nofollow(), null, null);
        if (store != null) {
            store.record(result, page.texts(), followed, processed);
        }
        order.fetched(result, followed);
        return new CrawlEngine.Outcome(followed, isRedirect);
    }

    /**
     * Settings of a {@link Crawler}; every one has a default.
     */
    public static final class Builder {
        private int concurrency = Limits.DEFAULT_CONCURRENCY;
        private int maxDepth = Integer.MAX_VALUE;
        private long maxPages = Long.MAX_VALUE;
        private Duration maxTime;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration firstByteTimeout = Duration.ofSeconds(20);
        private Duration idleTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxBodyBytes = 10 * 1024 * 1024;
        private boolean respectRobots = true;
        private String userAgent = "loomcrawl/" + Version.current();
        private ProxySelector proxy;
        private SSLContext sslContext;
        private int perHost;
        private Duration delay;
        private double rate;
        private Duration maxCrawlDelay = PolitenessSettings.DEFAULT_MAX_CRAWL_DELAY;
        private Duration maxRetryAfter = PolitenessSettings.DEFAULT_MAX_RETRY_AFTER;
        private boolean adaptive = true;
        private int retries = Backoff.DEFAULT.retries();
        private Duration retryBackoff = Backoff.DEFAULT.base();
        private Ticker ticker = Ticker.system();
        private int maxUrlLength = UrlSpace.DEFAULT_MAX_URL_LENGTH;
        private int maxPerPattern = UrlSpace.DEFAULT_MAX_PER_PATTERN;
        private boolean respectNofollow;
        private boolean sitemaps;
        private final List<String> headers = new ArrayList<>();
        private Duration stallAfter = Duration.ofSeconds(60);
        private boolean threadDumps;
        private Consumer<Watchdog.Report> watchdogListener = report -> { };
        private final List<PageInspector> inspectors = new ArrayList<>();
        private int readyInMemory = READY_IN_MEMORY;
        private final List<Pattern> include = new ArrayList<>();
        private final List<Pattern> exclude = new ArrayList<>();
        private String pathPrefix;
        private boolean subdomains;
        private Path warc;
        private long warcMaxBytes = 1L << 30;

        private Builder() {}

        /** Crawls only URLs in which {@code regex} finds a match (or another include's). Default: all. */
        public Builder include(String regex) {
            this.include.add(compile("include", regex));
            return this;
        }

        /** Crawls no URL in which {@code regex} finds a match. Default: none excluded. */
        public Builder exclude(String regex) {
            this.exclude.add(compile("exclude", regex));
            return this;
        }

        private static Pattern compile(String name, String regex) {
            try {
                return Pattern.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException(name + " must be a regular expression; '" + regex + "' is not: "
                        + e.getDescription());
            }
        }

        /** Crawls only URLs whose path starts with {@code prefix}, such as {@code /docs/} (the start URL always). */
        public Builder pathPrefix(String prefix) {
            this.pathPrefix = prefix;
            return this;
        }

        /**
         * Archives every request and response in WARC 1.1 files, gzipped per record, starting with {@code file} and
         * rotating at {@code maxBytes} (see {@link WarcArchive}). Default: no archive.
         */
        public Builder warc(Path file, long maxBytes) {
            this.warc = file;
            this.warcMaxBytes = maxBytes;
            return this;
        }

        /** Whether subdomains of the start URL's host are in scope. Default false. */
        public Builder subdomains(boolean subdomains) {
            this.subdomains = subdomains;
            return this;
        }

        /** With a store, the most URLs ready to visit held in memory (tests make it small to exercise the store). */
        Builder readyInMemory(int readyInMemory) {
            this.readyInMemory = readyInMemory;
            return this;
        }

        /** Adds an inspector, which sees each URL admitted or not and each HTML page's body as the crawl goes. */
        public Builder inspector(PageInspector inspector) {
            this.inspectors.add(Objects.requireNonNull(inspector, "inspector"));
            return this;
        }

        /** Requests in flight at once, 1 (serial) to 4096. Default 16. */
        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** The deepest link level crawled (0: the start URL only). Default: no limit. */
        public Builder maxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
            return this;
        }

        /** The most URLs requested. Default: no limit. */
        public Builder maxPages(long maxPages) {
            this.maxPages = maxPages;
            return this;
        }

        /** The wall-clock budget of a crawl; in-flight requests are cancelled when it runs out. Default: none. */
        public Builder maxTime(Duration maxTime) {
            this.maxTime = maxTime;
            return this;
        }

        /** The limit on opening a connection. Default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** The limit between sending a request and the first byte of the response. Default 20 s. */
        public Builder firstByteTimeout(Duration firstByteTimeout) {
            this.firstByteTimeout = firstByteTimeout;
            return this;
        }

        /** The longest silence while a response arrives; a server that trickles is cut off. Default 10 s. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** The limit on one whole request, from sending it to the body's last byte. Default 30 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Bodies are read up to this many bytes (after decoding, so a compression bomb stops there too) and marked
         * truncated beyond; the rest is never read. Default 10 MiB.
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Whether robots.txt is obeyed (rules and Crawl-delay). Default true. */
        public Builder respectRobots(boolean respectRobots) {
            this.respectRobots = respectRobots;
            return this;
        }

        /** The User-Agent header. Default {@code loomcrawl/VERSION}. */
        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        /** Sends every request through this proxy selector. Default: direct connections. */
        public Builder proxy(ProxySelector proxy) {
            this.proxy = proxy;
            return this;
        }

        /** The TLS context for https. Default: the JDK's, with its trusted certificates. */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        /**
         * Trusts the certificates in these PEM files (one or more each) as roots, besides the JDK's
         * ({@link dev.loomcrawl.fetch.TlsTrust#withCertificates}); replaces any {@link #sslContext}.
         *
         * @throws IllegalArgumentException naming a file that cannot be read or holds no certificate
         */
        public Builder trustCertificates(List<java.nio.file.Path> pemFiles) {
            this.sslContext = pemFiles.isEmpty() ? null : dev.loomcrawl.fetch.TlsTrust.withCertificates(pemFiles);
            return this;
        }

        /**
         * Checks neither certificates nor host names over https ({@link dev.loomcrawl.fetch.TlsTrust#insecure});
         * replaces any {@link #sslContext}.
         */
        public Builder insecureTls() {
            this.sslContext = dev.loomcrawl.fetch.TlsTrust.insecure();
            return this;
        }

        /** Requests in flight to one host at once, 1 to 4096. Default: the crawl's concurrency. */
        public Builder perHost(int perHost) {
            if (perHost < 1 || perHost > Limits.MAX_CONCURRENCY) {
                throw new IllegalArgumentException("perHost must be 1.." + Limits.MAX_CONCURRENCY + ", was " + perHost);
            }
            this.perHost = perHost;
            return this;
        }

        /**
         * The least time between the starts of two requests to one host. Setting it overrides robots.txt
         * Crawl-delay. Default: none, or the host's Crawl-delay (at most {@link #maxCrawlDelay}).
         */
        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        /** The most requests per second to one host; 0 for no cap. Default 0. */
        public Builder rate(double requestsPerSecond) {
            this.rate = requestsPerSecond;
            return this;
        }

        /** The longest robots.txt Crawl-delay honored; longer ones are cut to it. Default 30 s. */
        public Builder maxCrawlDelay(Duration maxCrawlDelay) {
            this.maxCrawlDelay = maxCrawlDelay;
            return this;
        }

        /** The longest pause a Retry-After header imposes on a host. Default 2 min. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /** Whether 429/503 responses and rising latency lower a host's concurrency (AIMD). Default true. */
        public Builder adaptive(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /**
         * Retries after a transient failure (refused, reset or closed connection, timeout, 408, 429, 502, 503, 504),
         * 0 to 100. Default 2.
         */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** The backoff bound before the first retry; it doubles per retry, up to 30 s, with full jitter. Default 500 ms. */
        public Builder retryBackoff(Duration base) {
            this.retryBackoff = base;
            return this;
        }

        /** The source of time for politeness and backoff waits. Default: the system's. */
        public Builder ticker(Ticker ticker) {
            this.ticker = ticker;
            return this;
        }

        /** URLs longer than this many characters are not requested. Default 2048. */
        public Builder maxUrlLength(int maxUrlLength) {
            this.maxUrlLength = maxUrlLength;
            return this;
        }

        /**
         * The most URLs requested per URL pattern (see {@link UrlSpace}); {@link Integer#MAX_VALUE} for no cap.
         * Default 50,000.
         */
        public Builder maxPerPattern(int maxPerPattern) {
            this.maxPerPattern = maxPerPattern;
            return this;
        }

        /** Whether links marked nofollow (rel, robots meta, X-Robots-Tag) are skipped. Default false: recorded only. */
        public Builder respectNofollow(boolean respectNofollow) {
            this.respectNofollow = respectNofollow;
            return this;
        }

        /** Whether the site's sitemaps are read, their URLs crawled and orphans reported. Default false. */
        public Builder sitemaps(boolean sitemaps) {
            this.sitemaps = sitemaps;
            return this;
        }

        /**
         * Adds a header field sent with requests to the start URL's host only (never to another host, not after a
         * redirect either): a custom header, a {@code Cookie}, an {@code Authorization}.
         */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank() || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("header name must be a token such as X-Token, was '" + name + "'");
            }
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header value of " + name + " must be one line");
            }
            headers.add(name);
            headers.add(value);
            return this;
        }

        /** Sends HTTP Basic credentials to the start URL's host only. */
        public Builder basicAuth(String user, String password) {
            String token = java.util.Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return header("Authorization", "Basic " + token);
        }

        /** How long no request may complete, while work is pending, before the watchdog reports a stall. Default 60 s. */
        public Builder stallAfter(Duration stallAfter) {
            this.stallAfter = stallAfter;
            return this;
        }

        /** Whether a stall report carries a dump of every thread. Default false. */
        public Builder threadDumps(boolean threadDumps) {
            this.threadDumps = threadDumps;
            return this;
        }

        /** Receives the watchdog's stall and deadlock reports, on the watchdog's thread. Default: none. */
        public Builder watchdogListener(Consumer<Watchdog.Report> listener) {
            this.watchdogListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting and its allowed values when one is out of range
         */
        public Crawler build() {
            return new Crawler(this);
        }
    }
}
