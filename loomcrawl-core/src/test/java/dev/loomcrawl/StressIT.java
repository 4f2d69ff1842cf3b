package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.output.OutputFormat;
import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The randomized stress harness: many crawls over random graphs, with random latency per URL, injected faults and
 * a random concurrency from 1 to 256, each checked for termination, the exact ground truth, one request per URL,
 * no thread left alive, and output byte-identical to the serial crawl's. CI runs a reduced size; a release runs
 * {@code ./test -Pstress} (see docs/benchmarks.md). A failure names the seed that reproduces it:
 * {@code -Dloomcrawl.stress.seed=S -Dloomcrawl.stress.crawls=1 -Dloomcrawl.stress.httpCrawls=1}.
 */
@Timeout(3600)
class StressIT {

    private static final int CRAWLS = Integer.getInteger("loomcrawl.stress.crawls", 400);
    private static final int HTTP_CRAWLS = Integer.getInteger("loomcrawl.stress.httpCrawls", 25);
    private static final int HTTPS_CRAWLS = Integer.getInteger("loomcrawl.stress.httpsCrawls", 10);
    private static final CertificateAuthority CA = CertificateAuthority.create("loomcrawl test CA");
    private static final long SEED = Long.getLong("loomcrawl.stress.seed", System.nanoTime());

    /** Faults whose outcome is the same every time, so that outputs can be compared byte for byte. */
    private static final List<Supplier<Fault>> FAULTS = List.of(
            Fault::stallBeforeHeaders, Fault::stallMidBody, () -> Fault.status(500, Map.of()),
            () -> Fault.status(503, Map.of()), () -> Fault.hugeBody(8L << 20), () -> Fault.gzipBomb(8L << 20),
            () -> Fault.wrongLength(5000, new byte[10]));

    private static String reproduce(long seed) {
        return "reproduce with -Dloomcrawl.stress.seed=" + seed
                + " -Dloomcrawl.stress.crawls=1 -Dloomcrawl.stress.httpCrawls=1";
    }

    @Test
    void randomGraphsCrawledOnTheEngineAtRandomConcurrency() {
        System.out.println("StressIT: " + CRAWLS + " engine crawls from seed " + SEED);
        for (int i = 0; i < CRAWLS; i++) {
            long seed = SEED + i;
            try {
                engineCrawl(seed, i % 20 == 0);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("engine crawl failed; " + reproduce(seed) + ": " + e.getMessage(), e);
            }
        }
    }

