package dev.loomcrawl.store;

import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.crawl.Version;
import dev.loomcrawl.internal.engine.FrontierOverflow;
import dev.loomcrawl.internal.engine.Join;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.LinkOccurrences;
import dev.loomcrawl.internal.politeness.HostState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A crawl's state in one directory, in an SQLite database ({@value #FILE}) that users may query with the
 * {@code sqlite3} tool (the README documents its tables): the pages fetched with their links, the URLs excluded,
 * each page's place in the breadth-first output, and the settings and state of the crawl. A crawl that stopped
 * (Ctrl-C, a kill, a crash, a time limit) resumes from it: what was fetched is recalled instead of requested again.
 *
 * <ul>
 *   <li><b>One writer.</b> Writes go through one thread in batched transactions ({@link StoreWriter}); a fetched
 *       page is {@link #record recorded} durably before its visit ends (its request slot goes to the next fetch
 *       meanwhile), so a killed crawl loses only what was in flight or awaiting the commit. Reads use connections
 *       of their own, which write-ahead logging lets run beside the writer.</li>
 *   <li><b>One process.</b> A lock file keeps a second loomcrawl out of a directory in use.</li>
 *   <li><b>Nothing replaced silently.</b> A directory that is not a loomcrawl store, or a damaged one, is an error
 *       ({@link StoreException}); only {@link #startNew} empties a store, and only when its caller says so.</li>
 * </ul>
 * Thread-safe.
 */
public final class CrawlStore implements FrontierOverflow, AutoCloseable {

    /** The database's file name in the state directory. */
    public static final String FILE = "crawl.db";
    private static final String LOCK = "lock";
    private static final int READERS = 4;

    /** Where a stored crawl stands. */
    public enum State {
        /** Started and not ended: killed, crashed, or still running. */
        RUNNING,
        /** Ended before its work was done (Ctrl-C, a time limit, a failure): it can resume. */
        STOPPED,
        /** Ran to its end (all reachable pages, or its page limit). */
        FINISHED
    }

    /**
     * The crawl a store holds.
     *
     * @param startUrl the normalized start URL
     * @param kind what ran it: {@code crawl} or {@code check}
     * @param settings the settings that decide what is crawled, as the caller stored them
     * @param state where it stands
     * @param pages the pages fetched so far
     * @param runs how many runs worked on it
     * @param version the loomcrawl version that started it
     */
    public record Stored(String startUrl, String kind, List<String> settings, State state, long pages, int runs,
                         String version) {
        public Stored {
            settings = List.copyOf(settings);
        }
    }

    /**
     * A page recalled from the store, as its fetch found it (not yet placed in the output).
     *
     * @param page the result, with depth -1 and no parent
     * @param followed the URLs the crawl followed from it, in order
     */
    public record Recalled(PageResult page, List<String> followed) {}

    /** The most fetched pages that wait for their commit at once. */
    public static final int MAX_AWAITING_COMMIT = 256;

    private final Path dir;
    private final Semaphore awaitingCommit = new Semaphore(MAX_AWAITING_COMMIT);
    private final FileChannel lockChannel;
    private final FileLock lock;
    // replaced only by startNew, which runs before a crawl, on the thread that owns the store
    private Connection writeConnection;
    private StoreWriter writer;
    private Thread writerThread;
    private final ArrayBlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final ConcurrentLinkedQueue<Connection> allReaders = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readersOpened = new AtomicInteger();
    private volatile boolean hasPages;
    private long nextSeq; // the crawl's single output writer places pages

    private CrawlStore(Path dir, FileChannel lockChannel, FileLock lock, Connection writeConnection, long nextPageId) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.hasPages = nextPageId > 1;
        startWriter(writeConnection, nextPageId);
    }

    /**
     * Opens the store in {@code dir}, creating the directory and an empty store when there is none.
     *
     * @throws StoreException when {@code dir} is not a directory, holds files but no store, holds a damaged or
     *     foreign database, is in use by another process, or cannot be written
     */
    public static CrawlStore open(Path dir) {
        Path db = dir.resolve(FILE);
        boolean exists = Files.exists(db);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new StoreException("state directory " + dir + " is a file, not a directory");
            }
            if (!exists && Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(f -> !f.getFileName().toString().equals(LOCK))) {
                        throw new StoreException("state directory " + dir + " holds files but no loomcrawl crawl ("
                                + FILE + "); choose a new or empty directory");
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("cannot create state directory " + dir + ": " + reason(e), e);
        }
        FileChannel channel = null;
        Connection c = null;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                throw new StoreException("state directory " + dir + " is in use by another loomcrawl process");
            }
            c = connect(db);
            if (exists && !Schema.isEmpty(c)) {
                verify(c, db);
            } else {
                Schema.create(c);
            }
            Schema.addMissing(c);
            long nextId;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM pages")) {
                nextId = r.getLong(1);
            }
            return new CrawlStore(dir, channel, lock, c, nextId);
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(c);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the open's failure is the one to report
                }
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            if (e instanceof SQLException sql && exists) {
                throw new StoreException(db + " is damaged or not a loomcrawl crawl: " + firstLine(sql.getMessage())
                        + "; move it away or choose another state directory", e);
            }
            throw new StoreException("cannot open state directory " + dir + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static Connection connect(Path db) throws SQLException {
        NativeLibrary.prepare();
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Schema.configure(c);
        return c;
    }

    /**
     * Refuses a database that is not ours, is newer than this version, or lacks tables. Whether its pages are intact
     * is asked only when they are to be used again ({@link #checkIntact}).
     */
    private static void verify(Connection c, Path db) throws SQLException {
        try (Statement s = c.createStatement()) {
            int app;
            int version;
            try (ResultSet r = s.executeQuery("PRAGMA application_id")) {
                app = r.getInt(1);
            }
            try (ResultSet r = s.executeQuery("PRAGMA user_version")) {
                version = r.getInt(1);
            }
            if (app != Schema.APPLICATION_ID) {
                throw new StoreException(db + " is an SQLite database of another program, not a loomcrawl crawl; "
                        + "choose another state directory");
            }
            if (version > Schema.VERSION) {
                throw new StoreException(db + " was written by a newer loomcrawl (store version " + version
                        + ", this one reads " + Schema.VERSION + ")");
            }
            Set<String> tables = new HashSet<>();
            try (ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            if (!tables.containsAll(Schema.TABLES)) {
                throw new StoreException(db + " is damaged (tables are missing); move it away or choose another "
                        + "state directory");
            }
        }
    }

    private void startWriter(Connection connection, long nextPageId) {
        this.writeConnection = connection;
        this.writer = new StoreWriter(connection, nextPageId, Long.getLong("loomcrawl.store.pauseInBatchMillis", 0),
                () -> awaitingCommit.availablePermits() == 0);
        this.writerThread = Thread.ofPlatform().name("loomcrawl-store").daemon().start(writer);
    }

    /** Ends the writer after what it was handed, and closes every connection. */
    private void closeConnections() {
        writer.submit(new StoreWriter.Barrier(new CountDownLatch(1), true));
        Join.uninterruptibly(writerThread);
        Connection c;
        while ((c = allReaders.poll()) != null) {
            closeQuietly(c);
        }
        readers.clear();
        readersOpened.set(0);
        closeQuietly(writeConnection);
    }

    /**
     * The crawl this store holds, if any.
     *
     * @throws StoreException when the database is too damaged to say
     */
    public Optional<Stored> stored() {
        return read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT start_url, kind, settings, state, runs, version, "
                         + "(SELECT count(*) FROM pages) FROM crawl")) {
                if (!r.next()) {
                    return Optional.empty();
                }
                String settings = r.getString(3);
                return Optional.of(new Stored(r.getString(1), r.getString(2),
                        settings.isEmpty() ? List.of() : List.of(settings.split("\n", -1)),
                        State.valueOf(r.getString(4).toUpperCase(Locale.ROOT)), r.getLong(7), r.getInt(5), r.getString(6)));
            } catch (SQLException e) {
                throw damaged(e.getMessage());
            }
        });
    }

    /**
     * Refuses a damaged database before what it holds is used again (a resume, a report). SQLite's {@code
     * quick_check} reads every page of the file, so it is not asked when a finished crawl is only replaced.
     *
     * @throws StoreException when the database is damaged
     */
    public void checkIntact() {
        String result = read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA quick_check")) {
                return r.getString(1);
            } catch (SQLException e) {
                return e.getMessage();
            }
        });
        if (!"ok".equals(result)) {
            throw damaged(result);
        }
    }

    private StoreException damaged(String why) {
        return new StoreException(dir.resolve(FILE) + " is damaged (" + firstLine(why) + "); move it away or choose "
                + "another state directory");
    }

    /**
     * Empties the store and begins a new crawl in it.
     *
     * @param settings the settings that decide what is crawled, one string each (no line breaks), for a later
     *     resume to compare and reuse
     */
    public void startNew(String startUrl, String kind, List<String> settings) {
        for (String s : settings) {
            if (s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a stored setting must be one line, was: " + s);
            }
        }
        if (hasPages || stored().isPresent()) {
            replaceDatabase(); // faster than deleting every row, and leaves no free pages behind
        }
        String now = Instant.now().toString();
        sql("INSERT INTO crawl (id, start_url, kind, settings, state, version, runs, started_at, updated_at) "
                + "VALUES (1, ?, ?, ?, 'running', ?, 1, ?, ?)", startUrl, kind, String.join("\n", settings),
                Version.current(), now, now);
        sync();
        hasPages = false;
        nextSeq = 0;
    }

    /** Swaps the database for an empty one, under the same lock. */
    private void replaceDatabase() {
        closeConnections();
        checkWriter();
        Path db = dir.resolve(FILE);
        try {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(dir.resolve(FILE + suffix));
            }
            Connection c = connect(db);
            Schema.create(c);
            Schema.addMissing(c);
            startWriter(c, 1);
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot start a new crawl in " + dir + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Begins another run of the stored crawl: its pages will be recalled, and placed in the output again.
     *
     * @throws IllegalStateException when the store holds no crawl
     * @throws StoreException when the database is damaged ({@link #checkIntact}); nothing is changed then
     */
    public void resume() {
        if (stored().isEmpty()) {
            throw new IllegalStateException("the store holds no crawl to resume");
        }
        checkIntact();
        sql("DELETE FROM placed");
        sql("DELETE FROM excluded");
        sql("DELETE FROM frontier");
        sql("DELETE FROM checks");
        sql("UPDATE crawl SET state = 'running', runs = runs + 1, updated_at = ?, stop_reason = NULL", Instant.now().toString());
        sync();
        nextSeq = 0;
    }

    /** Whether the store has fetched pages to recall (a resumed crawl). */
    public boolean resuming() {
        return hasPages;
    }

    /**
     * The stored fetch of {@code url}, or {@code null} when it was never fetched (or not durably). Any thread.
     */
    public Recalled recall(String url) throws InterruptedException {
        Connection c = reader();
        try (PreparedStatement page = c.prepareStatement("SELECT status, content_type, bytes, fetch_ms, redirect, error, "
                + "truncated, attempts, noindex, nofollow, links, nofollow_links, followed FROM pages WHERE url = ?")) {
            page.setString(1, url);
            try (ResultSet r = page.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                int status = r.getInt(1);
                boolean none = r.wasNull();
                List<String> links = UrlList.decode(url, r.getString(11));
                String nofollow = r.getString(12);
                String followed = r.getString(13);
                PageResult result = new PageResult(url, -1, null, none ? 0 : status, r.getString(2), r.getLong(3),
                        r.getLong(4), r.getString(5), r.getString(6), links, r.getBoolean(7), r.getInt(8), r.getBoolean(9),
                        r.getBoolean(10), nofollow == null ? List.of() : UrlList.decode(url, nofollow), null, null);
                return new Recalled(result, followed == null ? links : UrlList.decode(url, followed));
            }
        } catch (SQLException e) {
            throw failure("read", e);
        } finally {
            readers.add(c);
        }
    }

    /**
     * Records a fetched page and the URLs the crawl follows from it. Any thread. The page is written by the store's
     * writer with the next commit (within ~20 ms); the call returns once it is handed over, so that the crawl follows
     * the page's links without waiting for that commit. It waits only while {@value #MAX_AWAITING_COMMIT} pages
     * already await their commit, which bounds what a killed crawl loses: the pages in flight, those being
     * processed, and these.
     *
     * @param texts the anchor texts of the page's links, one per link (see {@code PageLinks}), or empty
     * @param admitted gives up the caller's slot; run once there is room among the pages awaiting commit
     * @throws UncheckedIOException when the store cannot be written
     */
    public void record(PageResult page, List<String> texts, List<String> followed, Runnable admitted)
            throws InterruptedException {
        if (!texts.isEmpty() && texts.size() != page.links().size()) {
            throw new IllegalArgumentException("one text per link: " + texts.size() + " texts, " + page.links().size() + " links");
        }
        checkWriter();
        String url = page.url();
        String links = UrlList.encode(url, page.links());
        String nofollow = page.nofollowLinks().isEmpty() ? null : UrlList.encode(url, page.nofollowLinks());
        // null: the crawl followed every link, the common case on a site's own pages
        String followedLinks = followed.equals(page.links()) ? null : UrlList.encode(url, followed);
        String linkTexts = texts.stream().anyMatch(t -> !t.isEmpty()) ? UrlList.strings(texts) : null;
        awaitingCommit.acquire();
        admitted.run();
        writer.submit(new StoreWriter.Record(page, links, nofollow, followedLinks, linkTexts, awaitingCommit::release));
    }

    /** Keeps URLs ready to visit for the crawl's frontier, beyond its bound in memory. Any thread. */
    @Override
    public void spill(List<FrontierOverflow.Entry> entries) {
        writer.submit(new StoreWriter.Spill(entries));
    }

    /** Gives the frontier back its lowest kept entries, by depth then start, after every spill before. Any thread. */
    @Override
    public CompletableFuture<List<FrontierOverflow.Entry>> takeLowest(int n) {
        CompletableFuture<List<FrontierOverflow.Entry>> result = new CompletableFuture<>();
        writer.submit(new StoreWriter.TakeLowest(n, result));
        return result;
    }

    /** Records a page's place in the output, in output order: called by the crawl's single output writer. */
    public void placed(PageResult page) {
        writer.submit(new StoreWriter.Place(nextSeq++, page.url(), page.depth(), page.parent(), page.source(),
                page.inSitemap()));
    }

    /** Records that {@code url} is not requested, and why. Any thread. */
    public void excluded(String url, String reason) {
        writer.submit(new StoreWriter.Exclude(url, reason));
    }

    /**
     * Records what the crawl learned of a host's capacity (from the crawl's politeness, as it changes): quick, never
     * blocks on the database. Any thread.
     */
    public void hostChanged(HostState state) {
        sql("INSERT OR REPLACE INTO hosts (host, concurrency, paused_until, updated_at) VALUES (?, ?, ?, ?)",
                state.host(), state.limit(), state.pause().isZero() ? null : Instant.now().plus(state.pause()).toString(),
                Instant.now().toString());
    }

    /** The hosts' states a resumed crawl starts from: their limits, and what is left of their pauses now. */
    public List<HostState> hostStates() {
        return read(c -> {
            List<HostState> out = new ArrayList<>();
            Instant now = Instant.now();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT host, concurrency, paused_until FROM hosts ORDER BY host")) {
                while (r.next()) {
                    String until = r.getString(3);
                    Duration pause = until == null ? Duration.ZERO : Duration.between(now, Instant.parse(until));
                    out.add(new HostState(r.getString(1), r.getInt(2), pause));
                }
            }
            return out;
        });
    }

    /** Records a page's link occurrences and anchors, for a link check to recall. Any thread. */
    public void occurrences(String pageUrl, LinkOccurrences.Page page) {
        writer.submit(new StoreWriter.Occurrences(pageUrl, page));
    }

    /** The stored link occurrences and anchors of {@code pageUrl}, or {@code null} when none were recorded. */
    public LinkOccurrences.Page occurrences(String pageUrl) {
        return read(c -> {
            List<LinkOccurrence> links = new ArrayList<>();
            Set<String> anchors = new HashSet<>();
            boolean any = false;
            try (PreparedStatement s = c.prepareStatement("SELECT href, url, fragment, text, line, element, resource "
                    + "FROM occurrences WHERE page_url = ? ORDER BY pos")) {
                s.setString(1, pageUrl);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        any = true;
                        links.add(new LinkOccurrence(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getInt(5), r.getString(6), r.getBoolean(7)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT name FROM anchors WHERE page_url = ?")) {
                s.setString(1, pageUrl);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        any = true;
                        anchors.add(r.getString(1));
                    }
                }
            }
            return any ? new LinkOccurrences.Page(links, anchors) : null;
        });
    }

    /**
     * Records how the crawl ended, and returns when everything handed to the store is durable.
     *
     * @throws UncheckedIOException when the store cannot be written
     */
    public void finished(CrawlSummary summary) {
        State state = switch (summary.stopReason()) {
            // a check is finished when its verdicts are stored too (see checked)
            case COMPLETED, MAX_PAGES -> stored().map(Stored::kind).orElse("").equals("check") ? State.RUNNING : State.FINISHED;
            case MAX_TIME, CANCELLED, FAILED -> State.STOPPED;
        };
        CrawlSummary.Sitemaps s = summary.sitemaps();
        sql("UPDATE crawl SET state = ?, stop_reason = ?, elapsed_ms = coalesce(elapsed_ms, 0) + ?, peak_in_flight = "
                + "max(coalesce(peak_in_flight, 0), ?), robots_outcome = ?, slowdowns = ?, sitemaps = ?, updated_at = ?",
                state.name().toLowerCase(Locale.ROOT), summary.stopReason().name(), summary.elapsed().toMillis(),
                summary.peakInFlight(), summary.robotsOutcome(), summary.slowdownCount(),
                s == null ? null : s.read() + "," + s.failed() + "," + s.listed() + "," + s.orphans() + "," + s.notListed(),
                Instant.now().toString());
        sync();
    }

    /** Records a link check's verdicts and how many external URLs it checked; returns when durable. */
    public void checked(List<LinkCheck> checks, int externalChecked) {
        writer.submit(new StoreWriter.Checks(List.copyOf(checks)));
        sql("UPDATE crawl SET external_checked = ?, state = 'finished', updated_at = ?", externalChecked,
                Instant.now().toString());
        sync();
    }

    /** Hands every page placed in the output to {@code pages}, in output order, with its depth and parent. */
    public void pages(PageSink pages) {
        read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT r.url, r.depth, r.parent, p.status, p.content_type, p.bytes, "
                         + "p.fetch_ms, p.redirect, p.error, p.truncated, p.attempts, p.noindex, p.nofollow, r.source, "
                         + "r.in_sitemap, p.links, p.nofollow_links FROM placed r JOIN pages p ON p.url = r.url "
                         + "ORDER BY r.seq")) {
                while (r.next()) {
                    int status = r.getInt(4);
                    boolean none = r.wasNull();
                    int inSitemap = r.getInt(15);
                    Boolean listed = r.wasNull() ? null : inSitemap != 0;
                    String nofollow = r.getString(17);
                    String url = r.getString(1);
                    pages.accept(new PageResult(url, r.getInt(2), r.getString(3), none ? 0 : status,
                            r.getString(5), r.getLong(6), r.getLong(7), r.getString(8), r.getString(9),
                            UrlList.decode(url, r.getString(16)), r.getBoolean(10), r.getInt(11), r.getBoolean(12),
                            r.getBoolean(13), nofollow == null ? List.of() : UrlList.decode(url, nofollow),
                            PageResult.Source.valueOf(r.getString(14)), listed));
                }
            }
            return null;
        });
    }

    /** The link check's verdicts, in report order, and how many external URLs it checked; empty for a crawl. */
    public List<LinkCheck> checks() {
        return read(c -> {
            List<LinkCheck> checks = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT source, href, url, text, line, element, verdict, status, detail, "
                         + "external FROM checks ORDER BY pos")) {
                while (r.next()) {
                    checks.add(new LinkCheck(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5),
                            r.getString(6), Verdict.valueOf(r.getString(7)), r.getInt(8), r.getString(9), r.getBoolean(10)));
                }
            }
            return checks;
        });
    }

    /** How many external URLs the link check requested. */
    public int externalChecked() {
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(external_checked, 0) FROM crawl")) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    /** The totals of the stored crawl, from its placed pages, as its last run left them. */
    public CrawlSummary summary() {
        return read(c -> {
            SortedMap<Integer, Long> statuses = new TreeMap<>();
            long pages = 0;
            long errors = 0;
            long bytes = 0;
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT p.status, count(*), sum(p.bytes) FROM placed r "
                         + "JOIN pages p ON p.url = r.url GROUP BY p.status")) {
                while (r.next()) {
                    int status = r.getInt(1);
                    boolean none = r.wasNull();
                    long n = r.getLong(2);
                    pages += n;
                    bytes += r.getLong(3);
                    if (none) {
                        errors += n;
                    } else {
                        statuses.put(status, n);
                    }
                }
            }
            SortedMap<String, Long> excluded = new TreeMap<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT reason, count(*) FROM excluded GROUP BY reason")) {
                while (r.next()) {
                    excluded.merge(r.getString(1).startsWith("pattern cap") ? "pattern cap" : r.getString(1),
                            r.getLong(2), Long::sum);
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT start_url, stop_reason, coalesce(elapsed_ms, 0), "
                         + "coalesce(peak_in_flight, 0), robots_outcome, coalesce(slowdowns, 0), sitemaps, started_at FROM crawl")) {
                if (!r.next()) {
                    throw new IllegalStateException("the store holds no crawl");
                }
                String stop = r.getString(2);
                CrawlSummary.Sitemaps sitemaps = null;
                String listed = r.getString(7);
                if (listed != null) {
                    String[] n = listed.split(",");
                    sitemaps = new CrawlSummary.Sitemaps(Integer.parseInt(n[0]), Integer.parseInt(n[1]),
                            Integer.parseInt(n[2]), Long.parseLong(n[3]), Long.parseLong(n[4]));
                }
                return new CrawlSummary(r.getString(1), pages, errors, statuses, bytes, excluded, r.getString(5),
                        r.getInt(4), Duration.ofMillis(r.getLong(3)),
                        stop == null ? StopReason.CANCELLED : StopReason.valueOf(stop), List.of(), r.getInt(6), sitemaps,
                        Instant.parse(r.getString(8)));
            }
        });
    }

    /** Writes everything handed over so far and closes the database; a write failure is reported here too. */
    @Override
    public void close() {
        closeConnections();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
        checkWriter();
    }

    private void sql(String sql, Object... args) {
        writer.submit(new StoreWriter.Sql(sql, Arrays.asList(args)));
    }

    /** Waits until everything handed to the store so far is committed, and so readable. Any thread. */
    public void sync() {
        CountDownLatch done = new CountDownLatch(1);
        writer.submit(new StoreWriter.Barrier(done, false));
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the state must be written; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        checkWriter();
    }

    private void checkWriter() {
        SQLException e = writer.failure();
        if (e != null) {
            throw failure("write", e);
        }
    }

    private UncheckedIOException failure(String what, SQLException e) {
        return new UncheckedIOException("cannot " + what + " crawl state in " + dir + ": " + firstLine(e.getMessage()),
                new IOException(e));
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Query<T> query) {
        Connection c;
        try {
            c = reader();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a store connection", e);
        }
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw failure("read", e);
        } finally {
            readers.add(c);
        }
    }

    /** A read connection of the pool, opened when none is free and fewer than {@value #READERS} exist. */
    private Connection reader() throws InterruptedException {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        if (readersOpened.getAndIncrement() < READERS) {
            try {
                c = connect(dir.resolve(FILE));
            } catch (SQLException e) {
                readersOpened.decrementAndGet();
                throw failure("read", e);
            }
            allReaders.add(c);
            return c;
        }
        readersOpened.decrementAndGet();
        return readers.take();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to save
            }
        }
    }

    /** What went wrong with a file, in a few words. */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.AccessDeniedException denied -> "permission denied";
            case java.nio.file.FileSystemException fs when fs.getReason() != null -> fs.getReason();
            default -> firstLine(e.getMessage());
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
