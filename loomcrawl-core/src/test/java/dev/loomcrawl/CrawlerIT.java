package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Crawls over real HTTP on loopback, against sites whose ground truth is known. */
class CrawlerIT {

    private SiteServer server;

    @BeforeEach
    void start() throws Exception {
        server = SiteServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<PageResult> crawl(Crawler crawler, String url) {
        List<PageResult> pages = new ArrayList<>();
        crawler.crawl(url, pages::add);
        return pages;
    }

    private static List<String> urls(List<PageResult> pages) {
        return pages.stream().map(PageResult::url).toList();
    }

    @ParameterizedTest(name = "{0} pages, seed {1}")
    @CsvSource({"1, 1", "40, 2", "500, 3", "5000, 4"})
    void findsExactlyTheGroundTruthInBreadthFirstOrderAtEveryConcurrency(int pages, long seed) {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(pages, seed), server.baseUrl());
        server.serve(site.resources());
        List<PageResult> reference = null;
        for (int concurrency : new int[] {1, 4, 64}) {
            server.resetStats();
            List<PageResult> result = crawl(Crawler.builder().concurrency(concurrency).build(), site.startUrl());
            assertThat(result).extracting(PageResult::url, PageResult::depth, PageResult::parent)
                    .as("concurrency %d", concurrency)
                    .containsExactlyElementsOf(site.expected().stream()
                            .map(p -> org.assertj.core.groups.Tuple.tuple(p.url(), p.depth(), p.parent())).toList());
            Map<String, Long> counts = server.requestCounts();
            counts.remove("/robots.txt");
            assertThat(counts.values()).as("requests per URL").allMatch(n -> n == 1);
            assertThat(counts).hasSize(site.expected().size());
            assertThat(counts.keySet()).doesNotContainAnyElementsOf(site.trapPaths());
            if (reference == null) {
                reference = result;
            } else {
                assertThat(withoutTimings(result)).isEqualTo(withoutTimings(reference));
            }
        }
    }

    private static List<PageResult> withoutTimings(List<PageResult> pages) {
        return pages.stream().map(p -> new PageResult(p.url(), p.depth(), p.parent(), p.status(), p.contentType(),
                p.bytes(), 0, p.redirect(), p.error(), p.links(), p.truncated(), p.attempts(), p.noindex(),
                p.nofollow(), p.nofollowLinks(), p.source(), p.inSitemap())).toList();
    }

    /** A start page {@code /} linking to {@code /leaf0} .. {@code /leaf(n-1)}. */
    private static Map<String, Resource> hubWithLeaves(int n) {
        Map<String, Resource> site = new HashMap<>();
        StringBuilder hub = new StringBuilder("<!doctype html>");
        for (int i = 0; i < n; i++) {
            hub.append("<a href=/leaf").append(i).append(">").append(i).append("</a>");
            site.put("/leaf" + i, Resource.html("<p>leaf " + i));
        }
        site.put("/", Resource.html(hub.toString()));
        return site;
    }

