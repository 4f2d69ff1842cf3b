package dev.loomcrawl;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.crawl.Version;
import dev.loomcrawl.internal.engine.Limits;
import dev.loomcrawl.internal.fetch.AddressGuard;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.fetch.TlsTrust;
import dev.loomcrawl.internal.politeness.Backoff;
import dev.loomcrawl.internal.politeness.MachineLoad;
import dev.loomcrawl.internal.politeness.PolitenessSettings;
import dev.loomcrawl.internal.run.CrawlSettings;
import dev.loomcrawl.internal.url.UrlFilter;
import dev.loomcrawl.internal.url.UrlSpace;
import java.net.ProxySelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link Crawler}, from {@link Crawler#builder()}; every one has a default, and {@link #build()} checks
 * them all at once. Not thread-safe; the crawler it builds is immutable, and later changes to the builder do not
 * reach it.
 */
public final class CrawlerBuilder {
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
    private TlsTrust tls;
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
    private Consumer<StallReport> watchdogListener = report -> { };
    private final List<PageInspector> inspectors = new ArrayList<>();
    private int readyInMemory = Crawler.READY_IN_MEMORY;
    private final List<Pattern> include = new ArrayList<>();
    private final List<Pattern> exclude = new ArrayList<>();
    private String pathPrefix;
    private boolean subdomains;
    private Path warc;
    private long warcMaxBytes = 1L << 30;
    private ContentFormat content;
    private boolean excludePrivate;
    private RequestLimit requestLimit;
    private MachineLoad machineLoad = MachineLoad.system();

    CrawlerBuilder() {}

    /** Crawls only URLs in which {@code regex} finds a match (or another include's). Default: all. */
    public CrawlerBuilder include(String regex) {
        this.include.add(compile("include", regex));
        return this;
    }

    /** Crawls no URL in which {@code regex} finds a match. Default: none excluded. */
    public CrawlerBuilder exclude(String regex) {
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
    public CrawlerBuilder pathPrefix(String prefix) {
        this.pathPrefix = prefix;
        return this;
    }

    /**
     * Archives every request and response in WARC 1.1 files, gzipped per record, starting with {@code file} and
     * rotating at {@code maxBytes}. Default: no archive.
     */
    public CrawlerBuilder warc(Path file, long maxBytes) {
        this.warc = file;
        this.warcMaxBytes = maxBytes;
        return this;
    }

    /**
     * Extracts each 2xx HTML page's main content, written as {@code format}, with the metadata the page declares:
     * {@link PageResult#content()} (see {@link PageContent}). With a store, the content is kept with the page, so a
     * resumed crawl and a report give it again without extracting twice. Default {@code null}: no content.
     */
    public CrawlerBuilder content(ContentFormat format) {
        this.content = format;
        return this;
    }

    /**
     * Whether internal addresses are refused: loopback, private (RFC 1918), link-local (the cloud metadata address
     * among them), unique-local IPv6 and unspecified ones, judged on the address a host resolves to when it is
     * connected to, so that neither a redirect nor DNS rebinding gets round it. The start URL's own host (by its
     * name, wherever it resolves) is exempt: the user asked for it. It cannot be combined with a {@link #proxy}.
     * A refused request is recorded with the error {@code not requested: private address (...)}, and a link
     * checker calls it {@link dev.loomcrawl.check.Verdict#EXCLUDED}. Default false.
     */
    public CrawlerBuilder excludePrivate(boolean excludePrivate) {
        this.excludePrivate = excludePrivate;
        return this;
    }

    /**
     * A bound on requests in flight shared with other crawlers, on top of this crawler's {@link #concurrency}: the
     * sites of one run share one, so that the run's requests in flight stay under it. Default: none.
     */
    public CrawlerBuilder requestLimit(RequestLimit limit) {
        this.requestLimit = limit;
        return this;
    }

    /** Whether subdomains of the start URL's host are in scope. Default false. */
    public CrawlerBuilder subdomains(boolean subdomains) {
        this.subdomains = subdomains;
        return this;
    }

    /** Whether this machine is saturated, when rising latency does not count (tests fix it). Default: measured. */
    CrawlerBuilder machineLoad(MachineLoad load) {
        this.machineLoad = Objects.requireNonNull(load, "load");
        return this;
    }

    /** With a store, the most URLs ready to visit held in memory (tests make it small to exercise the store). */
    CrawlerBuilder readyInMemory(int readyInMemory) {
        this.readyInMemory = readyInMemory;
        return this;
    }

    /** Adds an inspector, which sees each URL admitted or not and each HTML page's body as the crawl goes. */
    public CrawlerBuilder inspector(PageInspector inspector) {
        this.inspectors.add(Objects.requireNonNull(inspector, "inspector"));
        return this;
    }

    /** Requests in flight at once, 1 (serial) to 4096. Default 16. */
    public CrawlerBuilder concurrency(int concurrency) {
        this.concurrency = concurrency;
        return this;
    }

    /** The deepest link level crawled (0: the start URL only). Default: no limit. */
    public CrawlerBuilder maxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
        return this;
    }

    /** The most URLs requested. Default: no limit. */
    public CrawlerBuilder maxPages(long maxPages) {
        this.maxPages = maxPages;
        return this;
    }

    /** The wall-clock budget of a crawl; in-flight requests are cancelled when it runs out. Default: none. */
    public CrawlerBuilder maxTime(Duration maxTime) {
        this.maxTime = maxTime;
        return this;
    }

    /** The limit on opening a connection. Default 10 s. */
    public CrawlerBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /** The limit between sending a request and the first byte of the response. Default 20 s. */
    public CrawlerBuilder firstByteTimeout(Duration firstByteTimeout) {
        this.firstByteTimeout = firstByteTimeout;
        return this;
    }

    /** The longest silence while a response arrives; a server that trickles is cut off. Default 10 s. */
    public CrawlerBuilder idleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        return this;
    }

    /** The limit on one whole request, from sending it to the body's last byte. Default 30 s. */
    public CrawlerBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /**
     * Bodies are read up to this many bytes (after decoding, so a compression bomb stops there too) and marked
     * truncated beyond; the rest is never read. Default 10 MiB.
     */
    public CrawlerBuilder maxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        return this;
    }

    /** Whether robots.txt is obeyed (rules and Crawl-delay). Default true. */
    public CrawlerBuilder respectRobots(boolean respectRobots) {
        this.respectRobots = respectRobots;
        return this;
    }

    /**
     * The User-Agent header, sent to every host; robots.txt rules are read for its product token (the name before
     * the first {@code /} or space: {@code MyBot} in {@code MyBot/2.0 (+https://example.com/bot)}). Default
     * {@code loomcrawl/VERSION}.
     *
     * @throws IllegalArgumentException when it is blank or more than one line
     */
    public CrawlerBuilder userAgent(String userAgent) {
        if (userAgent == null || userAgent.isBlank() || userAgent.indexOf('\r') >= 0 || userAgent.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("user agent must be one line of text, was '" + userAgent + "'");
        }
        this.userAgent = userAgent.strip();
        return this;
    }

    /** Sends every request through this proxy selector. Default: direct connections. */
    public CrawlerBuilder proxy(ProxySelector proxy) {
        this.proxy = proxy;
        return this;
    }

    /**
     * The TLS context for https, used as it is: its provider's TLS rather than the native engine the lean client
     * uses by default, so {@link #trustCertificates} is the faster way to trust more. Default: the JDK's trusted
     * certificates.
     */
    public CrawlerBuilder sslContext(SSLContext sslContext) {
        this.tls = TlsTrust.of(sslContext);
        return this;
    }

    /**
     * Trusts the certificates in these PEM files (one or more each) as roots, besides the JDK's; replaces any
     * {@link #sslContext}. With this trust or the default one, the native TLS engine's first context adds its
     * provider at the end of the JVM's list of security providers (see the README's "Library").
     *
     * @throws IllegalArgumentException naming a file that cannot be read or holds no certificate
     */
    public CrawlerBuilder trustCertificates(List<Path> pemFiles) {
        this.tls = pemFiles.isEmpty() ? null : TlsTrust.withCertificates(pemFiles);
        return this;
    }

    /**
     * Checks neither certificates nor host names over https, for a site whose certificate cannot be trusted
     * otherwise; replaces any {@link #sslContext}.
     */
    public CrawlerBuilder insecureTls() {
        this.tls = TlsTrust.insecure();
        return this;
    }

    /** Requests in flight to one host at once, 1 to 4096. Default: the crawl's concurrency. */
    public CrawlerBuilder perHost(int perHost) {
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
    public CrawlerBuilder delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** The most requests per second to one host; 0 for no cap. Default 0. */
    public CrawlerBuilder rate(double requestsPerSecond) {
        this.rate = requestsPerSecond;
        return this;
    }

    /** The longest robots.txt Crawl-delay honored; longer ones are cut to it. Default 30 s. */
    public CrawlerBuilder maxCrawlDelay(Duration maxCrawlDelay) {
        this.maxCrawlDelay = maxCrawlDelay;
        return this;
    }

    /** The longest pause a Retry-After header imposes on a host. Default 2 min. */
    public CrawlerBuilder maxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
        return this;
    }

    /** Whether 429/503 responses and rising latency lower a host's concurrency (AIMD). Default true. */
    public CrawlerBuilder adaptive(boolean adaptive) {
        this.adaptive = adaptive;
        return this;
    }

    /**
     * Retries after a transient failure (refused, reset or closed connection, timeout, 408, 429, 502, 503, 504),
     * 0 to 100. Default 2.
     */
    public CrawlerBuilder retries(int retries) {
        this.retries = retries;
        return this;
    }

    /** The backoff bound before the first retry; it doubles per retry, up to 30 s, with full jitter. Default 500 ms. */
    public CrawlerBuilder retryBackoff(Duration base) {
        this.retryBackoff = base;
        return this;
    }

    /**
     * The crawl's clock: politeness, backoff and {@code Retry-After} waits, the time limit, the watchdog's
     * checks, and the times a crawl measures (each fetch, the whole crawl, its start). Socket timeouts are real
     * time. Default: the system's.
     */
    public CrawlerBuilder ticker(Ticker ticker) {
        this.ticker = ticker;
        return this;
    }

    /** URLs longer than this many characters are not requested. Default 2048. */
    public CrawlerBuilder maxUrlLength(int maxUrlLength) {
        this.maxUrlLength = maxUrlLength;
        return this;
    }

    /**
     * The most URLs requested per URL pattern (a path with its numbers and hashes masked); {@link Integer#MAX_VALUE} for no cap.
     * Default 50,000.
     */
    public CrawlerBuilder maxPerPattern(int maxPerPattern) {
        this.maxPerPattern = maxPerPattern;
        return this;
    }

    /** Whether links marked nofollow (rel, robots meta, X-Robots-Tag) are skipped. Default false: recorded only. */
    public CrawlerBuilder respectNofollow(boolean respectNofollow) {
        this.respectNofollow = respectNofollow;
        return this;
    }

    /** Whether the site's sitemaps are read, their URLs crawled and orphans reported. Default false. */
    public CrawlerBuilder sitemaps(boolean sitemaps) {
        this.sitemaps = sitemaps;
        return this;
    }

    /**
     * Adds a header field sent with requests to the start URL's host only (never to another host, not after a
     * redirect either): a custom header, a {@code Cookie}, an {@code Authorization}. A {@code User-Agent} is not
     * added but replaces the crawler's own, for every host, as {@link #userAgent} does.
     */
    public CrawlerBuilder header(String name, String value) {
        if ("User-Agent".equalsIgnoreCase(name)) {
            return userAgent(value);
        }
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
    public CrawlerBuilder basicAuth(String user, String password) {
        String token = java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return header("Authorization", "Basic " + token);
    }

    /** How long no request may complete, while work is pending, before the watchdog reports a stall. Default 60 s. */
    public CrawlerBuilder stallAfter(Duration stallAfter) {
        this.stallAfter = stallAfter;
        return this;
    }

    /** Whether a stall report carries a dump of every thread. Default false. */
    public CrawlerBuilder threadDumps(boolean threadDumps) {
        this.threadDumps = threadDumps;
        return this;
    }

    /** Receives the watchdog's stall and deadlock reports, on the watchdog's thread. Default: none. */
    public CrawlerBuilder watchdogListener(Consumer<StallReport> listener) {
        this.watchdogListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting and its allowed values when one is out of range
     */
    public Crawler build() {
        if (excludePrivate && proxy != null) {
            throw new IllegalArgumentException("excludePrivate cannot be kept through a proxy: the proxy resolves the "
                    + "names and connects, so where a request goes cannot be judged here; let the proxy refuse internal "
                    + "addresses");
        }
        return new Crawler(new CrawlSettings(
                new Limits(concurrency, maxDepth, maxPages, maxTime),
                new FetchSettings(userAgent, connectTimeout, firstByteTimeout, idleTimeout, requestTimeout,
                        maxBodyBytes, proxy, tls, null)
                        .with(excludePrivate ? new AddressGuard(true, url -> false) : AddressGuard.NONE)
                        .with(requestLimit == null ? null : requestLimit.slots()),
                respectRobots,
                new PolitenessSettings(perHost == 0 ? concurrency : Math.min(perHost, concurrency), delay, rate,
                        maxCrawlDelay, maxRetryAfter, adaptive, machineLoad),
                new Backoff(retries, retryBackoff, Backoff.DEFAULT.cap()), Objects.requireNonNull(ticker, "ticker"),
                new UrlFilter(include, exclude, pathPrefix), maxUrlLength, maxPerPattern, subdomains,
                respectNofollow, sitemaps, headers, stallAfter, threadDumps, watchdogListener, inspectors,
                readyInMemory, warc, warcMaxBytes, null, content));
    }
}
