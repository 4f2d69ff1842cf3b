package dev.loomcrawl;

import dev.loomcrawl.engine.CrawlEngine;
import dev.loomcrawl.engine.CrawlFailedException;
import dev.loomcrawl.engine.Limits;
import dev.loomcrawl.engine.StopReason;
import dev.loomcrawl.fetch.FetchResponse;
import dev.loomcrawl.fetch.FetchSettings;
import dev.loomcrawl.fetch.HttpFetcher;
import dev.loomcrawl.links.LinkExtractor;
import dev.loomcrawl.robots.RobotsPolicy;
import dev.loomcrawl.url.CrawlScope;
import dev.loomcrawl.url.UrlNormalizer;
import java.io.IOException;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private final Limits limits;
    private final FetchSettings fetchSettings;
    private final boolean respectRobots;

    private Crawler(Builder b) {
        this.limits = new Limits(b.concurrency, b.maxDepth, b.maxPages, b.maxTime);
        this.fetchSettings = new FetchSettings(b.userAgent, b.connectTimeout, b.requestTimeout, b.maxBodyBytes,
                b.proxy, b.sslContext);
        this.respectRobots = b.respectRobots;
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
        String start = UrlNormalizer.normalize(startUrl);
        if (start == null) {
            throw new IllegalArgumentException("start URL must be an absolute http or https URL, was: " + startUrl);
        }
        Objects.requireNonNull(sink, "sink");
        long began = System.nanoTime();
        CrawlScope scope = CrawlScope.of(start);
        BreadthFirstOrder order = new BreadthFirstOrder(start, limits.maxDepth(), sink);
        Thread writer = Thread.ofVirtual().name("loomcrawl-writer").start(order);
        StopReason reason = null;
        CrawlFailedException failure = null;
        int peak;
        try (HttpFetcher fetcher = HttpFetcher.create(fetchSettings)) {
            RobotsPolicy robots = respectRobots ? new RobotsPolicy(fetcher, "loomcrawl") : null;
            CrawlEngine engine = new CrawlEngine(limits, url -> {
                if (robots == null || robots.allowed(url)) {
                    return true;
                }
                order.excluded(url);
                return false;
            }, visit -> fetchPage(fetcher, scope, order, visit));
            try {
                reason = engine.run(start);
            } catch (CrawlFailedException e) {
                failure = e;
            } finally {
                order.end();
                joinUninterruptibly(writer);
            }
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
        return new CrawlSummary(start, order.pages(), order.errors(), order.statuses(),
                order.bytes(), order.excludedCount(), peak, Duration.ofNanos(System.nanoTime() - began), reason);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = Thread.interrupted();
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static CrawlEngine.Outcome fetchPage(HttpFetcher fetcher, CrawlScope scope, BreadthFirstOrder order,
                                                 CrawlEngine.Visit visit) throws InterruptedException {
        String url = visit.url();
        long began = System.nanoTime();
        FetchResponse response = null;
        String error = null;
        try {
            response = fetcher.get(url);
        } catch (IOException e) {
            error = FetchErrors.reason(e);
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        if (response == null) {
            order.fetched(new PageResult(url, -1, null, 0, null, 0, millis, null, error, List.of(), false), List.of());
            return CrawlEngine.Outcome.links(List.of());
        }
        int status = response.status();
        String contentType = response.contentType();
        String redirect = null;
        List<String> links = List.of();
        List<String> followed = List.of();
        boolean isRedirect = status >= 300 && status < 400 && response.headers().first("Location") != null;
        if (isRedirect) {
            redirect = UrlNormalizer.resolve(url, response.headers().first("Location"));
            if (redirect == null) {
                error = "invalid redirect location";
            } else if (visit.redirectHops() >= MAX_REDIRECTS) {
                error = "too many redirects";
            } else if (scope.contains(redirect)) {
                followed = List.of(redirect);
            }
        } else if (status >= 200 && status < 300 && isHtml(contentType, response)) {
            links = LinkExtractor.links(url, response.body(), response.length(), contentType);
            followed = new ArrayList<>(links.size());
            for (String link : links) {
                if (scope.contains(link)) {
                    followed.add(link);
                }
            }
        }
        order.fetched(new PageResult(url, -1, null, status, contentType, response.length(), millis, redirect, error,
                links, response.truncated()), followed);
        return new CrawlEngine.Outcome(followed, isRedirect);
    }

    /** HTML by Content-Type; without one, by a look at the first bytes, as browsers sniff. */
    private static boolean isHtml(String contentType, FetchResponse response) {
        if (contentType != null) {
            String ct = contentType.trim().toLowerCase(Locale.ROOT);
            return ct.startsWith("text/html") || ct.startsWith("application/xhtml+xml");
        }
        int n = Math.min(response.length(), 512);
        String head = new String(response.body(), 0, n, java.nio.charset.StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
                || head.startsWith("<body") || head.startsWith("<a ");
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
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxBodyBytes = 10 * 1024 * 1024;
        private boolean respectRobots = true;
        private String userAgent = "loomcrawl/" + Version.current();
        private ProxySelector proxy;
        private SSLContext sslContext;

        private Builder() {}

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

        /** The limit on one whole request. Default 30 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Bodies are read up to this many bytes (after decoding) and marked truncated beyond. Default 10 MiB. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Whether robots.txt is obeyed. Default true. */
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
         * @throws IllegalArgumentException naming the setting and its allowed values when one is out of range
         */
        public Crawler build() {
            return new Crawler(this);
        }
    }
}
