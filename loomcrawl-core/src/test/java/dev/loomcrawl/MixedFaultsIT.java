package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.politeness.ManualTicker;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transient faults mixed at random over a generated site: each faulty page fails once, in a random way, then
 * answers. With retries the crawl must still give the exact ground truth, in order, at any concurrency.
 */
@Timeout(120)
class MixedFaultsIT {

    private static final List<Supplier<Fault>> TRANSIENT = List.of(
            Fault::resetMidHeaders, Fault::resetMidBody, Fault::closeAtOnce, Fault::stallBeforeHeaders,
            () -> Fault.status(502, Map.of()), () -> Fault.status(503, Map.of()), () -> Fault.status(504, Map.of()),
            () -> Fault.status(429, Map.of("Retry-After", "2")), () -> Fault.status(503, Map.of("Retry-After", "1")),
            () -> Fault.wrongLength(10_000, "<!doctype html><p>cut".getBytes()));

    @ParameterizedTest(name = "seed {0}, concurrency {1}")
    @CsvSource({"1, 1", "2, 8", "3, 64", "4, 16", "5, 256"})
    void transientFaultsAnywhereStillGiveTheGroundTruth(long seed, int concurrency) throws Exception {
        try (FaultServer server = FaultServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, seed), server.baseUrl());
            server.serve(site.resources());
            Random random = new Random(seed);
            Set<String> faulty = new TreeSet<>();
            for (Map.Entry<String, Resource> e : site.resources().entrySet()) {
                if (random.nextInt(100) < 15) {
                    Fault first = TRANSIENT.get(random.nextInt(TRANSIENT.size())).get();
                    server.route(e.getKey(), Fault.firstTimes(1, first, Fault.serve(e.getValue())));
                    faulty.add(e.getKey());
                }
            }
            List<PageResult> pages = new ArrayList<>();
            Crawler.builder().concurrency(concurrency).retries(2).ticker(new ManualTicker())
                    .firstByteTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofMillis(300))
                    .build().crawl(site.startUrl(), pages::add);
            assertThat(pages).as("seed %d", seed).extracting(PageResult::url, PageResult::depth, PageResult::parent)
                    .containsExactlyElementsOf(site.expected().stream()
                            .map(p -> Tuple.tuple(p.url(), p.depth(), p.parent())).toList());
            assertThat(pages).allMatch(p -> p.error() == null, "every page answered in the end");
            Map<String, Long> counts = server.requestCounts();
            counts.remove("/robots.txt");
            assertThat(counts.keySet()).doesNotContainAnyElementsOf(site.trapPaths());
            // a fault's route serves its path with any query: one failed request more per faulty path
            Map<String, Long> byPath = new java.util.TreeMap<>();
            Map<String, Long> targetsByPath = new java.util.TreeMap<>();
            counts.forEach((target, n) -> {
                String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
                byPath.merge(path, n, Long::sum);
                targetsByPath.merge(path, 1L, Long::sum);
            });
            byPath.forEach((path, n) -> assertThat(n).as(path)
                    .isEqualTo(targetsByPath.get(path) + (faulty.contains(path) ? 1 : 0)));
        }
    }
}
