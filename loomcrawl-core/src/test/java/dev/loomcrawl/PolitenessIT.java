package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.Slowdown;
import dev.loomcrawl.internal.politeness.ManualTicker;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Politeness in whole crawls over loopback, measured by what the server counted and the time asked for. */
@Timeout(60)
class PolitenessIT {

    private static Map<String, Resource> star(int leaves, String robots) {
        Map<String, Resource> site = new HashMap<>();
        StringBuilder home = new StringBuilder();
        for (int i = 0; i < leaves; i++) {
            home.append("<a href=/leaf").append(i).append(">x</a>");
            site.put("/leaf" + i, Resource.html("leaf"));
        }
        site.put("/", Resource.html(home.toString()));
        if (robots != null) {
            site.put("/robots.txt", Resource.of(200, "text/plain", robots.getBytes()));
        }
        return site;
    }

    @Test
    void perHostCapsRequestsInFlightBelowTheCrawlsConcurrency() throws Exception {
        try (SiteServer server = SiteServer.start()) {
            server.serve(star(40, null)).latency(Duration.ofMillis(100));
            CrawlSummary summary = Crawler.builder().concurrency(16).perHost(3).build().crawl(server.url("/"), p -> { });
            assertThat(summary.pages()).isEqualTo(41);
            assertThat(server.peakInFlight()).isEqualTo(3);
        }
    }

    @Test
    void aDelaySpacesEveryRequestToTheHost() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (SiteServer server = SiteServer.start()) {
            server.serve(star(20, null));
            CrawlSummary summary = Crawler.builder().concurrency(8).delay(Duration.ofSeconds(1)).ticker(ticker)
                    .build().crawl(server.url("/"), p -> { });
            assertThat(summary.pages()).isEqualTo(21);
            // 21 page requests, each one second after the last: 20 s of waiting, none of it real
            assertThat(ticker.sleptNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(20).toNanos());
        }
    }

    @Test
    void robotsCrawlDelayIsHonoredUnlessADelayIsGiven() throws Exception {
        try (SiteServer server = SiteServer.start()) {
            server.serve(star(10, "User-agent: *\nCrawl-delay: 5\n"));
            ManualTicker byRobots = new ManualTicker();
            Crawler.builder().ticker(byRobots).build().crawl(server.url("/"), p -> { });
            assertThat(byRobots.sleptNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(50).toNanos())
                    .isLessThan(Duration.ofSeconds(60).toNanos());
            ManualTicker byUser = new ManualTicker();
            Crawler.builder().ticker(byUser).delay(Duration.ofMillis(10)).build().crawl(server.url("/"), p -> { });
            assertThat(byUser.sleptNanos()).isLessThan(Duration.ofSeconds(1).toNanos());
            ManualTicker ignoring = new ManualTicker();
            Crawler.builder().ticker(ignoring).respectRobots(false).build().crawl(server.url("/"), p -> { });
            assertThat(ignoring.sleptNanos()).isZero();
        }
    }

    @Test
    void aRateCapsRequestsPerSecond() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (SiteServer server = SiteServer.start()) {
            server.serve(star(20, null));
            Crawler.builder().concurrency(8).rate(4).ticker(ticker).build().crawl(server.url("/"), p -> { });
            assertThat(ticker.sleptNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20 * 250).toNanos());
        }
    }

    @Test
    void retryAfterPausesTheHostAndTheSummarySaysSo() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (FaultServer server = FaultServer.start()) {
            server.serve(star(10, null));
            server.route("/leaf3", Fault.firstTimes(1, Fault.status(429, Map.of("Retry-After", "7")),
                    Fault.serve(Resource.html("ok"))));
            CrawlSummary summary = Crawler.builder().concurrency(4).ticker(ticker).build()
                    .crawl(server.url("/"), p -> { });
            assertThat(summary.statuses()).containsOnlyKeys(200).containsEntry(200, 11L);
            assertThat(ticker.sleptNanos()).isGreaterThanOrEqualTo(Duration.ofSeconds(7).toNanos());
            assertThat(summary.slowdowns()).extracting(Slowdown::reason)
                    .contains("429 with Retry-After 7s: host paused 7s");
        }
    }

    @Test
    void repeatedOverloadLowersConcurrencyAndTheSummaryTellsWhen() throws Exception {
        try (FaultServer server = FaultServer.start()) {
            server.serve(star(60, null));
            for (int i = 0; i < 60; i += 3) {
                server.route("/leaf" + i, Fault.firstTimes(1, Fault.status(503, Map.of()), Fault.serve(Resource.html("ok"))));
            }
            CrawlSummary summary = Crawler.builder().concurrency(32).retryBackoff(Duration.ZERO).build()
                    .crawl(server.url("/"), p -> { });
            assertThat(summary.statuses()).containsOnlyKeys(200);
            assertThat(summary.slowdowns()).extracting(Slowdown::reason)
                    .anyMatch(r -> r.startsWith("overloaded (429/503): concurrency 32 -> 16"));
        }
    }
}
