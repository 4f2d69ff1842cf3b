package dev.loomcrawl;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.internal.links.Anchors;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.PageOccurrences;
import dev.loomcrawl.internal.run.CrawlRun;
import dev.loomcrawl.internal.run.CrawlSettings;
import dev.loomcrawl.internal.run.DirectChecks;
import dev.loomcrawl.internal.run.DirectChecks.Outcome;
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

/**
 * Crawls a site and checks every link on it: in-scope targets by the crawl itself, external ones (never crawled)
 * and, when asked, the site's resources (images, scripts, stylesheets, media) each once, HEAD first and GET when HEAD is refused, at most {@value #EXTERNAL_PER_HOST} requests at a time per
 * external host, never with the start host's private headers. Every link gets a {@link Verdict}, with where it
 * stands (page, line, anchor text, href as written). Fragments are checked against the target page's anchors.
 *
 * <p>A checker is immutable and may run any number of checks, one after another or at once; each has its own
 * crawl, and nothing of one check reaches another but the external links' outcomes, when the checker shares them
 * ({@link Builder#sharedChecks}).
 *
 * <pre>{@code
 * LinkChecker checker = LinkChecker.builder().crawler(Crawler.builder().concurrency(32).build()).build();
 * CheckReport report = checker.check("https://example.com/");
 * report.failing(Set.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR)).forEach(System.out::println);
 * }</pre>
 */
public final class LinkChecker {

    /** External requests in flight to one host at once. */
    public static final int EXTERNAL_PER_HOST = DirectChecks.PER_HOST;
    /** How deep stylesheets are followed through their {@code @import}s. */
    private static final int CSS_ROUNDS = 3;

    private final Crawler crawler;
    private final boolean external;
    private final boolean resources;
    private final SharedChecks shared;

    private LinkChecker(Builder b) {
        this.crawler = b.crawler;
        this.external = b.external;
        this.resources = b.resources;
        this.shared = b.shared;
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
        Map<String, Outcome> outside = new HashMap<>();
        List<String> stylesheets = new ArrayList<>();
        for (int round = 0; round <= CSS_ROUNDS && !toCheck.isEmpty() && !Thread.currentThread().isInterrupted(); round++) {
            Map<String, Outcome> checked = shared == null
                    ? DirectChecks.check(settings, scope, CrawlScope.of(start), toCheck, null, resources)
                    : shared.check(toCheck, u -> !scope.contains(u), urls -> DirectChecks.check(settings, scope,
                            CrawlScope.of(start), urls, shared.hosts(settings.ticker()), resources));
            outside.putAll(checked);
            Set<String> named = new LinkedHashSet<>(); // what the stylesheets of this round name, not yet asked
            for (String url : toCheck) { // in the order they were found, so the report's order is fixed
                Outcome o = checked.get(url);
                if (o != null && o.cssLinks() != null) {
                    stylesheets.add(url);
                    for (LinkOccurrence link : o.cssLinks()) {
                        String u = link.url();
                        if (u != null && !outside.containsKey(u) && !byUrl.containsKey(u) && (scope.contains(u) || external)) {
                            named.add(u);
                        }
                    }
                }
            }
            toCheck = named;
        }
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
        for (String sheet : stylesheets) { // each stylesheet's links, after the pages', with the stylesheet as their page
            for (LinkOccurrence link : outside.get(sheet).cssLinks()) {
                checks.add(judge(sheet, link, scope, byUrl, links, excluded, outside, notRequested));
            }
        }
        int externalChecked = (int) outside.keySet().stream().filter(u -> !scope.contains(u)).count();
        boolean ranToItsEnd = ended.stopReason() == StopReason.COMPLETED || ended.stopReason() == StopReason.MAX_PAGES;
        if (store != null && ranToItsEnd) {
            store.recordChecks(checks, externalChecked); // the check is finished; a stopped one resumes
        }
        return new CheckReport(ended, results, checks, externalChecked);
    }

    private static final Outcome NOT_CHECKED = new Outcome(Verdict.EXCLUDED, 0, "not requested: the check was interrupted",
            null);

    private LinkCheck judge(String source, LinkOccurrence link, CrawlScope scope, Map<String, PageResult> byUrl,
                            Map<String, PageOccurrences> pages, Map<String, String> excluded,
                            Map<String, Outcome> outside, String notRequested) {
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
            Outcome t = outside.getOrDefault(link.url(), NOT_CHECKED);
            return check(source, link, t.verdict(), t.status(), t.detail(), true);
        }
        Outcome t = internal(link.url(), byUrl, excluded, outside, notRequested); // resources checked directly are in outside
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
    private Outcome internal(String url, Map<String, PageResult> byUrl, Map<String, String> excluded,
                            Map<String, Outcome> outside, String notRequested) {
        List<String> chain = new ArrayList<>();
        String current = url;
        while (true) {
            PageResult r = byUrl.get(current);
            if (r == null) {
                if (outside.containsKey(current)) {
                    Outcome end = outside.get(current);
                    return DirectChecks.chained(end.verdict(), end.status(), chain, current, end.detail());
                }
                String reason = excluded.get(current);
                Verdict v = chain.isEmpty() ? Verdict.EXCLUDED : Verdict.REDIRECTED;
                return DirectChecks.chained(v, 0, chain, current, reason == null ? notRequested : "not requested: " + reason);
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
            return DirectChecks.chained(v, r.status(), chain, current, r.error() == null ? "" : r.error());
        }
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

    /** Settings of a {@link LinkChecker}; every one has a default. */
    public static final class Builder {
        private Crawler crawler = Crawler.builder().build();
        private boolean external = true;
        private boolean resources;
        private SharedChecks shared;

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

        /**
         * Where external links are checked once for this checker and every other given the same instance: the
         * sites of one run share one. Default: none, each check asks its own.
         */
        public Builder sharedChecks(SharedChecks shared) {
            this.shared = shared;
            return this;
        }

        public LinkChecker build() {
            return new LinkChecker(this);
        }
    }
}
