package dev.loomcrawl.internal.run;

import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.fetch.HttpFetcher;
import dev.loomcrawl.internal.links.CssLinks;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.politeness.Politeness;
import dev.loomcrawl.internal.politeness.PolitenessSettings;
import dev.loomcrawl.internal.robots.RobotsPolicy;
import dev.loomcrawl.internal.url.CrawlScope;
import dev.loomcrawl.internal.url.UrlNormalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * What a link check asks directly, outside the crawl: external links and the site's resources, each once, HEAD
 * first and GET when HEAD is refused or unreliable, following redirects, at most {@value #PER_HOST} at a time per
 * host, never with the start host's private headers on another host. A stylesheet that answers is also read for
 * the URLs its CSS names, when asked.
 */
public final class DirectChecks {

    /** Requests in flight to one host at once. */
    public static final int PER_HOST = 2;
    /** HEAD answers that may only mean the server does not do HEAD: the link is asked again with GET. */
    private static final Set<Integer> HEAD_UNRELIABLE = Set.of(400, 403, 404, 405, 429, 501);

    /**
     * Where a target ended: its verdict, status and why at the end of its redirect chain.
     *
     * @param cssLinks the links of the stylesheet it is, when it was read as one; else {@code null}
     */
    public record Outcome(Verdict verdict, int status, String detail, List<LinkOccurrence> cssLinks) {}

    private DirectChecks() {}

    /** A throttle of the hosts direct checks ask: {@value #PER_HOST} requests at a time to each, adaptive. */
    public static Politeness hosts(dev.loomcrawl.crawl.Ticker ticker) {
        return new Politeness(new PolitenessSettings(PER_HOST, null, 0, PolitenessSettings.DEFAULT_MAX_CRAWL_DELAY,
                PolitenessSettings.DEFAULT_MAX_RETRY_AFTER, true), ticker, url -> null);
    }

    /**
     * Checks each of {@code urls} once, concurrently; robots.txt is obeyed for the site's own URLs ({@code scope})
     * when the crawl obeys it.
     *
     * @param startHost the start URL's host, the only one the private headers go to
     * @param hosts the throttle of each host asked, shared with other checks ({@link #hosts}), or {@code null} for
     *     one of this call's own
     * @param readCss whether a stylesheet that answers is read for its URLs
     */
    public static Map<String, Outcome> check(CrawlSettings crawl, CrawlScope scope, CrawlScope startHost,
                                             Set<String> urls, Politeness hosts, boolean readCss) {
        FetchSettings settings = crawl.fetch()
                .with(new FetchSettings.PrivateHeaders(startHost::contains, crawl.privateHeaders()), false);
        if (hosts == null) {
            hosts = hosts(crawl.ticker());
        }
        Map<String, Outcome> out = new ConcurrentHashMap<>();
        Semaphore permits = new Semaphore(crawl.limits().concurrency());
        try (HttpFetcher fetcher = HttpFetcher.create(settings);
             ExecutorService tasks = Executors.newThreadPerTaskExecutor(
                     Thread.ofVirtual().name("loomcrawl-check-", 0).factory())) {
            PageFetch fetch = new PageFetch(fetcher, settings.requestSlots(), hosts, crawl.backoff(), crawl.ticker());
            RobotsPolicy robots = crawl.respectRobots() ? new RobotsPolicy(fetch::unthrottled, settings.robotsAgent()) : null;
            for (String url : urls) {
                tasks.submit(() -> {
                    permits.acquire();
                    try {
                        if (robots != null && scope.contains(url) && !robots.allowed(url)) {
                            out.put(url, new Outcome(Verdict.EXCLUDED, 0, "not requested: robots", null));
                        } else {
                            out.put(url, checkOne(fetch, url, readCss));
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

    /** HEAD, GET when HEAD is refused, following redirects; a stylesheet read when asked. */
    private static Outcome checkOne(PageFetch fetch, String url, boolean readCss) throws InterruptedException {
        List<String> chain = new ArrayList<>();
        String current = url;
        for (int hop = 0; hop <= CrawlRun.MAX_REDIRECTS; hop++) {
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
            Outcome end = chained(Verdict.of(r.status(), null), r.status(), chain, current, "");
            String type = r.contentType() == null ? "" : r.contentType();
            if (readCss && r.status() >= 200 && r.status() < 300 && type.startsWith("text/css")) {
                FetchResponse css = r.length() > 0 ? r : fetch.fetch(current).response(); // a HEAD has no body
                if (css != null && css.status() >= 200 && css.status() < 300) {
                    return new Outcome(end.verdict(), end.status(), end.detail(),
                            CssLinks.read(current, css.body(), css.length(), css.contentType()));
                }
            }
            return end;
        }
        return chained(Verdict.BROKEN, 0, chain, current, "too many redirects");
    }

    /** The outcome at the end of {@code chain}: a 2xx after redirects is {@link Verdict#REDIRECTED}, with the chain. */
    public static Outcome chained(Verdict end, int status, List<String> chain, String last, String detail) {
        if (chain.isEmpty()) {
            return new Outcome(end, status, detail, null);
        }
        String path = String.join(" -> ", chain) + " -> " + last;
        Verdict v = end == Verdict.OK ? Verdict.REDIRECTED : end;
        return new Outcome(v, status, detail.isEmpty() ? path : path + ": " + detail, null);
    }
}
