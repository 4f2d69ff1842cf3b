package dev.loomcrawl;

import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.internal.engine.Limits;
import dev.loomcrawl.internal.run.CrawlRun;
import dev.loomcrawl.internal.run.CrawlSettings;
import dev.loomcrawl.internal.url.UrlNormalizer;

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
    public static final int MAX_REDIRECTS = CrawlRun.MAX_REDIRECTS;
    /** The default of {@link CrawlerBuilder#concurrency}. */
    public static final int DEFAULT_CONCURRENCY = Limits.DEFAULT_CONCURRENCY;
    /** The most requests in flight a crawl allows. */
    public static final int MAX_CONCURRENCY = Limits.MAX_CONCURRENCY;

    /** With a store, the most URLs ready to visit the frontier holds in memory; the rest wait in the store. */
    static final int READY_IN_MEMORY = 20_000;

    private final CrawlSettings settings;

    Crawler(CrawlSettings settings) {
        this.settings = settings;
    }

    /** What this crawler was built with. */
    CrawlSettings settings() {
        return settings;
    }

    /**
     * {@code url} as a crawl normalizes it (the form pages, stores and reports use), or {@code null} when it is not an
     * absolute http(s) URL.
     */
    public static String normalize(String url) {
        return UrlNormalizer.normalize(url);
    }

    public static CrawlerBuilder builder() {
        return new CrawlerBuilder();
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
     * @throws IllegalArgumentException when the store holds a crawl of another start URL, or was opened with another
     *     clock than this crawler's ticker ({@link CrawlStore#open(java.nio.file.Path, dev.loomcrawl.crawl.Ticker)})
     * @throws CrawlFailedException as {@link #crawl(String, PageSink)}, and when the store cannot be written (an
     *     {@link java.io.UncheckedIOException} is the cause)
     */
    public CrawlSummary crawl(String startUrl, PageSink sink, CrawlStore store) {
        return CrawlRun.crawl(settings, startUrl, sink, store == null ? null : store.session());
    }
}
