package dev.loomcrawl;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.fetch.HttpFetcher;
import dev.loomcrawl.internal.links.Anchors;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.PageOccurrences;
import dev.loomcrawl.internal.politeness.Politeness;
import dev.loomcrawl.internal.politeness.PolitenessSettings;
import dev.loomcrawl.internal.robots.RobotsPolicy;
import dev.loomcrawl.internal.run.CrawlRun;
import dev.loomcrawl.internal.run.CrawlSettings;
import dev.loomcrawl.internal.run.PageFetch;
import dev.loomcrawl.internal.store.StoreSession;
import dev.loomcrawl.internal.url.CrawlScope;
import dev.loomcrawl.internal.url.UrlNormalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Crawls a site and checks every link on it: in-scope targets by the crawl itself, external ones (never crawled)
 * and, when asked, the site's resources (images, scripts, stylesheets, media) each once, HEAD first and GET when HEAD is refused, at most {@value #EXTERNAL_PER_HOST} requests at a time per
 * external host, never with the start host's private headers. Every link gets a {@link Verdict}, with where it
 * stands (page, line, anchor text, href as written). Fragments are checked against the target page's anchors.
 *
 * <p>A checker is immutable and may run any number of checks, one after another or at once; each has its own
 * crawl, and nothing of one check reaches another.
 *
 * <pre>{@code
 * LinkChecker checker = LinkChecker.builder().crawler(Crawler.builder().concurrency(32).build()).build();
 * CheckReport report = checker.check("https://example.com/");
 * report.failing(Set.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR)).forEach(System.out::println);
 * }</pre>
 */
public final class LinkChecker {

    /** External requests in flight to one host at once. */
    public static final int EXTERNAL_PER_HOST = 2;
    /** HEAD answers that may only mean the server does not do HEAD: the link is asked again with GET. */
    private static final Set<Integer> HEAD_UNRELIABLE = Set.of(400, 403, 404, 405, 429, 501);

    private final Crawler crawler;
    private final boolean external;
    private final boolean resources;