    private static void engineCrawl(long seed, boolean checkThreads) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(400);
        Map<String, List<String>> graph = new HashMap<>();
        for (int i = 0; i < n; i++) {
            List<String> links = new ArrayList<>();
            int degree = random.nextInt(8);
            for (int j = 0; j < degree; j++) {
                int target = random.nextInt(n + n / 10 + 1);
                links.add((target >= n ? "http://elsewhere.test/p" : "http://site.test/p") + target);
            }
            graph.put("http://site.test/p" + i, links);
        }
        Map<String, Integer> latencyMicros = new HashMap<>();
        graph.keySet().forEach(url -> latencyMicros.put(url, random.nextInt(4) == 0 ? random.nextInt(2000) : 0));
        ConcurrentHashMap<String, AtomicInteger> asked = new ConcurrentHashMap<>();
        LinkSource source = url -> {
            asked.computeIfAbsent(url, k -> new AtomicInteger()).incrementAndGet();
            int micros = latencyMicros.getOrDefault(url, 0);
            if (micros > 0) {
                LockSupport.parkNanos(micros * 1000L);
            }
            return graph.getOrDefault(url, List.of());
        };
        int concurrency = 1 + random.nextInt(256);
        String start = "http://site.test/p0";
        List<String> found = LinkSourceCrawler.crawl(start, source, concurrency);
        assertThat(found).as("concurrency %d", concurrency).containsExactlyInAnyOrderElementsOf(serialDfs(start, graph));
        assertThat(asked.values()).as("each URL asked once").allMatch(c -> c.get() == 1);
        if (checkThreads) {
            assertThat(CrawlThreads.alive()).isEmpty();
        }
    }

    private static Set<String> serialDfs(String start, Map<String, List<String>> graph) {
        Set<String> seen = new HashSet<>(List.of(start));
        ArrayDeque<String> stack = new ArrayDeque<>(List.of(start));
        while (!stack.isEmpty()) {
            for (String next : graph.getOrDefault(stack.pop(), List.of())) {
                if (next.startsWith("http://site.test/") && seen.add(next)) {
                    stack.push(next);
                }
            }
        }
        return seen;
    }

    @Test
    void randomSitesWithFaultsCrawledOverHttpAtRandomConcurrency() throws Exception {
        System.out.println("StressIT: " + HTTP_CRAWLS + " HTTP crawls from seed " + SEED);
        try (FaultServer server = FaultServer.start()) {
            for (int i = 0; i < HTTP_CRAWLS; i++) {
                long seed = SEED + i;
                try {
                    httpCrawl(server, null, seed);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("HTTP crawl failed; " + reproduce(seed) + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Test
    void randomSitesWithFaultsCrawledOverHttpsAtRandomConcurrency() throws Exception {
        System.out.println("StressIT: " + HTTPS_CRAWLS + " HTTPS crawls from seed " + SEED);
        try (FaultServer server = FaultServer.startTls(CA.serverContext(CA.issue(CertificateAuthority.Leaf.forLoopback())))) {
            for (int i = 0; i < HTTPS_CRAWLS; i++) {
                long seed = SEED + i;
                try {
                    httpCrawl(server, CA.pemFile(), seed);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("HTTPS crawl failed; " + reproduce(seed) + " -Dloomcrawl.stress.httpsCrawls=1: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * One random site served with faults, crawled at concurrency 1 and at a random one; {@code tls} (the CA's PEM
     * file) null for http.
     */
    private static void httpCrawl(FaultServer server, Path tls, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(1 + random.nextInt(150), seed),
                server.baseUrl());
        Map<String, Fault> routes = new HashMap<>();
        for (Map.Entry<String, Resource> e : new java.util.TreeMap<>(site.resources()).entrySet()) {
            Resource r = e.getValue();
            boolean leaf = !r.contentType().startsWith("text/html") || r.status() != 200;
            Fault answer = leaf && random.nextInt(100) < 10 ? FAULTS.get(random.nextInt(FAULTS.size())).get() : Fault.serve(r);
            int micros = random.nextInt(3) == 0 ? random.nextInt(3000) : 0;
            routes.put(e.getKey(), micros == 0 ? answer : Fault.delayed(Duration.ofNanos(micros * 1000L), answer));
        }
        routes.forEach(server::route);
        String serial = jsonl(site, 1, server, tls);
        int concurrency = 1 + random.nextInt(256);
        String concurrent = jsonl(site, concurrency, server, tls);
        assertThat(concurrent).as("output at concurrency %d against the serial crawl's", concurrency).isEqualTo(serial);
        assertThat(serial.lines().map(line -> line.substring(8, line.indexOf('"', 8))).toList())
                .containsExactlyElementsOf(site.expected().stream().map(SiteGenerator.ExpectedPage::url).toList());
        assertThat(CrawlThreads.alive()).isEmpty();
        routes.keySet().forEach(path -> server.route(path, Fault.status(410, Map.of()))); // nothing of this site stays
    }

    /** The crawl's jsonl without timings; checks that each URL was requested once. */
    private static String jsonl(SiteGenerator.Site site, int concurrency, FaultServer server, Path tls) {
        Map<String, Long> before = server.requestCounts();
        StringWriter out = new StringWriter();
        Crawler.builder().concurrency(concurrency).retries(0).respectRobots(false)
                .firstByteTimeout(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(2)).maxBodyBytes(1 << 20)
                .trustCertificates(tls == null ? List.of() : List.of(tls)).build()
                .crawl(site.startUrl(), OutputFormat.JSONL.sink(out));
        Map<String, Long> after = server.requestCounts();
        after.forEach((target, n) -> assertThat(n - before.getOrDefault(target, 0L)).as("requests of %s", target)
                .isLessThanOrEqualTo(1));
        return out.toString().replaceAll("\"fetch_ms\":\\d+", "\"fetch_ms\":0");
    }
}