    @Test
    void concurrencyIsRealPeakInFlightReachesTheLimit() {
        server.serve(hubWithLeaves(200)).latency(Duration.ofMillis(100));
        CrawlSummary summary = Crawler.builder().concurrency(64).build().crawl(server.url("/"), p -> { });
        assertThat(summary.pages()).isEqualTo(201);
        assertThat(server.peakInFlight()).isEqualTo(64);
        assertThat(summary.peakInFlight()).isEqualTo(64);
        // serial would take 201 x 100 ms = 20 s; four rounds of 64 plus the hub and robots.txt take ~0.6 s
        assertThat(summary.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * Whether a visit of the crawl is parked on a semaphore: waiting for a processing slot (the dispatcher, which
     * parks on the request slots' semaphore, is not a visit).
     */
    private static boolean aVisitWaitsForAProcessingSlot() {
        return CrawlThreads.threads().stream().anyMatch(t -> t != Thread.currentThread()
                && t.getName().startsWith("loomcrawl-visit-")
                && LockSupport.getBlocker(t) instanceof Object blocker
                && blocker.getClass().getName().startsWith("java.util.concurrent.Semaphore"));
    }

    @Test
    @Timeout(30)
    void aPageBeingProcessedGivesItsRequestSlotToTheNextFetchAndAtMostOneMoreWaits() {
        server.serve(hubWithLeaves(10));
        long[] leafRequestsWhileBlocked = new long[2];
        PageInspector blockFirstLeaf = new PageInspector() {
            @Override
            public void page(String url, byte[] body, int length, String contentType) {
                if (!url.endsWith("/leaf0")) {
                    return;
                }
                Await.until("leaf1 requested", () -> leafRequests() >= 2);
                leafRequestsWhileBlocked[0] = leafRequests();
                // leaf1's visit, its response in, waits for this page's processing slot and keeps the one request
                // slot: nothing can be requested until this page is processed (were processing slots unbounded,
                // leaf1 would be processed and leaf2 requested instead)
                Await.until("a visit waiting for a processing slot", CrawlerIT::aVisitWaitsForAProcessingSlot);
                leafRequestsWhileBlocked[1] = leafRequests();
            }
        };
        CrawlSummary summary = Crawler.builder().concurrency(1).inspector(blockFirstLeaf).build()
                .crawl(server.url("/"), p -> { });
        assertThat(summary.pages()).isEqualTo(11);
        // with one request slot, leaf1 is fetched while leaf0 is processed, then waits for leaf0's processing slot
        assertThat(leafRequestsWhileBlocked).containsExactly(2, 2);
        assertThat(server.peakInFlight()).isEqualTo(1);
    }

    private long leafRequests() {
        return server.requestCounts().entrySet().stream().filter(e -> e.getKey().startsWith("/leaf"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void aDeepSiteAtLatencyHoldsTheConfiguredLimitInFlight() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, 9), server.baseUrl());
        server.serve(site.resources()).latency(Duration.ofMillis(200));
        CrawlSummary summary = Crawler.builder().concurrency(8).build().crawl(site.startUrl(), p -> { });
        assertThat(summary.pages()).isEqualTo(site.expected().size());
        assertThat(summary.peakInFlight()).isEqualTo(8);
        assertThat(server.peakInFlight()).isEqualTo(8);
    }

    @Test
    void redirectsAreHopsOfTheirOwnAndOutOfScopeTargetsAreNeverRequested() {
        Map<String, Resource> withChain = new HashMap<>(Map.of(
                "/", Resource.html("<a href=/moved>m</a><a href=/loop1>l</a><a href=/away>a</a><a href=/chain0>c</a>"),
                "/moved", Resource.redirect(301, "/new-home"),
                "/new-home", Resource.html("<p>here"),
                "/loop1", Resource.redirect(302, "/loop2"),
                "/loop2", Resource.redirect(302, "/loop1"),
                "/away", Resource.redirect(302, "http://localhost:" + server.port() + "/elsewhere")));
        for (int i = 0; i < 15; i++) {
            withChain.put("/chain" + i, Resource.redirect(302, "/chain" + (i + 1)));
        }
        server.serve(withChain);
        List<PageResult> pages = crawl(Crawler.builder().build(), server.url("/"));
        Map<String, PageResult> byUrl = new HashMap<>();
        pages.forEach(p -> byUrl.put(p.url().substring(server.baseUrl().length()), p));
        assertThat(byUrl.get("/moved").status()).isEqualTo(301);
        assertThat(byUrl.get("/moved").redirect()).isEqualTo(server.url("/new-home"));
        assertThat(byUrl.get("/new-home").parent()).isEqualTo(server.url("/moved"));
        assertThat(byUrl).containsKeys("/loop1", "/loop2");
        assertThat(byUrl.get("/away").redirect()).isEqualTo("http://localhost:" + server.port() + "/elsewhere");
        assertThat(server.requests("/elsewhere")).isZero();
        assertThat(byUrl.get("/chain10").error()).isEqualTo("too many redirects");
        assertThat(byUrl).doesNotContainKey("/chain11");
        assertThat(server.requestCounts().values()).allMatch(n -> n == 1);
    }

    @Test
    void robotsTxtIsFetchedOnceAndObeyedUnlessIgnored() {
        server.serve(Map.of(
                "/robots.txt", Resource.of(200, "text/plain", "User-agent: *\nDisallow: /private/\n".getBytes()),
                "/", Resource.html("<a href=/private/a>p</a><a href=/public>q</a><a href=/private/b>p</a>"),
                "/public", Resource.html("<a href=/private/a>again</a>")));
        CrawlSummary summary = Crawler.builder().concurrency(8).build().crawl(server.url("/"), p -> { });
        assertThat(summary.pages()).isEqualTo(2);
        assertThat(summary.excluded()).containsEntry("robots", 2L);
        assertThat(server.requests("/robots.txt")).isEqualTo(1);
        assertThat(server.requests("/private/a")).isZero();
        server.resetStats();
        List<PageResult> all = crawl(Crawler.builder().respectRobots(false).build(), server.url("/"));
        assertThat(urls(all)).containsExactly(server.url("/"), server.url("/private/a"), server.url("/public"),
                server.url("/private/b"));
        assertThat(server.requests("/robots.txt")).isZero();
    }

    @Test
    void robotsTxtThatFailsWithA5xxAllowsNothing() {
        server.serve(Map.of("/robots.txt", Resource.of(503, "text/plain", new byte[0]),
                "/", Resource.html("<a href=/a>a</a>")));
        CrawlSummary summary = Crawler.builder().build().crawl(server.url("/"), p -> { });
        assertThat(summary.pages()).isZero();
        assertThat(summary.excluded()).containsEntry("robots", 1L);
        assertThat(server.requests("/")).isZero();
    }

    @Test
    void maxDepthKeepsTheBreadthFirstLevels() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(600, 11), server.baseUrl());
        server.serve(site.resources());
        for (int concurrency : new int[] {1, 32}) {
            List<PageResult> pages = crawl(Crawler.builder().concurrency(concurrency).maxDepth(2).build(), site.startUrl());
            assertThat(urls(pages)).containsExactlyElementsOf(site.expected().stream()
                    .filter(p -> p.depth() <= 2).map(SiteGenerator.ExpectedPage::url).toList());
        }
    }

    @Test
    void maxPagesStopsAtExactlyThatManyRequests() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 5), server.baseUrl());
        server.serve(site.resources());
        List<PageResult> pages = new ArrayList<>();
        CrawlSummary summary = Crawler.builder().concurrency(16).maxPages(50).build().crawl(site.startUrl(), pages::add);
        assertThat(summary.stopReason()).isEqualTo(StopReason.MAX_PAGES);
        assertThat(pages).hasSize(50);
        assertThat(server.totalRequests() - server.requests("/robots.txt")).isEqualTo(50);
        assertThat(site.expectedUrls()).containsAll(urls(pages));
    }

    @Test
    void maxTimeCancelsInFlightRequestsAndReportsOnlyFetchedPages() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 6), server.baseUrl());
        server.serve(site.resources()).latency(Duration.ofMillis(300));
        Set<Thread> sinkThreads = ConcurrentHashMap.newKeySet();
        List<PageResult> pages = new CopyOnWriteArrayList<>();
        CrawlSummary summary = Crawler.builder().concurrency(16).maxTime(Duration.ofMillis(1000)).build()
                .crawl(site.startUrl(), p -> {
                    sinkThreads.add(Thread.currentThread());
                    pages.add(p);
                });
        assertThat(summary.stopReason()).isEqualTo(StopReason.MAX_TIME);
        assertThat(summary.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(pages).isNotEmpty().allSatisfy(p -> assertThat(p.status()).isEqualTo(200));
        assertThat(sinkThreads).hasSize(1).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @Test
    void interruptingTheCrawlCancelsItAndKeepsWhatWasReported() throws Exception {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 8), server.baseUrl());
        server.serve(site.resources()).latency(Duration.ofMillis(200));
        List<PageResult> pages = new CopyOnWriteArrayList<>();
        CountDownLatch threeReported = new CountDownLatch(3);
        CrawlSummary[] summary = new CrawlSummary[1];
        Thread crawling = Thread.ofPlatform().start(() ->
                summary[0] = Crawler.builder().concurrency(16).build().crawl(site.startUrl(), p -> {
                    pages.add(p);
                    threeReported.countDown();
                }));
        assertThat(threeReported.await(30, TimeUnit.SECONDS)).isTrue();
        crawling.interrupt();
        crawling.join(Duration.ofSeconds(5));
        assertThat(crawling.isAlive()).isFalse();
        assertThat(summary[0].stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(summary[0].pages()).isEqualTo(pages.size());
        assertThat(site.expectedUrls()).containsAll(urls(pages));
    }

    @Test
    void failuresArePageOutcomesNotExceptions() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        List<PageResult> refused = crawl(Crawler.builder().build(), "http://127.0.0.1:" + closedPort + "/");
        assertThat(refused).singleElement().satisfies(p -> {
            assertThat(p.status()).isZero();
            assertThat(p.error()).isEqualTo("connection refused");
        });
        server.serve(Map.of("/", Resource.html("<a href=/slow>s</a><a href=/missing>m</a>"),
                "/slow", Resource.html("slow")));
        server.latency(Duration.ZERO);
        List<PageResult> pages = crawl(Crawler.builder().build(), server.url("/"));
        assertThat(pages).extracting(PageResult::status).containsExactly(200, 200, 404);
    }

    @Test
    void aHostThatDoesNotResolveIsAPageErrorNotAFailedCrawl() {
        // names resolve from the test hosts file (see the test plugins' argLine): no DNS query leaves the machine
        List<PageResult> pages = crawl(Crawler.builder().build(), "http://nowhere.invalid/");
        assertThat(pages).singleElement().satisfies(p -> {
            assertThat(p.status()).isZero();
            assertThat(p.error()).isEqualTo("unknown host");
        });
    }

    @Test
    void aRequestThatTakesTooLongIsRecordedAsATimeout() {
        server.serve(Map.of("/", Resource.html("<p>slow"))).latency(Duration.ofSeconds(3));
        List<PageResult> pages = crawl(Crawler.builder().respectRobots(false).requestTimeout(Duration.ofMillis(300))
                .retries(1).retryBackoff(Duration.ZERO).build(), server.url("/"));
        assertThat(pages).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo("request timeout");
            assertThat(p.attempts()).isEqualTo(2);
        });
    }

    @Test
    void aFailingSinkStopsTheCrawlAndIsRethrown() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(200, 3), server.baseUrl());
        server.serve(site.resources());
        assertThatThrownBy(() -> Crawler.builder().build().crawl(site.startUrl(), p -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
        })).isInstanceOf(CrawlFailedException.class).hasRootCauseMessage("disk full")
                .cause().isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(server.totalRequests()).isLessThan(site.expected().size());
    }

    @Test
    void aStartUrlThatIsNotHttpIsRejected() {
        assertThatThrownBy(() -> Crawler.builder().build().crawl("ftp://example.com/", p -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute http or https URL");
    }
}
