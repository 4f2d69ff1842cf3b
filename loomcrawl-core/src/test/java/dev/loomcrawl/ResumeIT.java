package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A crawl kept in a {@link CrawlStore}: the store gives back exactly what the crawl reported, and a crawl cancelled
 * at a random moment resumes to the results of an uninterrupted crawl, requesting no page again that was recorded.
 */
@Timeout(120)
class ResumeIT {

    /** What must be the same after a resume: the URL, its status, and its breadth-first place. */
    private record Placed(String url, int status, int depth, String parent) {
        static Placed of(PageResult p) {
            return new Placed(p.url(), p.status(), p.depth(), p.parent());
        }
    }

    @Test
    void aStoreThatStopsTakingWritesFailsTheCrawlWithItsReason(@TempDir Path dir) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 5), server.baseUrl());
            server.serve(site.resources());
            CrawlStore store = CrawlStore.open(dir);
            try {
                store.startNew(site.startUrl(), "crawl", List.of());
                // as a full disk would: every write after the 20th page fails
                try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE))) {
                    c.createStatement().execute("CREATE TRIGGER full BEFORE INSERT ON pages WHEN (SELECT count(*) FROM pages) >= 20 "
                            + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
                }
                List<PageResult> reported = new CopyOnWriteArrayList<>();
                assertThatThrownBy(() -> Crawler.builder().concurrency(8).build().crawl(site.startUrl(), reported::add, store))
                        .isInstanceOf(CrawlFailedException.class)
                        .hasRootCauseMessage("[SQLITE_CONSTRAINT_TRIGGER] A RAISE function within a trigger fired, causing the SQL statement to abort (database or disk is full)")
                        .cause().hasMessageContaining("cannot write crawl state in " + dir);
                assertThat(reported.size()).isLessThan(site.expectedUrls().size());
            } finally {
                assertThatThrownBy(store::close).hasMessageContaining("cannot write crawl state"); // and says so again
            }
            assertThat(CrawlThreads.alive()).isEmpty();
        }
    }

    @Test
    void theStoreGivesBackThePagesInOutputOrder(@TempDir Path dir) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 5), server.baseUrl());
            server.serve(site.resources());
            List<PageResult> reported = new ArrayList<>();
            CrawlSummary summary;
            try (CrawlStore store = CrawlStore.open(dir)) {
                store.startNew(site.startUrl(), "crawl", List.of("--max-depth", "9"));
                summary = Crawler.builder().concurrency(16).maxDepth(9).build().crawl(site.startUrl(), reported::add, store);
            }
            try (CrawlStore store = CrawlStore.open(dir)) {
                List<PageResult> stored = new ArrayList<>();
                store.pages(stored::add);
                assertThat(stored).containsExactlyElementsOf(reported);
                CrawlStore.Stored crawl = store.stored().orElseThrow();
                assertThat(crawl.state()).isEqualTo(CrawlStore.State.FINISHED);
                assertThat(crawl.settings()).containsExactly("--max-depth", "9");
                assertThat(crawl.pages()).isEqualTo(summary.pages());
                CrawlSummary again = store.summary();
                assertThat(again.pages()).isEqualTo(summary.pages());
                assertThat(again.statuses()).isEqualTo(summary.statuses());
                assertThat(again.bytes()).isEqualTo(summary.bytes());
                assertThat(again.stopReason()).isEqualTo(StopReason.COMPLETED);
            }
            // what a user reads with sqlite3: the views give the same pages and links
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE))) {
                List<String> urls = new ArrayList<>();
                try (java.sql.ResultSet r = c.createStatement().executeQuery("SELECT url, depth FROM results ORDER BY seq")) {
                    while (r.next()) {
                        urls.add(r.getString(1) + " " + r.getInt(2));
                    }
                }
                assertThat(urls).containsExactlyElementsOf(reported.stream().map(p -> p.url() + " " + p.depth()).toList());
                for (PageResult p : reported.subList(0, 20)) {
                    List<String> links = new ArrayList<>();
                    try (java.sql.PreparedStatement s = c.prepareStatement("SELECT url FROM links WHERE page = ? ORDER BY pos")) {
                        s.setString(1, p.url());
                        try (java.sql.ResultSet r = s.executeQuery()) {
                            while (r.next()) {
                                links.add(r.getString(1));
                            }
                        }
                    }
                    assertThat(links).as(p.url()).containsExactlyElementsOf(p.links());
                }
                try (java.sql.ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM links WHERE text <> ''")) {
                    assertThat(r.getInt(1)).as("links with an anchor text").isGreaterThan(500);
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void aCancelledCrawlResumesToTheUninterruptedResult(long seed, @TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, seed), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(2));
            int concurrency = 1 + random.nextInt(32);
            // four URLs ready in memory: the rest wait in the store's frontier table, which a resume empties
            Crawler crawler = Crawler.builder().concurrency(concurrency).readyInMemory(4).build();
            List<Placed> reference = new ArrayList<>();
            crawler.crawl(site.startUrl(), p -> reference.add(Placed.of(p)));
            server.resetStats();

            List<PageResult> first = new CopyOnWriteArrayList<>();
            try (CrawlStore store = CrawlStore.open(dir)) {
                store.startNew(site.startUrl(), "crawl", List.of());
                Thread crawling = Thread.ofPlatform().start(() -> crawler.crawl(site.startUrl(), first::add, store));
                long target = 1 + random.nextInt(300);
                while (server.totalRequests() < target && crawling.isAlive()) {
                    Thread.sleep(1);
                }
                crawling.interrupt();
                crawling.join();
            }
            Map<String, Long> firstRun = server.requestCounts();
            server.resetStats();

            List<PageResult> second = new ArrayList<>();
            Set<String> recorded = new HashSet<>();
            try (CrawlStore store = CrawlStore.open(dir)) {
                assertThat(store.stored().orElseThrow().state()).isIn(CrawlStore.State.STOPPED, CrawlStore.State.FINISHED);
                for (SiteGenerator.ExpectedPage e : site.expected()) {
                    if (store.session().recall(e.url()) != null) {
                        recorded.add(e.url().substring(server.baseUrl().length()));
                    }
                }
                store.resume();
                CrawlSummary summary = crawler.crawl(site.startUrl(), second::add, store);
                assertThat(summary.stopReason()).isEqualTo(StopReason.COMPLETED);
            }
            assertThat(second).extracting(Placed::of).containsExactlyElementsOf(reference);
            Map<String, Long> secondRun = server.requestCounts();
            for (String target : recorded) {
                assertThat(secondRun).as("%s was recorded, so not requested again", target).doesNotContainKey(target);
            }
            Set<String> inFlight = new HashSet<>(firstRun.keySet());
            inFlight.removeAll(recorded);
            inFlight.remove("/robots.txt");
            assertThat(inFlight.size()).as("requested and not recorded: in flight, processed or awaiting commit when cancelled")
                    .isLessThanOrEqualTo(2 * concurrency + CrawlStore.MAX_AWAITING_COMMIT);
            for (PageResult p : first) {
                assertThat(recorded).as("reported pages were recorded").contains(p.url().substring(server.baseUrl().length()));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void aStoreRestoredFromAnotherStoresJournalResumesWithoutRequestingItsPagesAgain(long seed, @TempDir Path dir)
            throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, seed), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(2));
            Crawler crawler = Crawler.builder().concurrency(1 + random.nextInt(16)).build();
            List<PageResult> reference = new ArrayList<>();
            crawler.crawl(site.startUrl(), reference::add);

            // the first machine: cancelled mid-crawl, its journal kept elsewhere
            List<byte[]> journal = new CopyOnWriteArrayList<>();
            try (CrawlStore store = CrawlStore.open(dir.resolve("first"))) {
                store.startNew(site.startUrl(), "crawl", List.of());
                long target = 50 + random.nextInt(250);
                CountDownLatch reached = new CountDownLatch(1); // the target reached, or the crawl ended first
                store.journal(entry -> {
                    journal.add(entry);
                    if (journal.size() >= target) {
                        reached.countDown();
                    }
                });
                Thread crawling = Thread.ofPlatform().start(() -> {
                    try {
                        crawler.crawl(site.startUrl(), p -> { }, store);
                    } finally {
                        reached.countDown();
                    }
                });
                reached.await();
                crawling.interrupt();
                crawling.join();
            }
            List<byte[]> kept = List.copyOf(journal);
            server.resetStats();

            // the second: a new store, the journal restored (twice over: a repeated entry is ignored)
            List<PageResult> second = new ArrayList<>();
            try (CrawlStore store = CrawlStore.open(dir.resolve("second"))) {
                store.startNew(site.startUrl(), "crawl", List.of());
                for (byte[] entry : kept) {
                    store.restore(entry);
                }
                store.restore(kept.getFirst());
                store.sync();
                CrawlSummary summary = crawler.crawl(site.startUrl(), second::add, store);
                assertThat(summary.stopReason()).isEqualTo(StopReason.COMPLETED);
            }
            assertThat(second).extracting(Placed::of).containsExactlyElementsOf(reference.stream().map(Placed::of).toList());
            assertThat(second).extracting(PageResult::links).containsExactlyElementsOf(reference.stream().map(PageResult::links).toList());
            Map<String, Long> requested = server.requestCounts();
            assertThat(requested.values()).as("no page requested twice").allMatch(n -> n == 1);
            long fetchedAgain = requested.keySet().stream().filter(t -> !t.equals("/robots.txt")).count();
            assertThat(fetchedAgain).as("only the pages the journal did not hold").isEqualTo(reference.size() - kept.size());
        }
        assertThatThrownBy(() -> {
            try (CrawlStore store = CrawlStore.open(dir.resolve("third"))) {
                store.startNew("http://127.0.0.1/", "crawl", List.of());
                store.restore(new byte[] {1, 1, 0, 0});
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal entry");
    }
}
