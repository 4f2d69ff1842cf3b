package dev.loomcrawl.internal.run;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.archive.WarcArchive;
import dev.loomcrawl.internal.content.Extraction;
import dev.loomcrawl.internal.engine.CrawlEngine;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.links.ContentSniffer;
import dev.loomcrawl.internal.links.LinkExtractor;
import dev.loomcrawl.internal.links.PageLinks;
import dev.loomcrawl.internal.links.RobotsDirectives;
import dev.loomcrawl.internal.store.StoreSession;
import dev.loomcrawl.internal.url.CrawlScope;
import dev.loomcrawl.internal.url.UrlNormalizer;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * One visit of a crawl: recalls the page from the store when an earlier run fetched it, or fetches it; then, in a
 * processing slot, reads its links and directives, decides what to follow, builds the page's one immutable
 * {@link PageResult} and hands it to the archive, the store and the order. Called on the visits' virtual threads.
 */
final class PageProcessor implements CrawlEngine.Visitor {

    private final PageFetch fetch;
    private final ProcessingSlots processing;
    private final CrawlScope scope;
    private final BreadthFirstOrder order;
    private final WarcArchive archive;
    private final StoreSession store;
    private final List<PageInspector> inspectors;
    private final boolean respectNofollow;
    private final CrawlSettings.OccurrenceTap tap;
    private final LinkExtractor.Reading reading;
    private final ContentFormat content;
    /**
     * Extractions at once in this JVM, whatever the number of crawls (a run over many sites has one per site): one
     * per core. Extraction is CPU work on a tree of the page, so more at once would not end sooner and would hold
     * more trees (tens of MB for a large page) in memory.
     */
    private static final Semaphore EXTRACTIONS = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    private final Ticker ticker;

    /**
     * @param archive where exchanges are archived, or {@code null}
     * @param store where pages are recorded and recalled from, or {@code null}
     * @param tap where each HTML page's links as they stand go, or {@code null}
     * @param content how a page's main content is extracted, or {@code null} for none
     * @param ticker the clock that stamps when a page's content was fetched
     */
    PageProcessor(PageFetch fetch, ProcessingSlots processing, CrawlScope scope, BreadthFirstOrder order,
                  WarcArchive archive, StoreSession store, List<PageInspector> inspectors, boolean respectNofollow,
                  CrawlSettings.OccurrenceTap tap, ContentFormat content, Ticker ticker) {
        this.fetch = fetch;
        this.processing = processing;
        this.scope = scope;
        this.order = order;
        this.archive = archive;
        this.store = store;
        this.inspectors = inspectors;
        this.respectNofollow = respectNofollow;
        this.tap = tap;
        this.content = content;
        this.ticker = ticker;
        this.reading = tap != null ? tap.reading()
                : store != null ? LinkExtractor.Reading.TEXTS : LinkExtractor.Reading.LINKS;
    }

    @Override
    public CrawlEngine.Outcome visit(CrawlEngine.Visit visit) throws InterruptedException {
        String url = visit.url();
        if (store != null && store.resuming()) {
            StoreSession.Recalled recalled = store.recall(url);
            if (recalled != null) {
                order.fetched(recalled.page(), recalled.followed());
                return new CrawlEngine.Outcome(recalled.followed(), recalled.page().redirect() != null);
            }
        }
        PageFetch.Attempt attempt = fetch.fetch(url);
        Runnable processed = processing.take(visit.requestDone());
        try {
            return process(url, attempt, visit.redirectHops(), processed);
        } finally {
            processed.run();
        }
    }

    private CrawlEngine.Outcome process(String url, PageFetch.Attempt attempt, int redirectHops, Runnable processed)
            throws InterruptedException {
        FetchResponse response = attempt.response();
        if (response == null) {
            PageResult failed = new PageResult(url, -1, null, 0, null, 0, attempt.millis(), null, attempt.error(),
                    List.of(), false, attempt.attempts(), false, false, List.of(), null, null);
            if (store != null) {
                store.recordPage(failed, List.of(), List.of(), processed);
            }
            order.fetched(failed, List.of());
            return CrawlEngine.Outcome.links(List.of());
        }
        int status = response.status();
        String contentType = response.contentType();
        String redirect = null;
        String error = null;
        PageLinks page = PageLinks.NONE;
        PageContent extracted = null;
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
            } else if (redirectHops >= CrawlRun.MAX_REDIRECTS) {
                error = "too many redirects";
            } else if (scope.contains(redirect)) {
                followed = List.of(redirect);
            }
        } else if (status >= 200 && status < 300 && ContentSniffer.isHtml(contentType, response.body(), response.length())) {
            page = LinkExtractor.extract(url, response.body(), response.length(), contentType, reading);
            if (tap != null) {
                tap.listener().accept(url, page.occurrences());
            }
            for (PageInspector inspector : inspectors) {
                inspector.page(url, response.body(), response.length(), contentType);
            }
            followed = follow(page, respectNofollow && (header.nofollow() || page.nofollowAll()));
            if (content != null) {
                EXTRACTIONS.acquire();
                try {
                    extracted = Extraction.extract(response.body(), response.length(), contentType,
                            response.headers().first("Content-Language"), url, content);
                } finally {
                    EXTRACTIONS.release();
                }
                extracted = extracted.fetchedAt(ticker.instant().truncatedTo(ChronoUnit.MILLIS));
            }
        }
        if (archive != null) {
            archive.record(url, response, redirect != null ? List.of(redirect) : page.links());
        }
        PageResult result = new PageResult(url, -1, null, status, contentType, response.length(), attempt.millis(),
                redirect, error, page.links(), response.truncated(), attempt.attempts(), header.noindex() || page.noindex(),
                header.nofollow() || page.nofollowAll(), page.nofollow(), null, null, extracted);
        if (store != null) {
            store.recordPage(result, page.texts(), followed, processed);
        }
        order.fetched(result, followed);
        return new CrawlEngine.Outcome(followed, isRedirect);
    }

    /** The page's links in scope that the crawl follows: none when the whole page is nofollow and that is obeyed. */
    private List<String> follow(PageLinks page, boolean skipAll) {
        List<String> followed = new ArrayList<>(page.links().size());
        if (!skipAll) {
            Set<String> skip = respectNofollow && !page.nofollow().isEmpty() ? Set.copyOf(page.nofollow()) : Set.of();
            for (String link : page.links()) {
                if (scope.contains(link) && !skip.contains(link)) {
                    followed.add(link);
                }
            }
        }
        return followed;
    }
}
