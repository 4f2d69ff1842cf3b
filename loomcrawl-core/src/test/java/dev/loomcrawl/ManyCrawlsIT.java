package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.testkit.InFlight;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several crawls at once, as the sites of one run: a {@link RequestLimit} they share bounds their requests in flight
 * together, counted by the servers, and {@link SharedChecks} asks an external link that several sites share once.
 */
@Timeout(120)
class ManyCrawlsIT {

    private static final int SITES = 6;

    @Test
    void crawlsSharingARequestLimitNeverHaveMoreInFlightTogetherAndEachFindsItsSite() throws Exception {
        InFlight across = new InFlight();
        List<SiteServer> servers = new ArrayList<>();
        try {
            List<SiteGenerator.Site> sites = new ArrayList<>();
            for (int i = 0; i < SITES; i++) {
                SiteServer server = SiteServer.start().alsoCounting(across);
                servers.add(server);
                SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(80 + 10 * i, i), server.baseUrl());
                server.serve(site.resources()).latency(Duration.ofMillis(3));
                sites.add(site);
            }
            RequestLimit limit = RequestLimit.of(5);
            Crawler crawler = Crawler.builder().concurrency(8).requestLimit(limit).build(); // 48 wanted, 5 allowed
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<String>>> crawled = new ArrayList<>();
                for (SiteGenerator.Site site : sites) {
                    crawled.add(pool.submit(() -> {
                        List<String> urls = new ArrayList<>();
                        crawler.crawl(site.startUrl(), page -> urls.add(page.url()));
                        return urls;
                    }));
                }
                for (int i = 0; i < SITES; i++) {
                    assertThat(crawled.get(i).get()).containsExactlyElementsOf(
                            sites.get(i).expected().stream().map(SiteGenerator.ExpectedPage::url).toList());
                }
            }
            assertThat(across.peak()).as("requests in flight on all servers at once").isBetween(2, 5);
            assertThat(limit.peak()).isEqualTo(5);
            assertThat(limit.inFlight()).isZero();
            assertThat(servers.stream().mapToInt(SiteServer::peakInFlight).max().orElseThrow()).isLessThanOrEqualTo(5);
        } finally {
            servers.forEach(SiteServer::close);
        }
    }

    @Test
    void checksSharingTheirExternalLinksAskEachOnceAndThrottleTheExternalHostTogether() throws Exception {
        List<SiteServer> servers = new ArrayList<>();
        try (SiteServer external = SiteServer.start()) {
            external.serve(Map.of("/shared", Resource.html("shared"))).latency(Duration.ofMillis(20));
            SharedChecks shared = new SharedChecks();
            LinkChecker checker = LinkChecker.builder().sharedChecks(shared).build();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<CheckReport>> reports = new ArrayList<>();
                for (int i = 0; i < SITES; i++) {
                    SiteServer server = SiteServer.start();
                    servers.add(server);
                    StringBuilder own = new StringBuilder();
                    for (int k = 0; k < 4; k++) {
                        own.append("<a href='").append(external.url("/own" + i + "-" + k)).append("'>own</a> ");
                    }
                    server.serve(Map.of("/", Resource.html("<a href='" + external.url("/shared") + "'>s</a> <a href='"
                            + external.url("/own" + i) + "'>own</a> " + own + "<a href=/page>p</a>"),
                            "/page", Resource.html("<a href='" + external.url("/shared") + "'>again</a>")));
                    reports.add(pool.submit(() -> checker.check(server.url("/"))));
                }
                for (int i = 0; i < SITES; i++) {
                    CheckReport report = reports.get(i).get();
                    String own = "/own" + i;
                    assertThat(report.links()).filteredOn(l -> l.url().endsWith("/shared")).hasSize(2)
                            .allSatisfy(l -> assertThat(l.verdict()).isEqualTo(Verdict.OK));
                    assertThat(report.links()).filteredOn(l -> l.url().endsWith(own))
                            .extracting(LinkCheck::verdict).containsExactly(Verdict.BROKEN);
                    assertThat(report.pages()).extracting(PageResult::status).containsExactly(200, 200);
                }
            }
            assertThat(external.requests("/shared")).as("asked once for %d sites", SITES).isEqualTo(1);
            for (int i = 0; i < SITES; i++) {
                assertThat(external.requests("/own" + i)).isBetween(1L, 2L); // HEAD, and GET after a HEAD 404
            }
            assertThat(shared.size()).isEqualTo(5 * SITES + 1);
            assertThat(external.peakInFlight()).as("one throttle of the external host for all the checks")
                    .isLessThanOrEqualTo(LinkChecker.EXTERNAL_PER_HOST);
        } finally {
            servers.forEach(SiteServer::close);
        }
    }
}