    private LinkChecker(Builder b) {
        this.crawler = b.crawler;
        this.external = b.external;
        this.resources = b.resources;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Crawls from {@code startUrl}, then checks what the crawl did not request itself. An interrupt cancels the
     * check: the report holds what was found, and links not checked are {@link Verdict#EXCLUDED}; the interrupt
     * status is kept.
     *
     * @throws IllegalArgumentException when {@code startUrl} is not an absolute http(s) URL
     */
    public CheckReport check(String startUrl) {
        return check(startUrl, page -> { });
    }

    /** As {@link #check(String)}, also handing each crawled page to {@code pages} as the crawl reports it. */
    public CheckReport check(String startUrl, PageSink pages) {
        return check(startUrl, pages, null);
    }

    /**
     * As {@link #check(String, PageSink)}, keeping the check's state in {@code store} (see
     * {@link Crawler#crawl(String, PageSink, CrawlStore)}): each page's links with their anchor texts and lines, and
     * at the end every verdict. A resumed check recalls the pages and links of earlier runs; external links are
     * checked again.
     */
    public CheckReport check(String startUrl, PageSink pages, CrawlStore crawlStore) {
        String start = CrawlRun.startOf(startUrl);
        StoreSession store = crawlStore == null ? null : crawlStore.session();
        ConcurrentHashMap<String, PageOccurrences> links = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, String> excluded = new ConcurrentHashMap<>();
        CrawlSettings settings = crawler.settings().with(new PageInspector() {
            @Override
            public void excluded(String url, String reason) {
                excluded.put(url, reason);
            }
        }, new CrawlSettings.OccurrenceTap(resources, (url, page) -> {
            links.put(url, page);
            if (store != null) {
                store.recordOccurrences(url, page); // committed with the page, or before it
            }
        }));
        List<PageResult> results = new ArrayList<>();
        CrawlSummary summary = CrawlRun.crawl(settings, start, page -> {
            results.add(page);
            pages.accept(page);
        }, store);
        if (store != null) {
            for (PageResult r : results) {
                if (!links.containsKey(r.url()) && r.isHtml()) {
                    PageOccurrences recalled = store.occurrences(r.url()); // fetched by an earlier run
                    if (recalled != null) {
                        links.put(r.url(), recalled);
                    }
                }
            }
        }
        Map<String, PageResult> byUrl = new HashMap<>();
        results.forEach(r -> byUrl.put(r.url(), r));
        CrawlScope scope = settings.scopeOf(start);

        // what the crawl did not request and the check must: external links, and the site's own resources
        Set<String> toCheck = new LinkedHashSet<>();
        for (PageResult r : results) {
            PageOccurrences page = links.get(r.url());
            if (page != null) {
                for (LinkOccurrence link : page.links()) {
                    String u = link.url();
                    if (u != null && (scope.contains(u) ? link.resource() && !byUrl.containsKey(u) : external)) {
                        toCheck.add(u);
                    }
                }
            }
            if (external && r.redirect() != null && !scope.contains(r.redirect())) {
                toCheck.add(r.redirect()); // an internal chain that ends elsewhere
            }
        }
        // cancelled (Ctrl-C, an interrupt): report what the crawl found, check nothing more
        Map<String, Target> outside = Thread.currentThread().isInterrupted() ? Map.of()
                : checkDirectly(settings, scope, CrawlScope.of(start), toCheck);
        CrawlSummary ended = Thread.currentThread().isInterrupted() && summary.stopReason() != StopReason.CANCELLED
                ? summary.withStopReason(StopReason.CANCELLED) : summary; // cut short while checking directly
        String notRequested = "not requested: " + (ended.stopReason() == StopReason.CANCELLED
                ? "the check was interrupted" : "a crawl limit");

        List<LinkCheck> checks = new ArrayList<>();
        for (PageResult r : results) {
            PageOccurrences page = links.get(r.url());
            if (page == null) {
                continue;
            }
            for (LinkOccurrence link : page.links()) {
                checks.add(judge(r.url(), link, scope, byUrl, links, excluded, outside, notRequested));
            }
        }
        int externalChecked = (int) outside.keySet().stream().filter(u -> !scope.contains(u)).count();
        boolean ranToItsEnd = ended.stopReason() == StopReason.COMPLETED || ended.stopReason() == StopReason.MAX_PAGES;
        if (store != null && ranToItsEnd) {
            store.recordChecks(checks, externalChecked); // the check is finished; a stopped one resumes
        }
        return new CheckReport(ended, results, checks, externalChecked);
    }

    /** Where a target ended: its status or error at the end of its redirect chain. */
    private record Target(Verdict verdict, int status, String detail) {}

    private static final Target NOT_CHECKED = new Target(Verdict.EXCLUDED, 0, "not requested: the check was interrupted");

    private LinkCheck judge(String source, LinkOccurrence link, CrawlScope scope, Map<String, PageResult> byUrl,
                            Map<String, PageOccurrences> pages, Map<String, String> excluded,
                            Map<String, Target> outside, String notRequested) {
        if (link.url() == null) {
            String scheme = UrlNormalizer.otherScheme(link.href());
            return scheme != null
                    ? check(source, link, Verdict.EXCLUDED, 0, "not checked: " + scheme + " link", false)
                    : check(source, link, Verdict.INVALID, 0, "not a valid URL", false);
        }
        if (!scope.contains(link.url())) {
            if (!external) {
                return check(source, link, Verdict.EXCLUDED, 0, "external link not checked", true);
            }
            Target t = outside.getOrDefault(link.url(), NOT_CHECKED);
            return check(source, link, t.verdict(), t.status(), t.detail(), true);
        }
        Target t = internal(link.url(), byUrl, excluded, outside, notRequested); // resources checked directly are in outside
        if ((t.verdict() == Verdict.OK || t.verdict() == Verdict.REDIRECTED) && link.fragment() != null) {
            String last = finalUrl(link.url(), byUrl); // a fragment is judged on the page the chain ends on
            PageOccurrences target = pages.get(last);
            if (target != null && !Anchors.indicates(link.fragment(), target.anchors())) {
                String missing = "no id or name '" + link.fragment() + "'";
                return check(source, link, Verdict.BROKEN_ANCHOR, t.status(),
                        t.detail().isEmpty() ? missing : t.detail() + ": " + missing, false);
            }
        }
        return check(source, link, t.verdict(), t.status(), t.detail(), false);
    }

    private static LinkCheck check(String source, LinkOccurrence link, Verdict verdict, int status, String detail,
                                   boolean external) {
        return new LinkCheck(source, link.href(), link.url(), link.text(), link.line(), link.element(), verdict, status,
                detail, external);
    }

    /** An in-scope target, from what the crawl found, following its redirects. */
    private Target internal(String url, Map<String, PageResult> byUrl, Map<String, String> excluded,
                            Map<String, Target> outside, String notRequested) {
        List<String> chain = new ArrayList<>();
        String current = url;
        while (true) {
            PageResult r = byUrl.get(current);
            if (r == null) {
                if (outside.containsKey(current)) {
                    Target end = outside.get(current);
                    return chained(end.verdict(), end.status(), chain, current, end.detail());
                }
                String reason = excluded.get(current);
                Verdict v = chain.isEmpty() ? Verdict.EXCLUDED : Verdict.REDIRECTED;
                return chained(v, 0, chain, current, reason == null ? notRequested : "not requested: " + reason);
            }
            if (r.redirect() != null && r.error() == null && !chain.contains(current)) {
                chain.add(current);
                current = r.redirect();
                continue;
            }
            Verdict v = Verdict.of(r.status(), r.error());
            if (r.redirect() != null) {
                v = Verdict.BROKEN; // a loop, or too many redirects
            }
            return chained(v, r.status(), chain, current, r.error() == null ? "" : r.error());
        }
    }

    private static Target chained(Verdict end, int status, List<String> chain, String last, String detail) {
        if (chain.isEmpty()) {
            return new Target(end, status, detail);
        }
        String path = String.join(" -> ", chain) + " -> " + last;
        Verdict v = end == Verdict.OK ? Verdict.REDIRECTED : end;
        return new Target(v, status, detail.isEmpty() ? path : path + ": " + detail);
    }

    private static String finalUrl(String url, Map<String, PageResult> byUrl) {
        String current = url;
        for (int hops = 0; hops <= Crawler.MAX_REDIRECTS; hops++) {
            PageResult r = byUrl.get(current);
            if (r == null || r.redirect() == null) {
                return current;
            }
            current = r.redirect();
        }
        return current;
    }

    /**
     * Checks each URL once, concurrently, a few at a time per host: external links, and the site's resources (which
     * robots.txt may exclude, and which get the start host's private headers; other hosts never do).
     */
    private Map<String, Target> checkDirectly(CrawlSettings crawl, CrawlScope scope, CrawlScope startHost,
                                              Set<String> urls) {
        FetchSettings settings = crawl.fetch()
                .with(new FetchSettings.PrivateHeaders(startHost::contains, crawl.privateHeaders()), false);
        Politeness hosts = new Politeness(new PolitenessSettings(EXTERNAL_PER_HOST, null, 0,
                PolitenessSettings.DEFAULT_MAX_CRAWL_DELAY, PolitenessSettings.DEFAULT_MAX_RETRY_AFTER, true),
                crawl.ticker(), url -> null);
        Map<String, Target> out = new ConcurrentHashMap<>();
        Semaphore permits = new Semaphore(crawl.limits().concurrency());
        try (HttpFetcher fetcher = HttpFetcher.create(settings);
             ExecutorService tasks = Executors.newThreadPerTaskExecutor(
                     Thread.ofVirtual().name("loomcrawl-check-", 0).factory())) {
            PageFetch fetch = new PageFetch(fetcher, hosts, crawl.backoff(), crawl.ticker());
            RobotsPolicy robots = crawl.respectRobots() ? new RobotsPolicy(fetch::unthrottled, settings.robotsAgent()) : null;
            for (String url : urls) {
                tasks.submit(() -> {
                    permits.acquire();
                    try {
                        if (robots != null && scope.contains(url) && !robots.allowed(url)) {
                            out.put(url, new Target(Verdict.EXCLUDED, 0, "not requested: robots"));
                        } else {
                            out.put(url, checkOne(fetch, url));
                        }
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
        }
        return out;
    }

    /** HEAD, GET when HEAD is refused, following redirects. */
    private static Target checkOne(PageFetch fetch, String url) throws InterruptedException {
        List<String> chain = new ArrayList<>();
        String current = url;
        for (int hop = 0; hop <= Crawler.MAX_REDIRECTS; hop++) {
            PageFetch.Attempt a = fetch.head(current);
            if (a.response() != null && HEAD_UNRELIABLE.contains(a.response().status())) {
                a = fetch.fetch(current);
            }
            FetchResponse r = a.response();
            if (r == null) {
                return chained(Verdict.of(0, a.error()), 0, chain, current, a.error());
            }
            String location = r.headers().first("Location");
            if (r.status() >= 300 && r.status() < 400 && location != null) {
                String next = UrlNormalizer.resolve(current, location);
                if (next == null) {
                    return chained(Verdict.BROKEN, r.status(), chain, current, "invalid redirect location");
                }
                chain.add(current);
                current = next;
                continue;
            }
            if (r.headers().first("cf-mitigated") != null || r.status() == 999) {
                return chained(Verdict.BLOCKED, r.status(), chain, current, "bot wall");
            }
            return chained(Verdict.of(r.status(), null), r.status(), chain, current, "");
        }
        return chained(Verdict.BROKEN, 0, chain, current, "too many redirects");
    }

    /** Settings of a {@link LinkChecker}; every one has a default. */
    public static final class Builder {
        private Crawler crawler = Crawler.builder().build();
        private boolean external = true;
        private boolean resources;

        private Builder() {}

        /** The crawl's settings; the check adds an inspector of its own to each of its crawls. Default: the defaults. */
        public Builder crawler(Crawler crawler) {
            this.crawler = Objects.requireNonNull(crawler, "crawler");
            return this;
        }

        /** Whether links to other hosts are checked; when not, they are {@link Verdict#EXCLUDED}. Default true. */
        public Builder externalLinks(boolean external) {
            this.external = external;
            return this;
        }

        /** Whether {@code img}, {@code script}, stylesheets and media sources are checked too. Default false. */
        public Builder resources(boolean resources) {
            this.resources = resources;
            return this;
        }

        public LinkChecker build() {
            return new LinkChecker(this);
        }
    }
}
