package dev.loomcrawl;

import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StoreException;
import dev.loomcrawl.crawl.Version;
import dev.loomcrawl.internal.store.CommitGate;
import dev.loomcrawl.internal.store.StoreDatabase;
import dev.loomcrawl.internal.store.StoreSession;
import dev.loomcrawl.internal.store.StoredRows;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A crawl's state in one directory, in an SQLite database ({@value #FILE}) that users may query with the
 * {@code sqlite3} tool (the README documents its tables): the pages fetched with their links, the URLs excluded,
 * each page's place in the breadth-first output, and the settings and state of the crawl. A crawl that stopped
 * (Ctrl-C, a kill, a crash, a time limit) resumes from it: what was fetched is recalled instead of requested again.
 *
 * <ul>
 *   <li><b>One writer.</b> Writes go through one thread in batched transactions; a fetched page is recorded
 *       durably before its visit ends (its request slot goes to the next fetch meanwhile), so a killed crawl loses
 *       only what was in flight or awaiting the commit. Reads use connections of their own, which write-ahead
 *       logging lets run beside the writer.</li>
 *   <li><b>One process.</b> A lock file keeps a second loomcrawl out of a directory in use.</li>
 *   <li><b>Nothing replaced silently.</b> A directory that is not a loomcrawl store, or a damaged one, is an error
 *       ({@link StoreException}); only {@link #startNew} empties a store, and only when its caller says so.</li>
 * </ul>
 *
 * <p>This class is the store's lifecycle and its reads; a crawl given the store ({@link Crawler#crawl(String,
 * PageSink, CrawlStore)}) writes to it. Thread-safe.
 */
public final class CrawlStore implements AutoCloseable {

    /** The database's file name in the state directory. */
    public static final String FILE = StoreDatabase.FILE;
    /** The most fetched pages that wait for their commit at once: what a killed crawl may lose besides those in flight. */
    public static final int MAX_AWAITING_COMMIT = StoreDatabase.MAX_AWAITING_COMMIT;

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

    private final StoreDatabase db;
    private final StoreSession session;

    private CrawlStore(StoreDatabase db) {
        this.db = db;
        this.session = new StoreSession(db);
    }

    /**
     * Opens the store in {@code dir}, creating the directory and an empty store when there is none.
     *
     * @throws StoreException when {@code dir} is not a directory, holds files but no store, holds a damaged or
     *     foreign database, is in use by another process, or cannot be written
     */
    public static CrawlStore open(Path dir) {
        return open(dir, Ticker.system());
    }

    /**
     * As {@link #open(Path)}, with the clock that dates what the store records (its crawl's start and updates, host
     * pauses, a check's verdicts) and paces its group commits: give it the crawler's {@link Ticker}.
     */
    public static CrawlStore open(Path dir, Ticker ticker) {
        return new CrawlStore(StoreDatabase.open(dir, ticker));
    }

    /** As {@link #open(Path)}, each commit passing {@code gate} first: tests hold commits back with it. */
    static CrawlStore open(Path dir, CommitGate gate) {
        return new CrawlStore(StoreDatabase.open(dir, gate, Ticker.system()));
    }

    /** What a crawl run with this store writes to it. */
    StoreSession session() {
        return session;
    }

    /**
     * The crawl this store holds, if any.
     *
     * @throws StoreException when the database is too damaged to say
     */
    public Optional<Stored> stored() {
        return db.read(c -> {
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
                throw db.damaged(e.getMessage());
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
        db.checkIntact();
    }

    /**
     * Empties the store and begins a new crawl in it, in a new database when the store held a crawl or was made by an
     * older loomcrawl (so that the new crawl is kept as this version keeps one).
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
        if (session.resuming() || stored().isPresent() || db.version() < StoreDatabase.VERSION) {
            db.replace(); // a new database, of this version: faster than deleting every row, and no free pages
        }
        String now = db.ticker().instant().toString();
        db.sql("INSERT INTO crawl (id, start_url, kind, settings, state, version, runs, started_at, updated_at) "
                + "VALUES (1, ?, ?, ?, 'running', ?, 1, ?, ?)", startUrl, kind, String.join("\n", settings),
                Version.current(), now, now);
        db.sync();
        session.startOver();
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
        db.sql("DELETE FROM placed");
        db.sql("DELETE FROM excluded");
        db.sql("DELETE FROM frontier");
        db.sql("DELETE FROM checks");
        db.sql("UPDATE crawl SET state = 'running', runs = runs + 1, updated_at = ?, stop_reason = NULL",
                db.ticker().instant().toString());
        db.sync();
        session.rewind();
    }

    /** Hands every page placed in the output to {@code pages}, in output order, with its depth and parent. */
    public void pages(PageSink pages) {
        StoredRows.pages(db, pages);
    }

    /** The link check's verdicts, in report order; empty for a crawl. */
    public List<LinkCheck> checks() {
        return StoredRows.checks(db);
    }

    /** How many external URLs the link check requested. */
    public int externalChecked() {
        return StoredRows.externalChecked(db);
    }

    /** The totals of the stored crawl, from its placed pages, as its last run left them. */
    public CrawlSummary summary() {
        return StoredRows.summary(db);
    }

    /**
     * Hands what the crawl records from now on, each fetched page and each page's link occurrences, to {@code journal}
     * as well, one entry (opaque bytes) at a time: a copy of the crawl's state kept elsewhere, such as a cluster's
     * results topic, from which {@link #restore} rebuilds a store on another machine. {@code null} stops it.
     *
     * <p>The journal is called on the crawl's fetching threads, concurrently, once the store has the entry (not yet
     * committed): it must be thread-safe and fast, and never throw. Entries of one page come in the order they were
     * recorded: a page's occurrences before the page.
     */
    public void journal(Consumer<byte[]> journal) {
        session.journal(journal);
    }

    /**
     * Records an entry of another store's {@link #journal} in this one, begun with {@link #startNew}: a crawl given
     * this store then recalls the page instead of requesting it, as if an earlier run here had fetched it. An entry
     * for a page restored already is ignored. One thread at a time, before the crawl runs.
     *
     * @return whether the entry was a page, not restored before (an entry may be a page's link occurrences)
     * @throws IllegalArgumentException when {@code entry} is not a journal entry of this version
     * @throws UncheckedIOException when the store cannot be written
     */
    public boolean restore(byte[] entry) throws InterruptedException {
        return session.restore(entry);
    }

    /**
     * Waits until everything handed to the store so far is committed, and so readable. Any thread.
     *
     * @throws UncheckedIOException when the store cannot be written
     */
    public void sync() {
        db.sync();
    }

    /** Writes everything handed over so far and closes the database; a write failure is reported here too. */
    @Override
    public void close() {
        db.close();
    }
}
