package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.politeness.ManualTicker;
import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of a hostile server by itself: the crawl ends, nothing waits past its timeouts, the faulty page has
 * a result that says what happened, the rest of the site is crawled completely, and no request leaves the scope.
 */
@Timeout(60)
class FaultSuiteIT {

    /** Healthy pages around the faulty one: the start links to the fault and to a chain of pages. */
    private static final int HEALTHY = 12;

    private FaultServer server;
    private FaultServer elsewhere;
    private final ManualTicker ticker = new ManualTicker();

    @BeforeEach
    void start() throws Exception {
        server = FaultServer.start();
        elsewhere = FaultServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    private CrawlerBuilder hardened() {
        return Crawler.builder().concurrency(8).connectTimeout(Duration.ofSeconds(2))
                .firstByteTimeout(Duration.ofMillis(400)).idleTimeout(Duration.ofMillis(300))
                .requestTimeout(Duration.ofSeconds(2)).maxBodyBytes(1 << 20).retries(1).ticker(ticker);
    }

    /** Serves a site whose start page links to {@code /fault} first and to a chain of healthy pages. */
    private void site(Fault fault) {
        Map<String, Resource> pages = new HashMap<>();
        pages.put("/", Resource.html("<a href=/fault>fault</a> <a href=/ok1>ok</a> <a href=/ok1?again>ok</a>"));
        for (int i = 1; i <= HEALTHY; i++) {
            pages.put("/ok" + i, Resource.html("<a href=/>home</a> <a href=/fault>fault</a> <a href=/ok" + (i + 1)
                    + ">next</a> <a href=" + elsewhere.url("/never") + ">elsewhere</a>"));
        }
        server.serve(pages);
        server.route("/fault", fault);
    }

    private List<PageResult> crawl(Crawler crawler) {
        List<PageResult> pages = new ArrayList<>();
        crawler.crawl(server.url("/"), pages::add);
        return pages;
    }

    private PageResult page(List<PageResult> pages, String path) {
        return pages.stream().filter(p -> p.url().equals(server.url(path))).findFirst().orElseThrow();
    }

    /** The healthy part of the site is all there, and nothing was requested out of scope. */
    private void restOfSiteIsComplete(List<PageResult> pages) {
        for (int i = 1; i <= HEALTHY; i++) {
            assertThat(page(pages, "/ok" + i).status()).isEqualTo(200);
        }
        assertThat(page(pages, "/ok" + (HEALTHY + 1)).status()).isEqualTo(404);
        assertThat(elsewhere.requestCounts()).isEmpty();
        for (int i = 1; i <= HEALTHY; i++) {
            assertThat(server.requests("/ok" + i)).isEqualTo(1);
        }
    }

    static Stream<Arguments> faults() {
        byte[] invalidUtf8 = concat("<!doctype html><p>".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, (byte) 0x28, (byte) 0xE2, (byte) 0x82},
                "<a href='/ok5'>\u00e9t\u00e9</a>".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                fault("reset mid-headers", Fault.resetMidHeaders(), p -> {
                    assertThat(p.error()).isIn("connection reset", "connection closed mid-response");
                    assertThat(p.attempts()).isEqualTo(2);
                }),
                fault("reset mid-body", Fault.resetMidBody(), p -> {
                    assertThat(p.error()).isIn("connection reset", "connection closed mid-body");
                    assertThat(p.attempts()).isEqualTo(2);
                }),
                fault("closed without a response", Fault.closeAtOnce(), p -> {
                    assertThat(p.error()).isEqualTo("connection closed before response");
                    assertThat(p.attempts()).isEqualTo(2);
                }),
                fault("stall before headers", Fault.stallBeforeHeaders(), p -> {
                    assertThat(p.error()).isEqualTo("first byte timeout");
                    assertThat(p.attempts()).isEqualTo(2);
                }),
                fault("stall mid-body", Fault.stallMidBody(), p -> assertThat(p.error()).isEqualTo("idle timeout")),
                fault("slow trickle", Fault.trickle(Duration.ofMillis(200)),
                        p -> assertThat(p.error()).isEqualTo("request timeout")),
                fault("500", Fault.status(500, Map.of()), p -> {
                    assertThat(p.status()).isEqualTo(500);
                    assertThat(p.attempts()).as("a 500 is not retried").isEqualTo(1);
                }),
                fault("502", Fault.status(502, Map.of()), p -> statusAfterRetry(p, 502)),
                fault("503", Fault.status(503, Map.of()), p -> statusAfterRetry(p, 503)),
                fault("504", Fault.status(504, Map.of()), p -> statusAfterRetry(p, 504)),
                fault("429 without Retry-After", Fault.status(429, Map.of()), p -> statusAfterRetry(p, 429)),
                fault("429 with Retry-After, then fine", Fault.firstTimes(1, Fault.status(429, Map.of("Retry-After", "3")),
                        Fault.serve(Resource.html("<a href=/ok2>ok</a>"))), p -> {
                    assertThat(p.status()).isEqualTo(200);
                    assertThat(p.attempts()).isEqualTo(2);
                }),
                fault("100 MB body", Fault.hugeBody(100L << 20), FaultSuiteIT::truncatedAtTheLimit),
                fault("gzip bomb", Fault.gzipBomb(300L << 20), p -> {
                    truncatedAtTheLimit(p);
                    assertThat(p.links()).hasSize(1);
                }),
                fault("Content-Length longer than the body", Fault.wrongLength(5000, "<a href=/ok3>x</a>".getBytes(StandardCharsets.US_ASCII)),
                        p -> {
                            assertThat(p.error()).isEqualTo("connection closed mid-body");
                            assertThat(p.attempts()).isEqualTo(2);
                        }),
                fault("Content-Length shorter than the body", Fault.wrongLength(17,
                        "<a href=/ok3>x</a>HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n garbage garbage".getBytes(StandardCharsets.US_ASCII)),
                        p -> {
                            assertThat(p.status()).isEqualTo(200);
                            assertThat(p.bytes()).isEqualTo(17);
                        }),
                fault("invalid UTF-8", Fault.serve(Resource.of(200, "text/html; charset=utf-8", invalidUtf8)), p -> {
                    assertThat(p.status()).isEqualTo(200);
                    assertThat(p.links()).singleElement().asString().endsWith("/ok5");
                }),
                fault("binary labeled as HTML", Fault.serve(Resource.of(200, "text/html",
                        concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}, "<a href=/trap>".getBytes(StandardCharsets.US_ASCII)))),
                        p -> assertThat(p.links()).isEmpty()),
                fault("redirect loop", Fault.serve(Resource.redirect(302, "/fault?loop")), p -> assertThat(p.redirect()).endsWith("/fault?loop")),
                fault("redirect to another host", Fault.serve(Resource.redirect(301, "http://localhost:1/moved")),
                        p -> assertThat(p.redirect()).isEqualTo("http://localhost:1/moved")));
    }

    private static void truncatedAtTheLimit(PageResult p) {
        assertThat(p.truncated()).isTrue();
        assertThat(p.bytes()).isEqualTo(1 << 20);
    }

    private static void statusAfterRetry(PageResult p, int status) {
        assertThat(p.status()).isEqualTo(status);
        assertThat(p.attempts()).isEqualTo(2);
    }

    private static Arguments fault(String name, Fault fault, Consumer<PageResult> check) {
        return Arguments.of(name, fault, check);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFaultAffectsItsOwnPageOnly(String name, Fault fault, Consumer<PageResult> check) {
        site(fault);
        List<PageResult> pages = crawl(hardened().build());
        check.accept(page(pages, "/fault"));
        restOfSiteIsComplete(pages);
        assertThat(server.requests("/trap")).isZero();
    }

    private static final CertificateAuthority CA = CertificateAuthority.create("loomcrawl test CA");

    /** The same faults behind TLS, on the lean client's TLS path: a reset resets the TCP connection beneath. */
    @ParameterizedTest(name = "over TLS: {0}")
    @MethodSource("faults")
    void aFaultAffectsItsOwnPageOnlyOverTls(String name, Fault fault, Consumer<PageResult> check) throws Exception {
        server.close();
        server = FaultServer.startTls(CA.serverContext(CA.issue(CertificateAuthority.Leaf.forLoopback())));
        site(fault);
        List<PageResult> pages = crawl(hardened().trustCertificates(List.of(CA.pemFile())).build());
        assertThat(page(pages, "/").url()).startsWith("https://");
        check.accept(page(pages, "/fault"));
        restOfSiteIsComplete(pages);
        assertThat(server.requests("/trap")).isZero();
    }

    static Stream<Arguments> jdkPathFaults() {
        return Stream.of(
                fault("stall before headers", Fault.stallBeforeHeaders(), p -> assertThat(p.error()).isEqualTo("first byte timeout")),
                fault("stall mid-body", Fault.stallMidBody(), p -> assertThat(p.error()).isEqualTo("idle timeout")),
                fault("slow trickle", Fault.trickle(Duration.ofMillis(200)), p -> assertThat(p.error()).isEqualTo("request timeout")),
                fault("100 MB body", Fault.hugeBody(100L << 20), FaultSuiteIT::truncatedAtTheLimit),
                fault("gzip bomb", Fault.gzipBomb(300L << 20), FaultSuiteIT::truncatedAtTheLimit));
    }

    /** java.net.http carries https, HTTP/2 and proxies: the same limits hold there (forced here by a direct proxy selector). */
    @ParameterizedTest(name = "java.net.http: {0}")
    @MethodSource("jdkPathFaults")
    void theJdkPathHasTheSameTimeoutsAndLimits(String name, Fault fault, Consumer<PageResult> check) {
        site(fault);
        List<PageResult> pages = crawl(hardened().proxy(java.net.ProxySelector.of(null)).build());
        check.accept(page(pages, "/fault"));
        restOfSiteIsComplete(pages);
    }

    /**
     * A server that really slows down: after 12 quick answers, each takes 2 s on the crawl's clock (the server moves
     * the crawl's ticker as it answers). Rising latency halves the host's concurrency, unless this machine's own
     * processors are saturated, when the time says nothing of the server.
     */
    @ParameterizedTest(name = "machine saturated: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aServerThatReallySlowsDownLowersTheHostsConcurrencyUnlessThisMachineIsTheSlowOne(boolean saturated) {
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        StringBuilder start = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            start.append("<a href=/s").append(i).append(">s</a>\n");
            server.route("/s" + i, Fault.dynamic(path -> {
                ticker.advance(answered.incrementAndGet() > 12 ? 2_000_000_000L : 10_000_000L);
                return Resource.html("slow page");
            }));
        }
        server.serve(Map.of("/", Resource.html(start.toString())));
        CrawlSummary summary = hardened().machineLoad(() -> saturated).build().crawl(server.url("/"), page -> { });
        assertThat(summary.pages()).isEqualTo(41);
        if (saturated) {
            assertThat(summary.slowdowns()).as("this machine was the slow one").isEmpty();
        } else {
            assertThat(summary.slowdowns()).isNotEmpty().first().satisfies(s ->
                    assertThat(s.reason()).startsWith("latency rose from ").endsWith(": concurrency 8 -> 4"));
        }
    }

    @Test
    void aRedirectLoopAndAChainLongerThanTheLimitEnd() {
        Map<String, Resource> pages = new LinkedHashMap<>();
        pages.put("/", Resource.html("<a href=/loop1>loop</a> <a href=/chain0>chain</a>"));
        pages.put("/loop1", Resource.redirect(302, "/loop2"));
        pages.put("/loop2", Resource.redirect(302, "/loop1"));
        for (int i = 0; i < 15; i++) {
            pages.put("/chain" + i, Resource.redirect(301, "/chain" + (i + 1)));
        }
        server.serve(pages);
        List<PageResult> result = crawl(hardened().build());
        assertThat(result).extracting(PageResult::url).contains(server.url("/loop1"), server.url("/loop2"));
        assertThat(page(result, "/chain" + Crawler.MAX_REDIRECTS).error()).isEqualTo("too many redirects");
        assertThat(server.requests("/chain" + (Crawler.MAX_REDIRECTS + 1))).isZero();
        assertThat(server.requestCounts().values()).allMatch(n -> n == 1);
    }

    @Test
    void fiftyThousandLinksOnOnePageAreReadAndEachTargetRequestedOnce() {
        StringBuilder html = new StringBuilder("<!doctype html>");
        for (int i = 0; i < 50_000; i++) {
            html.append("<a href=/many/").append(i % 500).append(i % 3 == 0 ? "#f" + i : "").append(">l</a>\n");
        }
        server.serve(Map.of("/", Resource.html(html.toString())));
        List<PageResult> pages = crawl(hardened().concurrency(64).build());
        assertThat(page(pages, "/").links()).hasSize(500);
        assertThat(pages).hasSize(501);
        assertThat(server.requestCounts().values()).allMatch(n -> n == 1);
    }

    @Test
    void deeplyNestedAndMalformedHtmlGivesTheLinksABrowserWouldFollow() {
        String html = "<div>".repeat(20_000) + "<a href=/ok1>deep</a>" + "<p><b><i>unclosed <a href=/ok2 <a href=/ok3>x"
                + "<table><tr><td><a href='/ok4'>cell</a></td></table></div>".repeat(3) + "<a href=\"/ok5";
        server.serve(Map.of("/", Resource.html(html)));
        List<PageResult> pages = crawl(hardened().build());
        List<String> expected = Jsoup.parse(html, server.url("/")).select("a[href]").eachAttr("abs:href").stream()
                .distinct().toList();
        assertThat(page(pages, "/").links()).containsExactlyElementsOf(expected);
    }

    @Test
    void anInfiniteCalendarEndsAtThePatternCap() {
        server.serve(Map.of("/", Resource.html("<a href=/cal/2026/11>calendar</a>")));
        server.otherwise(Fault.dynamic(target -> {
            if (!target.startsWith("/cal/")) {
                return Resource.of(404, "text/html", new byte[0]);
            }
            String[] ym = target.substring(5).split("[/?]");
            int month = Integer.parseInt(ym[0]) * 12 + Integer.parseInt(ym[1]) - 1;
            return Resource.html("<a href=/cal/" + (month + 1) / 12 + "/" + ((month + 1) % 12 + 1) + ">next</a>"
                    + "<a href=/cal/" + (month - 1) / 12 + "/" + ((month - 1) % 12 + 1) + ">prev</a>"
                    + "<a href='/cal/" + month / 12 + "/" + (month % 12 + 1) + "?view=day'>day</a>");
        }));
        List<PageResult> pages = new ArrayList<>();
        CrawlSummary summary = hardened().maxPerPattern(40).build().crawl(server.url("/"), pages::add);
        assertThat(summary.stopReason()).isEqualTo(dev.loomcrawl.crawl.StopReason.COMPLETED);
        assertThat(pages.stream().filter(p -> p.url().contains("/cal/") && !p.url().contains("?"))).hasSize(40);
        assertThat(pages.stream().filter(p -> p.url().contains("?view="))).hasSize(40);
        assertThat(summary.excluded()).containsKey("pattern cap");
    }

    @Test
    void robotsTxtThatIsMissingAllowsAll() {
        site(Fault.serve(Resource.html("fine")));
        List<PageResult> pages = crawl(hardened().build());
        assertThat(page(pages, "/fault").status()).isEqualTo(200);
        restOfSiteIsComplete(pages);
    }

    @Test
    void robotsTxtThatFailsWith500AllowsNothing() {
        site(Fault.serve(Resource.html("fine")));
        server.route("/robots.txt", Fault.status(500, Map.of()));
        CrawlSummary summary = hardened().build().crawl(server.url("/"), p -> { });
        assertThat(summary.pages()).isZero();
        assertThat(summary.robotsOutcome()).isEqualTo("robots.txt answered 500: nothing allowed");
        assertThat(server.requests("/")).isZero();
    }

    @Test
    void robotsTxtThatTimesOutAllowsNothingAndTheCrawlEnds() {
        site(Fault.serve(Resource.html("fine")));
        server.route("/robots.txt", Fault.stallBeforeHeaders());
        CrawlSummary summary = hardened().build().crawl(server.url("/"), p -> { });
        assertThat(summary.pages()).isZero();
        assertThat(summary.robotsOutcome()).isEqualTo("robots.txt failed (first byte timeout): nothing allowed");
        assertThat(server.requests("/robots.txt")).isEqualTo(2);
    }

    @Test
    void aServerThatNeverAcceptsTheConnectionIsAConnectTimeout() throws Exception {
        // a listener that never accepts, its backlog filled: the kernel drops further SYNs, so connecting hangs
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        filling.add(s);
                    } catch (java.net.SocketTimeoutException e) {
                        s.close();
                        break; // the backlog is full
                    }
                }
                List<PageResult> pages = new ArrayList<>();
                hardened().connectTimeout(Duration.ofMillis(300)).retries(0).respectRobots(false).build()
                        .crawl("http://127.0.0.1:" + full.getLocalPort() + "/", pages::add);
                assertThat(pages).singleElement().satisfies(p -> assertThat(p.error()).isEqualTo("connect timeout"));
            } finally {
                for (java.net.Socket s : filling) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aStartUrlWhoseServerRefusesConnectionsIsRecordedWithItsReasonAfterRetries() throws Exception {
        int port;
        try (FaultServer gone = FaultServer.start()) {
            port = gone.port();
        }
        List<PageResult> pages = new ArrayList<>();
        hardened().retries(2).build().crawl("http://127.0.0.1:" + port + "/", pages::add);
        assertThat(pages).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo("connection refused");
            assertThat(p.attempts()).isEqualTo(3);
        });
    }
}
