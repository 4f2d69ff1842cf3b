package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancellation at random moments: {@code crawl()} returns promptly, every page it reported was really requested,
 * and nothing keeps running: no crawl thread, no request reaching the server afterwards.
 */
@Timeout(120)
class CancellationIT {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void cancellingAtARandomMomentStopsEverythingAndKeepsWhatWasReported(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (FaultServer server = FaultServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, seed), server.baseUrl());
            for (Map.Entry<String, Resource> e : site.resources().entrySet()) {
                Fault page = Fault.serve(e.getValue());
                server.route(e.getKey(), random.nextInt(10) == 0 ? Fault.stallBeforeHeaders()
                        : Fault.delayed(Duration.ofMillis(random.nextInt(20)), page));
            }
            List<PageResult> reported = new CopyOnWriteArrayList<>();
            CrawlSummary[] summary = new CrawlSummary[1];
            int concurrency = 1 + random.nextInt(64);
            Thread crawling = Thread.ofPlatform().name("crawling").start(() -> summary[0] = Crawler.builder()
                    .concurrency(concurrency).firstByteTimeout(Duration.ofSeconds(30)).build()
                    .crawl(site.startUrl(), reported::add));
            // cancelled once the server has read a number of requests the seed chooses, or, when stalled pages hold
            // every slot before that, once the crawl is stuck on them: either way the seed decides where it stands
            server.awaitRequests(1 + random.nextInt(concurrency), Duration.ofSeconds(2));
            long cancelledAt = System.nanoTime();
            crawling.interrupt();
            crawling.join(Duration.ofSeconds(5));
            assertThat(crawling.isAlive()).as("crawl() returns promptly").isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(5));
            assertThat(summary[0].stopReason()).isIn(StopReason.CANCELLED, StopReason.COMPLETED);
            assertThat(summary[0].pages()).isEqualTo(reported.size());
            Map<String, Long> requested = server.requestCounts();
            for (PageResult p : reported) {
                String target = p.url().substring(server.baseUrl().length());
                assertThat(requested).as("%s was reported, so it was requested", target).containsKey(target);
            }
            assertThat(reported).extracting(PageResult::url).doesNotHaveDuplicates();
            // no crawl thread is left, so nothing can send a request after crawl() returned
            assertThat(CrawlThreads.alive()).isEmpty();
        }
    }
}
