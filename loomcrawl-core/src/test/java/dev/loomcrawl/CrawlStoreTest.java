package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StoreException;
import dev.loomcrawl.internal.engine.FrontierOverflow;
import dev.loomcrawl.internal.politeness.HostState;
import dev.loomcrawl.internal.politeness.ManualTicker;
import dev.loomcrawl.internal.store.CommitGate;
import dev.loomcrawl.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening a state directory: a new one is made, ours is reopened, and anything else is refused, never replaced. */
class CrawlStoreTest {

    /** A fetched start page with one link, as a crawl records it. */
    private static dev.loomcrawl.crawl.PageResult startPage() {
        return page("http://localhost/");
    }

    /** Records {@code page} as a crawl does that keeps no anchor texts and follows every link. */
    private static void record(CrawlStore store, dev.loomcrawl.crawl.PageResult page) throws InterruptedException {
        store.session().recordPage(page, List.of(), page.links(), () -> { });
    }

    /** {@code p} as the output writer places it: at depth 1, linked from the start. */
    private static dev.loomcrawl.crawl.PageResult placed(dev.loomcrawl.crawl.PageResult p) {
        return new dev.loomcrawl.crawl.PageResult(p.url(), 1, "http://localhost/", p.status(), p.contentType(), p.bytes(),
                p.fetchMillis(), null, null, p.links(), false, 1, false, false, List.of(),
                dev.loomcrawl.crawl.PageResult.Source.LINK, null);
    }

    private static dev.loomcrawl.crawl.PageResult page(String url) {
        return new dev.loomcrawl.crawl.PageResult(url, -1, null, 200, "text/html", 1, 1, null, null,
                List.of("http://localhost/a"), false, 1, false, false, List.of(), null, null);
    }

    @Test
    void aNewDirectoryGetsAnEmptyStoreThatReopens(@TempDir Path tmp) {
        Path dir = tmp.resolve("site");
        try (CrawlStore store = CrawlStore.open(dir)) {
            assertThat(store.stored()).isEmpty();
            store.startNew("http://localhost/", "crawl", List.of("--max-depth", "2"));
        }
        try (CrawlStore store = CrawlStore.open(dir)) {
            CrawlStore.Stored stored = store.stored().orElseThrow();
            assertThat(stored.startUrl()).isEqualTo("http://localhost/");
            assertThat(stored.state()).isEqualTo(CrawlStore.State.RUNNING);
            assertThat(stored.settings()).containsExactly("--max-depth", "2");
            assertThat(stored.pages()).isZero();
        }
    }

