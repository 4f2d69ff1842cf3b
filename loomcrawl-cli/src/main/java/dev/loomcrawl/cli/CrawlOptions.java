package dev.loomcrawl.cli;

import dev.loomcrawl.Crawler;
import dev.loomcrawl.CrawlerBuilder;
import dev.loomcrawl.crawl.ContentFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of a crawl, shared by {@code crawl} and {@code check}. */
final class CrawlOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Read options from this TOML file (default: "
            + "loomcrawl.toml in the working directory, when there is one); the command line's options win.")
    java.nio.file.Path config;

    @Option(names = "--sites", paramLabel = "FILE", description = "Also crawl the start URLs in FILE, one a line "
            + "(blank lines and # comments skipped; - reads stdin), each as a site of its own; see 'many sites' in the README.")
    java.nio.file.Path sites;

    @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once, over all sites, 1..4096 (default: ${DEFAULT-VALUE}).")
    int concurrency = Crawler.DEFAULT_CONCURRENCY;

    @Option(names = "--max-pages", paramLabel = "N", description = "Request at most N URLs of a site (default: no limit).")
    Long maxPages;

    @Option(names = "--max-depth", paramLabel = "N", description = "Follow links at most N levels from the start (default: no limit).")
    Integer maxDepth;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Limit on one whole request, like 500ms, 5s, 2m (default: 30s).")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Limit on opening a connection (default: 10s).")
    Duration connectTimeout = Duration.ofSeconds(10);

    @Option(names = "--first-byte-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Limit between sending a request and the first byte of its response (default: 20s).")
    Duration firstByteTimeout = Duration.ofSeconds(20);

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest silence while a response arrives; a trickling server is cut off (default: 10s).")
    Duration idleTimeout = Duration.ofSeconds(10);

    @Option(names = "--max-body", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Read at most SIZE of a body, after decompression, like 512KB or 5MB; the rest is not read "
                    + "and the page is marked truncated (default: 10MB).")
    int maxBody = 10 << 20;

    @Option(names = "--retries", paramLabel = "N", description = "Retries of a transient failure (refused, reset, "
            + "timeout, 408, 429, 502, 503, 504), with exponential backoff and jitter, 0..100 (default: 2).")
    int retries = 2;

    @Option(names = "--per-host", paramLabel = "N", description = "Requests in flight to one host at once (default: as "
            + "--concurrency for one site, " + ManySites.DEFAULT_PER_SITE + " per site for many).")
    Integer perHost;

    @Option(names = "--delay", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Least time between two requests to a host; overrides robots.txt Crawl-delay "
                    + "(default: none, or Crawl-delay up to 30s).")
    Duration delay;

    @Option(names = "--rate", paramLabel = "N", description = "At most N requests per second to a host (default: no cap).")
    Double rate;

    @Option(names = "--max-url-length", paramLabel = "N", description = "Do not request URLs longer than N characters (default: 2048).")
    int maxUrlLength = 2048;

    @Option(names = "--max-per-pattern", paramLabel = "N", description = "Request at most N URLs of one pattern "
            + "(digits as #, query values ignored: /cal/#/#?view), so calendars and session ids end; 0 for no cap "
            + "(default: 50000).")
    int maxPerPattern = 50_000;

    @Option(names = "--respect-nofollow", description = "Do not follow rel=nofollow links, nor any link of a page whose "
            + "robots meta tag or X-Robots-Tag says nofollow (they are always recorded).")
    boolean respectNofollow;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "Send this header to the start "
            + "URL's host, never to another (repeatable); a User-Agent replaces the crawler's own, for every host.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--exclude-private", description = "Never connect to loopback, private (RFC 1918), link-local "
            + "(169.254/16, the cloud metadata address), unique-local IPv6 or unspecified addresses, judged on the "
            + "address a host resolves to when connected to (redirects and DNS rebinding included); such links are "
            + "excluded. The start URL's own host is exempt. Not with a proxy (--proxy, http_proxy, https_proxy), "
            + "which resolves and connects itself.")
    boolean excludePrivate;

    @Option(names = {"-A", "--user-agent"}, paramLabel = "STRING", description = "The User-Agent header, sent to "
            + "every host; robots.txt is read for its name (MyBot in 'MyBot/2.0 (+https://example.com/bot)') "
            + "(default: loomcrawl/VERSION).")
    String userAgent;

    @Option(names = "--cookie", paramLabel = "NAME=VALUE", description = "Send this cookie to the start URL's host only (repeatable).")
    List<String> cookies = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER:PASSWORD", description = "HTTP Basic credentials for the start URL's host only.")
    String user;

    @Option(names = "--proxy", paramLabel = "URL", description = "Send every request through this HTTP proxy "
            + "(default: http_proxy, https_proxy and no_proxy from the environment; loopback hosts go direct).")
    String proxy;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "Trust the certificates in this PEM file too, "
            + "besides the JDK's (repeatable), as for a staging site or a TLS-inspecting proxy.")
    List<java.nio.file.Path> caCerts = new ArrayList<>();

    @Option(names = {"-k", "--insecure"}, description = "Check neither TLS certificates nor host names over https "
            + "(with a warning; recorded in the crawl's settings).")
    boolean insecure;

    @Option(names = "--sitemaps", description = "Read the sitemaps robots.txt names (or /sitemap.xml), crawl their "
            + "URLs too, and report orphans (listed, linked from nowhere) and linked pages they lack.")
    boolean sitemaps;

    @Option(names = "--stall-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Report a stall when no request completes for this long while work is pending (default: 60s).")
    Duration stallTimeout = Duration.ofSeconds(60);

    @Option(names = "--debug", description = "Add a dump of every thread to stall reports.")
    boolean debug;

    @Option(names = "--max-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the crawl (of all sites) after this long, cancelling what is in flight (default: no limit).")
    Duration maxTime;

    @Option(names = "--ignore-robots", description = "Do not fetch or obey robots.txt.")
    boolean ignoreRobots;

    @Option(names = "--include", paramLabel = "REGEX", description = "Crawl only URLs in which REGEX matches "
            + "(repeatable: any of them; the start URL always).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "REGEX", description = "Do not crawl URLs in which REGEX matches (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--path-prefix", paramLabel = "PREFIX", description = "Crawl only URLs whose path starts with "
            + "PREFIX, such as /docs/ (the start URL always).")
    String pathPrefix;

    @Option(names = "--subdomains", description = "Crawl subdomains of the start URL's host too.")
    boolean subdomains;

    @Option(names = "--warc", paramLabel = "FILE", description = "Archive every request and response as WARC 1.1, "
            + "gzipped per record, such as site.warc.gz.")
    java.nio.file.Path warc;

    @Option(names = "--warc-max-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Start a new WARC file (site-00001.warc.gz, ...) when one reaches SIZE (default: 1GB).")
    int warcMaxSize = 1 << 30;

    @Option(names = "--state", paramLabel = "DIR", description = "Keep the crawl's state in DIR, an SQLite "
            + "database the README describes (default: HOST[_PORT].loomcrawl in the working directory). An unfinished "
            + "crawl there resumes: what was fetched is not requested again.")
    java.nio.file.Path state;

    @Option(names = "--no-state", description = "Keep the crawl in memory only: no state directory, no resume.")
    boolean noState;

    @Option(names = "--fresh", description = "Start over: replace an unfinished crawl in the state directory.")
    boolean fresh;

    @Option(names = "--progress", paramLabel = "WHEN", description = "Draw the live progress bar on stderr: auto "
            + "(when stderr is a terminal), always (a log that keeps it too), or never (default: ${DEFAULT-VALUE}).")
    String progress = "auto";

    /**
     * Whether the live progress bar is drawn: as {@code --progress} says, never with {@code --quiet}.
     *
     * @throws IllegalArgumentException when {@code --progress} is not auto, always or never
     */
    boolean progressBar(boolean quiet) {
        boolean wanted = switch (progress) {
            case "auto" -> Progress.stderrIsTerminal();
            case "always" -> true;
            case "never" -> false;
            default -> throw new IllegalArgumentException("--progress must be auto, always or never, was '" + progress + "'");
        };
        return wanted && !quiet;
    }

    /**
     * The state directory of a crawl from {@code start}, or {@code null} with --no-state.
     *
     * @throws IllegalArgumentException when --no-state comes with --state or --fresh
     */
    java.nio.file.Path stateDirectory(String start) {
        if (noState) {
            if (state != null || fresh) {
                throw new IllegalArgumentException("--no-state keeps no state: it cannot go with " + (fresh ? "--fresh" : "--state"));
            }
            return null;
        }
        return state != null ? state : StateDirectory.defaultFor(start);
    }

    /**
     * The state directory of a run over many sites, or {@code null} with --no-state.
     *
     * @throws IllegalArgumentException when --no-state comes with --state or --fresh
     */
    java.nio.file.Path sitesStateDirectory() {
        if (noState) {
            stateDirectory(null);
            return null;
        }
        return state != null ? state : SitesState.defaultFor(sites);
    }

    /** Whether the command line names many sites: several URLs, or {@code --sites}. */
    boolean manySites(List<String> urls) {
        return urls.size() > 1 || sites != null;
    }

    /**
     * The normalized start URL.
     *
     * @throws CommandLine.ParameterException when {@code url} is not an absolute http(s) URL
     */
    static String start(CommandLine cli, String url) {
        String start = Crawler.normalize(url);
        if (start == null) {
            throw new CommandLine.ParameterException(cli, "invalid URL '" + url + "': it must be an absolute http or https URL");
        }
        return start;
    }

    /** The library's setting names and the options that set them, for messages in the user's words. */
    static final java.util.Map<String, String> OPTION_OF_SETTING = java.util.Map.ofEntries(
            java.util.Map.entry("concurrency", "--concurrency"), java.util.Map.entry("maxDepth", "--max-depth"),
            java.util.Map.entry("maxPages", "--max-pages"), java.util.Map.entry("maxTime", "--max-time"),
            java.util.Map.entry("retries", "--retries"), java.util.Map.entry("perHost", "--per-host"),
            java.util.Map.entry("rate", "--rate"), java.util.Map.entry("delay", "--delay"),
            java.util.Map.entry("maxUrlLength", "--max-url-length"),
            java.util.Map.entry("maxPerPattern", "--max-per-pattern"),
            java.util.Map.entry("maxBodyBytes", "--max-body"), java.util.Map.entry("stallAfter", "--stall-timeout"),
            java.util.Map.entry("connectTimeout", "--connect-timeout"),
            java.util.Map.entry("firstByteTimeout", "--first-byte-timeout"),
            java.util.Map.entry("idleTimeout", "--idle-timeout"), java.util.Map.entry("requestTimeout", "--timeout"),
            java.util.Map.entry("warcMaxBytes", "--warc-max-size"),
            java.util.Map.entry("excludePrivate", "--exclude-private"));

    /** A library message about a setting ({@code maxDepth must be 0 or more}) with the option's name instead. */
    static String inOptionWords(String message) {
        int space = message.indexOf(' ');
        String option = space < 0 ? null : OPTION_OF_SETTING.get(message.substring(0, space));
        return option == null ? message : option + message.substring(space);
    }

    /** A buffered UTF-8 writer to {@code file}, or to the command's stdout when {@code file} is null. */
    static java.io.Writer output(CommandLine cli, java.nio.file.Path file) throws java.io.IOException {
        return new java.io.BufferedWriter(file == null ? cli.getOut() : new java.io.OutputStreamWriter(
                new java.io.FileOutputStream(file.toFile()), java.nio.charset.StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * What to tell of a failed write: the archive's and the store's messages name their file; an output's failure
     * is its cause's.
     */
    static String writeFailure(java.io.UncheckedIOException io) {
        return io.getMessage().startsWith("cannot ") ? io.getMessage() : io.getCause().getMessage();
    }

    /** The line that says why the start URL gave no response; for TLS, with the options that help. */
    static String unreachable(String start, String error) {
        return "loomcrawl: start URL unreachable: " + start + ": " + because(error);
    }

    /**
     * Why a start URL gave no response, in the words of its error; for a certificate that is not trusted (untrusted,
     * expired, not yet valid, revoked, or for another host name), with the options that help.
     */
    static String because(String error) {
        boolean certificate = error != null && (error.startsWith("tls: untrusted certificate")
                || error.startsWith("tls: certificate ") || error.startsWith("tls: hostname mismatch"));
        return error + (certificate ? " (--ca-cert FILE trusts a certificate authority; --insecure skips the check)"
                : "");
    }

    /** The line that says a run was interrupted, and whether the same command resumes it. */
    static String interrupted(boolean stateKept) {
        return "loomcrawl: interrupted: " + (stateKept ? "run the same command again to resume"
                : "nothing is kept with --no-state, so the same command starts over");
    }

    /** Says on stderr, once, what the options put at risk: {@code --insecure}. */
    void warn(java.io.PrintWriter err) {
        if (insecure) {
            err.println("loomcrawl: warning: --insecure: TLS certificates and host names are not checked");
        }
    }

    /** The most pages the crawl will request: --max-pages, or {@link Long#MAX_VALUE}. */
    long pageBound() {
        return maxPages == null ? Long.MAX_VALUE : maxPages;
    }

    /**
     * How each page's main content is extracted ({@code crawl --content}), or {@code null} for none: set by the
     * command, and read when a crawl is built, after a resumed crawl's settings were taken.
     */
    Supplier<ContentFormat> content = () -> null;

    /**
     * The crawl these options describe.
     *
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    CrawlerBuilder builder(CommandLine cli) {
        CrawlerBuilder builder = Crawler.builder().content(content.get()).concurrency(concurrency).requestTimeout(timeout)
                .connectTimeout(connectTimeout).firstByteTimeout(firstByteTimeout).idleTimeout(idleTimeout)
                .maxBodyBytes(maxBody).retries(retries).maxTime(maxTime).respectRobots(!ignoreRobots)
                .maxUrlLength(maxUrlLength).maxPerPattern(maxPerPattern == 0 ? Integer.MAX_VALUE : maxPerPattern)
                .respectNofollow(respectNofollow).sitemaps(sitemaps).excludePrivate(excludePrivate).stallAfter(stallTimeout).threadDumps(debug)
                .proxy(ProxyChoice.of(proxy, System.getenv()))
                .watchdogListener(report -> cli.getErr().println("loomcrawl: " + report.describe()));
        if (perHost != null) {
            builder.perHost(perHost);
        }
        if (userAgent != null) {
            try {
                builder.userAgent(userAgent);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--user-agent must be one line of text");
            }
        }
        trust(builder, caCerts, insecure);
        if (delay != null) {
            builder.delay(delay);
        }
        if (rate != null) {
            builder.rate(rate);
        }
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header must be written 'Name: value', was '" + h + "'");
            }
            builder.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        if (!cookies.isEmpty()) {
            builder.header("Cookie", String.join("; ", cookies));
        }
        if (user != null) {
            int colon = user.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--user must be written USER:PASSWORD");
            }
            builder.basicAuth(user.substring(0, colon), user.substring(colon + 1));
        }
        if (maxPages != null) {
            builder.maxPages(maxPages);
        }
        include.forEach(builder::include);
        exclude.forEach(builder::exclude);
        builder.pathPrefix(pathPrefix).subdomains(subdomains);
        if (warc != null) {
            builder.warc(warc, warcMaxSize);
        }
        if (maxDepth != null) {
            builder.maxDepth(maxDepth);
        }
        return builder;
    }

    /**
     * Sets the builder's TLS trust from {@code --ca-cert} and {@code --insecure}. The files are read even with
     * {@code --insecure}, which then replaces them, so that a mistyped file is said at once, not on the run
     * without {@code --insecure}.
     *
     * @throws IllegalArgumentException naming the file that cannot be read or holds no certificate
     */
    static void trust(CrawlerBuilder builder, List<java.nio.file.Path> caCerts, boolean insecure) {
        if (!caCerts.isEmpty()) {
            try {
                builder.trustCertificates(caCerts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--ca-cert: " + e.getMessage());
            }
        }
        if (insecure) {
            builder.insecureTls();
        }
    }
}
