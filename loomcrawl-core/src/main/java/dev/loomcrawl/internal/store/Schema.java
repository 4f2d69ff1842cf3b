package dev.loomcrawl.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The tables of a crawl's store, as the README documents them, and how a connection to it is set up. */
final class Schema {

    /** {@code PRAGMA application_id}: "LOOM", so a foreign SQLite file is told apart from ours. */
    static final int APPLICATION_ID = 0x4C4F4F4D;
    /**
     * {@code PRAGMA user_version}: the version of these tables. Version 2 changed what a null {@code followed}
     * means ({@link #FOLLOWED_ON_ORIGIN}); a store keeps its version, and is read and written as that version says.
     */
    static final int VERSION = 2;

    /**
     * The first version in which a null {@code followed} means that the crawl followed exactly the page's links on
     * its own origin (those {@code links} keeps as paths), as it does on most pages. In version 1 it meant that the
     * crawl followed every link, which on a page with a single link to another site it had not, so {@code followed}
     * repeated nearly all of {@code links}.
     */
    static final int FOLLOWED_ON_ORIGIN = 2;

    static final List<String> TABLES = List.of("crawl", "pages", "placed", "excluded", "occurrences", "anchors",
            "checks", "hosts");

    private static final List<String> CREATE = List.of("""
            CREATE TABLE crawl (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              start_url TEXT NOT NULL,
              kind TEXT NOT NULL,
              settings TEXT NOT NULL,
              state TEXT NOT NULL,
              version TEXT NOT NULL,
              runs INTEGER NOT NULL,
              started_at TEXT NOT NULL,
              updated_at TEXT NOT NULL,
              stop_reason TEXT,
              elapsed_ms INTEGER,
              peak_in_flight INTEGER,
              robots_outcome TEXT,
              slowdowns INTEGER,
              sitemaps TEXT,
              external_checked INTEGER
            )""", """
            CREATE TABLE pages (
              id INTEGER PRIMARY KEY,
              url TEXT NOT NULL UNIQUE,
              status INTEGER,
              content_type TEXT,
              bytes INTEGER NOT NULL,
              fetch_ms INTEGER NOT NULL,
              redirect TEXT,
              error TEXT,
              truncated INTEGER NOT NULL,
              attempts INTEGER NOT NULL,
              noindex INTEGER NOT NULL,
              nofollow INTEGER NOT NULL,
              links TEXT NOT NULL,
              link_texts TEXT,
              nofollow_links TEXT,
              followed TEXT
            )""", """
            CREATE TABLE placed (
              seq INTEGER PRIMARY KEY,
              url TEXT NOT NULL,
              depth INTEGER NOT NULL,
              parent TEXT,
              source TEXT NOT NULL,
              in_sitemap INTEGER
            )""", """
            CREATE TABLE excluded (
              url TEXT PRIMARY KEY,
              reason TEXT NOT NULL
            ) WITHOUT ROWID""", """
            CREATE TABLE occurrences (
              page_url TEXT NOT NULL,
              pos INTEGER NOT NULL,
              href TEXT NOT NULL,
              url TEXT,
              fragment TEXT,
              text TEXT NOT NULL,
              line INTEGER NOT NULL,
              element TEXT NOT NULL,
              resource INTEGER NOT NULL,
              PRIMARY KEY (page_url, pos)
            ) WITHOUT ROWID""", """
            CREATE TABLE anchors (
              page_url TEXT NOT NULL,
              name TEXT NOT NULL,
              PRIMARY KEY (page_url, name)
            ) WITHOUT ROWID""", """
            CREATE TABLE checks (
              pos INTEGER PRIMARY KEY,
              source TEXT NOT NULL,
              href TEXT NOT NULL,
              url TEXT,
              text TEXT NOT NULL,
              line INTEGER NOT NULL,
              element TEXT NOT NULL,
              verdict TEXT NOT NULL,
              status INTEGER NOT NULL,
              detail TEXT NOT NULL,
              external INTEGER NOT NULL
            )""", """
            CREATE TABLE hosts (
              host TEXT PRIMARY KEY,
              concurrency INTEGER NOT NULL,
              paused_until TEXT,
              updated_at TEXT NOT NULL
            ) WITHOUT ROWID""", """
            CREATE VIEW links AS
              SELECT p.url AS page, CAST(j.key AS INTEGER) AS pos,
                     CASE WHEN substr(j.value, 1, 1) = '/'
                          THEN substr(p.url, 1, instr(substr(p.url, instr(p.url, '://') + 3), '/') + instr(p.url, '://') + 1)
                               || j.value
                          ELSE j.value END AS url,
                     coalesce(json_extract(p.link_texts, '$[' || j.key || ']'), '') AS text
              FROM pages p, json_each(p.links) j""", """
            CREATE VIEW results AS
              SELECT r.seq, r.url, r.depth, r.parent, r.source, r.in_sitemap, p.status, p.content_type, p.bytes,
                     p.fetch_ms, p.redirect, p.error, p.truncated, p.attempts, p.noindex, p.nofollow,
                     json_array_length(p.links) AS links
              FROM placed r JOIN pages p ON p.url = r.url""");

    /**
     * Tables made when missing ({@link #addMissing}), which stores written before them lack: {@code frontier}, the
     * URLs ready to visit beyond the frontier's bound in memory (a workspace of the running crawl: emptied when a
     * crawl resumes, whose replay meets them again), and {@code contents}, the extracted content of a page
     * ({@code ContentCodec}), by the page's id.
     */
    private static final List<String> ADDED = List.of("""
            CREATE TABLE IF NOT EXISTS frontier (
              depth INTEGER NOT NULL,
              start REAL NOT NULL,
              width REAL NOT NULL,
              url TEXT NOT NULL
            )""", "CREATE INDEX IF NOT EXISTS frontier_order ON frontier (depth, start)", """
            CREATE TABLE IF NOT EXISTS contents (
              page_id INTEGER PRIMARY KEY,
              content BLOB NOT NULL
            )""");

    private Schema() {}

    /**
     * The size of the database's pages, set when it is made. A {@code pages} row takes a kilobyte or several: a 16 KiB
     * page holds a few of them, where a 4 KiB page (SQLite's default) often holds one and leaves the rest empty, and
     * each page costs the writer a system call.
     */
    static final int PAGE_SIZE = 16384;

    /**
     * Sets a connection up for the store: its {@link #PAGE_SIZE}, which applies only to a database not made yet;
     * write-ahead logging, so readers never wait for the writer and a killed process loses no committed transaction;
     * {@code synchronous=NORMAL}, which keeps that and syncs at checkpoints only.
     */
    static void configure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = " + PAGE_SIZE);
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA busy_timeout = 10000");
        }
    }

    /** Creates the tables in an empty database, in one transaction: a process killed meanwhile leaves it empty. */
    static void create(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
            s.execute("PRAGMA application_id = " + APPLICATION_ID);
            s.execute("PRAGMA user_version = " + VERSION);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Adds to a store what an earlier loomcrawl of the same store version did not make ({@link #ADDED}), before
     * anything is written to it.
     */
    static void addMissing(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : ADDED) {
                s.execute(sql);
            }
        }
    }

    /** Whether the database has no tables: new, or left empty by a process killed while creating it. */
    static boolean isEmpty(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
            return r.getInt(1) == 0;
        }
    }
}