    @Test
    void hostStatesSurviveAReopenAndTheirPausesRunOnTheWallClock(@TempDir Path dir) {
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            store.session().recordHost(new HostState("localhost", 8, Duration.ZERO));
            store.session().recordHost(new HostState("localhost", 2, Duration.ofMinutes(2)));
            store.session().recordHost(new HostState("other:8080", 1, Duration.ZERO));
        }
        try (CrawlStore store = CrawlStore.open(dir)) {
            List<HostState> states = store.session().hostStates();
            assertThat(states).extracting(HostState::host, HostState::limit)
                    .containsExactly(tuple("localhost", 2), tuple("other:8080", 1));
            assertThat(states.getFirst().pause()).isBetween(Duration.ofSeconds(100), Duration.ofMinutes(2));
            assertThat(states.get(1).pause()).isZero();
        }
    }

    @Test
    void theFrontiersSpilledEntriesComeBackLowestFirstOnceAndAResumeForgetsThem(@TempDir Path dir) throws Exception {
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            store.session().spill(List.of(new FrontierOverflow.Entry("http://localhost/c", 2, 0.5, 0.25f),
                    new FrontierOverflow.Entry("http://localhost/a", 1, 0.75, 0.125f)));
            store.session().spill(List.of(new FrontierOverflow.Entry("http://localhost/b", 2, 0.25, 0.25f),
                    new FrontierOverflow.Entry("http://localhost/d", 3, 0.0, 1f)));
            assertThat(store.session().takeLowest(3).get()).containsExactly(
                    new FrontierOverflow.Entry("http://localhost/a", 1, 0.75, 0.125f),
                    new FrontierOverflow.Entry("http://localhost/b", 2, 0.25, 0.25f),
                    new FrontierOverflow.Entry("http://localhost/c", 2, 0.5, 0.25f));
            store.session().spill(List.of(new FrontierOverflow.Entry("http://localhost/e", 2, 0.75, 0.25f)));
            assertThat(store.session().takeLowest(1).get()).extracting(FrontierOverflow.Entry::url).containsExactly("http://localhost/e");
            store.session().spill(List.of(new FrontierOverflow.Entry("http://localhost/f", 4, 0.0, 1f)));
        }
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.resume(); // a resumed crawl meets its waiting URLs again in its replay
            assertThat(store.session().takeLowest(10).get()).isEmpty();
        }
    }

    @Test
    void aStoreWrittenBeforeTheFrontierTableExistedResumesAndSpills(@TempDir Path dir) throws Exception {
        dev.loomcrawl.crawl.PageResult page = startPage();
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            record(store, page);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE))) {
            c.createStatement().execute("DROP TABLE frontier"); // as the previous version wrote its stores
        }
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.resume();
            assertThat(store.session().recall("http://localhost/")).isNotNull();
            store.session().spill(List.of(new FrontierOverflow.Entry("http://localhost/a", 1, 0, 1f)));
            assertThat(store.session().takeLowest(1).get()).extracting(FrontierOverflow.Entry::url).containsExactly("http://localhost/a");
        }
    }

    private static int pageSize(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.ResultSet r = c.createStatement().executeQuery("PRAGMA page_size")) {
            return r.getInt(1);
        }
    }

    @Test
    void aNewStoreHasSixteenKibPagesAndOneWithSmallerPagesResumesAsItIs(@TempDir Path tmp) throws Exception {
        Path fresh = tmp.resolve("fresh");
        try (CrawlStore store = CrawlStore.open(fresh)) {
            store.startNew("http://localhost/", "crawl", List.of());
            record(store, startPage());
            store.startNew("http://localhost/", "crawl", List.of()); // a new crawl makes a new database
            record(store, startPage());
        }
        assertThat(pageSize(fresh.resolve(CrawlStore.FILE))).isEqualTo(16384);

        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(CrawlStore.FILE))) {
            c.createStatement().execute("PRAGMA page_size = 4096"); // as stores were made before
            c.createStatement().execute("PRAGMA journal_mode = WAL");
        }
        try (CrawlStore store = CrawlStore.open(old)) {
            store.startNew("http://localhost/", "crawl", List.of());
            record(store, startPage());
        }
        try (CrawlStore store = CrawlStore.open(old)) {
            store.resume();
            assertThat(store.session().recall("http://localhost/")).isNotNull();
            record(store, page("http://localhost/a"));
        }
        assertThat(pageSize(old.resolve(CrawlStore.FILE))).isEqualTo(4096);
    }

    private static PageResult linking(String url, String redirect, String... links) {
        return new PageResult(url, -1, null, redirect == null ? 200 : 301, "text/html", 1, 1, redirect, null,
                List.of(links), false, 1, false, false, List.of(), null, null);
    }

    private static String followedColumn(Path dir, String url) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE));
             java.sql.PreparedStatement s = c.prepareStatement("SELECT followed FROM pages WHERE url = ?")) {
            s.setString(1, url);
            try (java.sql.ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as(url).isTrue();
                return r.getString(1);
            }
        }
    }

    private static void setVersion(Path dir, int version) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE))) {
            c.createStatement().execute("PRAGMA user_version = " + version);
        }
    }

    private static int version(Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE));
             java.sql.ResultSet r = c.createStatement().executeQuery("PRAGMA user_version")) {
            return r.getInt(1);
        }
    }

    /** A page's links: two on its origin, one on another site, one on the other scheme of its host. */
    private static final String[] LINKS = {"http://localhost/a", "http://localhost/b", "http://elsewhere/x",
            "https://localhost/y"};

    @Test
    void followedIsLeftOutWhenItIsThePagesLinksOnItsOriginAndRecalledExactlyEitherWay(@TempDir Path dir)
            throws Exception {
        PageResult usual = linking("http://localhost/", null, LINKS);
        PageResult otherScheme = linking("http://localhost/2", null, LINKS);
        PageResult nofollow = linking("http://localhost/3", null, LINKS);
        PageResult redirect = linking("http://localhost/4", "http://localhost/a");
        PageResult allOnOrigin = linking("http://localhost/5", null, "http://localhost/a", "http://localhost/");
        PageResult twice = linking("http://localhost/6", null, LINKS[0], LINKS[2], LINKS[0]);
        PageResult relNofollow = new PageResult("http://localhost/7", -1, null, 200, "text/html", 1, 1, null, null,
                List.of(LINKS[0], LINKS[1]), false, 1, false, false, List.of(LINKS[1]), null, null);
        PageResult relNofollowIgnored = new PageResult("http://localhost/8", -1, null, 200, "text/html", 1, 1, null,
                null, List.of(LINKS[0], LINKS[1]), false, 1, false, false, List.of(LINKS[1]), null, null);
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            store.session().recordPage(usual, List.of(), List.of(LINKS[0], LINKS[1]), () -> { });
            store.session().recordPage(otherScheme, List.of(), List.of(LINKS[0], LINKS[1], LINKS[3]), () -> { });
            store.session().recordPage(nofollow, List.of(), List.of(), () -> { });
            store.session().recordPage(redirect, List.of(), List.of("http://localhost/a"), () -> { });
            store.session().recordPage(allOnOrigin, List.of(), allOnOrigin.links(), () -> { });
            store.session().recordPage(twice, List.of(), List.of(LINKS[0], LINKS[0]), () -> { });
            store.session().recordPage(relNofollow, List.of(), List.of(LINKS[0]), () -> { });
            store.session().recordPage(relNofollowIgnored, List.of(), List.of(LINKS[0], LINKS[1]), () -> { });
        }
        assertThat(version(dir)).isEqualTo(2);
        assertThat(followedColumn(dir, usual.url())).isNull();
        assertThat(followedColumn(dir, otherScheme.url())).isEqualTo("[\"/a\",\"/b\",\"https://localhost/y\"]");
        assertThat(followedColumn(dir, nofollow.url())).isEqualTo("[]");
        assertThat(followedColumn(dir, redirect.url())).isEqualTo("[\"/a\"]");
        assertThat(followedColumn(dir, allOnOrigin.url())).isNull();
        assertThat(followedColumn(dir, twice.url())).isNull();
        assertThat(followedColumn(dir, relNofollow.url())).isEqualTo("[\"/a\"]");
        assertThat(followedColumn(dir, relNofollowIgnored.url())).isNull();
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.resume();
            assertThat(store.session().recall(usual.url()).followed()).containsExactly(LINKS[0], LINKS[1]);
            assertThat(store.session().recall(otherScheme.url()).followed()).containsExactly(LINKS[0], LINKS[1], LINKS[3]);
            assertThat(store.session().recall(nofollow.url()).followed()).isEmpty();
            assertThat(store.session().recall(redirect.url()).followed()).containsExactly("http://localhost/a");
            assertThat(store.session().recall(allOnOrigin.url()).followed()).containsExactly("http://localhost/a",
                    "http://localhost/");
            assertThat(store.session().recall(twice.url()).followed()).containsExactly(LINKS[0], LINKS[0]);
            assertThat(store.session().recall(relNofollow.url()).followed()).containsExactly(LINKS[0]);
            assertThat(store.session().recall(relNofollowIgnored.url()).followed()).containsExactly(LINKS[0], LINKS[1]);
        }
    }

    @Test
    void aPageRestoredFromAnotherStoresJournalIsRecalledAsItWasFollowed(@TempDir Path tmp) throws Exception {
        List<byte[]> journal = new java.util.ArrayList<>();
        PageResult usual = linking("http://localhost/", null, LINKS);
        PageResult otherScheme = linking("http://localhost/2", null, LINKS);
        try (CrawlStore first = CrawlStore.open(tmp.resolve("first"))) {
            first.startNew("http://localhost/", "crawl", List.of());
            first.journal(journal::add);
            first.session().recordPage(usual, List.of(), List.of(LINKS[0], LINKS[1]), () -> { });
            first.session().recordPage(otherScheme, List.of(), List.of(LINKS[0], LINKS[3]), () -> { });
        }
        Path second = tmp.resolve("second");
        try (CrawlStore store = CrawlStore.open(second)) {
            store.startNew("http://localhost/", "crawl", List.of());
            for (byte[] entry : journal) {
                assertThat(store.restore(entry)).isTrue();
            }
        }
        assertThat(followedColumn(second, usual.url())).isNull();
        assertThat(followedColumn(second, otherScheme.url())).isEqualTo("[\"/a\",\"https://localhost/y\"]");
        try (CrawlStore store = CrawlStore.open(second)) {
            store.resume();
            assertThat(store.session().recall(usual.url()).followed()).containsExactly(LINKS[0], LINKS[1]);
            assertThat(store.session().recall(otherScheme.url()).followed()).containsExactly(LINKS[0], LINKS[3]);
        }
    }

    @Test
    void aStoreOfVersionOneIsResumedAsItWasWrittenAndANewCrawlMakesItVersionTwo(@TempDir Path dir) throws Exception {
        PageResult before = linking("http://localhost/", null, LINKS);
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            store.session().recordPage(before, List.of(), List.of(LINKS), () -> { });
        }
        setVersion(dir, 1); // as loomcrawl wrote stores before version 2: null, every link followed
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE))) {
            c.createStatement().execute("UPDATE pages SET followed = NULL");
        }
        PageResult after = linking("http://localhost/2", null, LINKS);
        PageResult all = linking("http://localhost/3", null, LINKS);
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.resume();
            assertThat(store.session().recall(before.url()).followed()).containsExactly(LINKS);
            store.session().recordPage(after, List.of(), List.of(LINKS[0], LINKS[1]), () -> { });
            store.session().recordPage(all, List.of(), List.of(LINKS), () -> { });
        }
        assertThat(version(dir)).isEqualTo(1);
        assertThat(followedColumn(dir, after.url())).isEqualTo("[\"/a\",\"/b\"]");
        assertThat(followedColumn(dir, all.url())).isNull();
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.resume();
            assertThat(store.session().recall(after.url()).followed()).containsExactly(LINKS[0], LINKS[1]);
            assertThat(store.session().recall(all.url()).followed()).containsExactly(LINKS);
            store.startNew("http://localhost/", "crawl", List.of());
            store.session().recordPage(after, List.of(), List.of(LINKS[0], LINKS[1]), () -> { });
        }
        assertThat(version(dir)).isEqualTo(2);
        assertThat(followedColumn(dir, after.url())).isNull();
    }

    @Test
    void anEmptyStoreOfVersionOneBecomesVersionTwoWhenACrawlBegins(@TempDir Path dir) throws Exception {
        try (CrawlStore store = CrawlStore.open(dir)) {
            assertThat(store.stored()).isEmpty();
        }
        setVersion(dir, 1);
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            store.session().recordPage(linking("http://localhost/", null, LINKS), List.of(), List.of(LINKS[0], LINKS[1]),
                    () -> { });
        }
        assertThat(version(dir)).isEqualTo(2);
        assertThat(followedColumn(dir, "http://localhost/")).isNull();
    }

    @Test
    void aStoreOfANewerVersionIsRefusedAndKept(@TempDir Path dir) throws Exception {
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
        }
        setVersion(dir, 3);
        byte[] before = Files.readAllBytes(dir.resolve(CrawlStore.FILE));
        assertThatThrownBy(() -> CrawlStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageEndingWith(" was written by a newer loomcrawl (store version 3, this one reads 2); use "
                        + "that loomcrawl, or move it away or choose another state directory");
        assertThat(Files.readAllBytes(dir.resolve(CrawlStore.FILE))).isEqualTo(before);
    }

    /** Holds the store's commits back while held: the writer waits inside its transaction until released. */
    private static final class HeldCommits implements CommitGate {
        private final Semaphore open = new Semaphore(1);

        void hold() throws InterruptedException {
            open.acquire();
        }

        void release() {
            open.release();
        }

        @Override
        public void beforeCommit() throws InterruptedException {
            open.acquire();
            open.release();
        }
    }

    @Test
    @Timeout(30)
    void aStoreDatesItsCrawlAndPacesItsGroupCommitsByItsTicker(@TempDir Path dir) throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (CrawlStore store = CrawlStore.open(dir, ticker)) {
            store.startNew("http://localhost/", "crawl", List.of());
            String begun = ticker.instant().toString();
            ticker.advance(Duration.ofSeconds(5).toNanos());
            PageResult first = page("http://localhost/a");
            store.session().recordPage(first, List.of(), first.links(), () -> { });
            // the interval has passed since the last commit: this one is due at once
            Await.until("the first page committed", () -> committed(store, "http://localhost/a"));
            store.session().recordPage(page("http://localhost/b"), List.of(), List.of(), () -> { });
            // the next commit waits for its interval on the store's clock, which stands still
            Await.until("the store's writer waits for the interval", () -> Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals("loomcrawl-store") && t.getState() == Thread.State.TIMED_WAITING));
            assertThat(committed(store, "http://localhost/b")).as("not committed while time stands").isFalse();
            ticker.advance(Duration.ofMillis(20).toNanos());
            Await.until("the commit after the interval", () -> committed(store, "http://localhost/b"));
            store.resume();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE));
                 var r = c.createStatement().executeQuery("SELECT started_at, updated_at FROM crawl")) {
                assertThat(r.getString(1)).isEqualTo(begun);
                assertThat(r.getString(2)).isEqualTo(ticker.instant().toString());
            }
        }
    }

    private static boolean committed(CrawlStore store, String url) {
        try {
            return store.session().recall(url) != null;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(30)
    void aRecordReturnsBeforeItsCommitAndWaitsOnlyWhileTheMostPagesAwaitTheirs(@TempDir Path dir) throws Exception {
        HeldCommits commits = new HeldCommits();
        try (CrawlStore store = CrawlStore.open(dir, commits)) {
            store.startNew("http://localhost/", "crawl", List.of());
            commits.hold();
            List<PageResult> pages = IntStream.rangeClosed(0, CrawlStore.MAX_AWAITING_COMMIT)
                    .mapToObj(i -> page("http://localhost/" + i)).toList();
            AtomicInteger admitted = new AtomicInteger();
            for (PageResult page : pages.subList(0, CrawlStore.MAX_AWAITING_COMMIT)) {
                store.session().recordPage(page, List.of(), page.links(), admitted::incrementAndGet);
            }
            assertThat(admitted).as("each returned before its commit").hasValue(CrawlStore.MAX_AWAITING_COMMIT);
            assertThat(store.session().recall("http://localhost/0")).as("none committed yet").isNull();

            PageResult last = pages.getLast();
            Thread beyond = Thread.ofVirtual().start(() -> {
                try {
                    store.session().recordPage(last, List.of(), last.links(), admitted::incrementAndGet);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // it parks: it waits for room among the pages awaiting their commit
            Await.until("the record beyond the bound parked or ended", () -> beyond.getState() == Thread.State.WAITING
                    || beyond.getState() == Thread.State.TERMINATED);
            assertThat(beyond.getState()).isEqualTo(Thread.State.WAITING);
            assertThat(admitted).as("one more waits for a commit").hasValue(CrawlStore.MAX_AWAITING_COMMIT);
            commits.release();
            beyond.join();
            assertThat(admitted).hasValue(CrawlStore.MAX_AWAITING_COMMIT + 1);
            assertThat(store.session().recall("http://localhost/0")).as("it went on after a commit").isNotNull();
            store.sync();
            assertThat(store.session().recall(last.url())).isNotNull();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aBugInTheWriterFailsTheStoreInsteadOfLeavingItsWaitersWaiting(@TempDir Path dir) throws Exception {
        CrawlStore store = CrawlStore.open(dir);
        store.startNew("http://localhost/", "crawl", List.of());
        dev.loomcrawl.crawl.PageResult page = startPage();
        record(store, page);
        store.session().markPlaced(page); // no source: the writer meets a null where it never should
        // a writer that died of it would leave this wait, and every later one, waiting for ever
        assertThatThrownBy(store::sync).isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("internal error");
        dev.loomcrawl.crawl.PageResult more = page("http://localhost/more");
        assertThatThrownBy(() -> record(store, more))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("internal error");
        assertThatThrownBy(store::close).hasMessageContaining("internal error");
    }

    @Test
    void aNewCrawlReplacesTheOldOneEntirely(@TempDir Path dir) throws Exception {
        dev.loomcrawl.crawl.PageResult page = startPage();
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            record(store, page);
            store.session().recordHost(new HostState("localhost", 1, Duration.ZERO));
            store.sync();
            assertThat(store.session().recall("http://localhost/")).isNotNull();
            store.startNew("http://localhost/b", "check", List.of("--resources"));
            assertThat(store.session().recall("http://localhost/")).isNull();
            assertThat(store.session().hostStates()).isEmpty();
            record(store, page);
        }
        try (CrawlStore store = CrawlStore.open(dir)) {
            assertThat(store.stored().orElseThrow()).extracting(CrawlStore.Stored::startUrl, CrawlStore.Stored::kind,
                    CrawlStore.Stored::pages).containsExactly("http://localhost/b", "check", 1L);
        }
    }

    @Test
    void aDirectoryWithOtherFilesIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> CrawlStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("holds files but no loomcrawl crawl");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("state"), "x");
        assertThatThrownBy(() -> CrawlStore.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("is a file, not a directory");
    }

    @Test
    void aDamagedDatabaseIsRefusedAndKept(@TempDir Path dir) throws Exception {
        byte[] garbage = "this is not an SQLite database, only bytes that say so over and over".repeat(100).getBytes();
        Files.write(dir.resolve(CrawlStore.FILE), garbage);
        assertThatThrownBy(() -> CrawlStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("damaged or not a loomcrawl crawl").hasMessageNotContaining("\n");
        assertThat(Files.readAllBytes(dir.resolve(CrawlStore.FILE))).isEqualTo(garbage);
    }

    @Test
    void aTruncatedStoreIsRefused(@TempDir Path dir) throws Exception {
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
        }
        Path db = dir.resolve(CrawlStore.FILE);
        byte[] whole = Files.readAllBytes(db);
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        Files.write(db, half);
        assertThatThrownBy(() -> {
            try (CrawlStore store = CrawlStore.open(dir)) {
                store.resume(); // the unfinished crawl, at the latest when it would be used again
            }
        }).isInstanceOf(StoreException.class).hasMessageContaining("damaged");
        assertThat(Files.readAllBytes(db)).isEqualTo(half);
    }

    @Test
    void aDamagedPageIsFoundBeforeAResumeOrAReportButAFinishedCrawlIsReplacedWithoutReadingItWhole(@TempDir Path dir)
            throws Exception {
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of());
            for (int i = 0; i < 400; i++) {
                dev.loomcrawl.crawl.PageResult p = page("http://localhost/" + i);
                record(store, p);
                store.session().markPlaced(placed(p));
            }
        }
        Path db = dir.resolve(CrawlStore.FILE);
        int placedRoot;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.ResultSet r = c.createStatement().executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 'placed'")) {
            placedRoot = r.getInt(1);
        }
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(db, java.nio.file.StandardOpenOption.WRITE)) {
            int size = pageSize(db);
            byte[] garbage = new byte[size];
            java.util.Arrays.fill(garbage, (byte) 0x5A);
            f.write(java.nio.ByteBuffer.wrap(garbage), (long) (placedRoot - 1) * size); // one table's page, not the crawl's
        }
        byte[] damaged = Files.readAllBytes(db);

        try (CrawlStore store = CrawlStore.open(dir)) {
            assertThat(store.stored().orElseThrow().pages()).isEqualTo(400);
            assertThatThrownBy(store::checkIntact).isInstanceOf(StoreException.class).hasMessageContaining("is damaged (");
            assertThatThrownBy(store::resume).isInstanceOf(StoreException.class).hasMessageContaining("is damaged (");
        }
        assertThat(Files.readAllBytes(db)).isEqualTo(damaged);
        try (CrawlStore store = CrawlStore.open(dir)) {
            store.startNew("http://localhost/", "crawl", List.of()); // a new crawl: the old one goes, unread
            store.checkIntact();
            assertThat(store.stored().orElseThrow().pages()).isZero();
        }
    }

    @Test
    void anotherProgramsDatabaseIsRefused(@TempDir Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(CrawlStore.FILE))) {
            c.createStatement().execute("CREATE TABLE notes (text TEXT)");
        }
        assertThatThrownBy(() -> CrawlStore.open(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("another program");
    }

    @Test
    void aStoreInUseIsRefused(@TempDir Path dir) {
        try (CrawlStore store = CrawlStore.open(dir)) {
            assertThatThrownBy(() -> CrawlStore.open(dir)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another loomcrawl process");
        }
    }
}
