package dev.loomcrawl.internal.store;

import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.engine.FrontierOverflow;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.PageOccurrences;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The store's one writer: a platform thread that owns the write connection and applies what the crawl's threads
 * hand it, many at a time in one transaction (group commit). Fetching threads never wait on each other for the
 * database; a thread that must know its write is durable waits for the commit of the batch that carries it. A page's
 * record is not waited for: it runs its {@code committed} action then.
 * A failed write stops the writing; every later wait reports it.
 */
final class StoreWriter implements Runnable {

    /** A write, applied on the writer thread. */
    sealed interface Op permits Record, Place, Exclude, Occurrences, Checks, Sql, Spill, TakeLowest, Barrier {}

    /**
     * A fetched page with its lists as the {@code pages} table keeps them ({@link UrlList}; null where the column is
     * null), encoded by the thread that hands it over, so that the one writer only writes; {@code committed} runs
     * once it is committed (or the writer has failed). {@code content} is the page's extracted content
     * ({@link ContentCodec}), or {@code null}.
     */
    record Record(PageResult page, String links, String nofollowLinks, String followed, String texts,
                  byte[] content, Runnable committed) implements Op {}

    /** A page's place in the breadth-first output (the page's other fields are in its record already). */
    record Place(long seq, String url, int depth, String parent, PageResult.Source source, Boolean inSitemap)
            implements Op {}

    record Exclude(String url, String reason) implements Op {}

    /** A page's link occurrences and anchors, for the link check. */
    record Occurrences(String pageUrl, PageOccurrences page) implements Op {}

    /** The link check's verdicts, in report order. */
    record Checks(List<LinkCheck> checks) implements Op {}

    /** A statement with its parameters. */
    record Sql(String sql, List<Object> args) implements Op {}

    /** URLs ready to visit that the frontier keeps out of memory. */
    record Spill(List<FrontierOverflow.Entry> entries) implements Op {}

    /** The frontier takes back its lowest {@code n} spilled entries: read and deleted at once, not at a commit. */
    record TakeLowest(int n, CompletableFuture<List<FrontierOverflow.Entry>> result) implements Op {}

    /** Opens when everything before it is committed; {@code last} ends the writer. */
    record Barrier(CountDownLatch done, boolean last) implements Op {}

    private static final int MAX_BATCH = 4096;
    /**
     * The least time between two commits, unless pages are kept waiting for one. A commit costs about the same for
     * one page as for fifty, and fetching goes on meanwhile (a visit gives up its request slot while it waits for
     * its record), so waiting a little saves most of them.
     */
    private static final long COMMIT_INTERVAL_NANOS = 20_000_000;
    private static final long POLL_NANOS = 1_000_000;

    private final Connection connection;
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final CommitGate gate;
    private final BooleanSupplier commitWanted;
    private volatile SQLException failure;
    // owned by the writer thread
    private long nextPageId;
    private long lastCommit;
    private final Ticker ticker;
    private PreparedStatement page;
    private PreparedStatement place;
    private PreparedStatement exclude;
    private PreparedStatement spill;
    private PreparedStatement content;
    /** Ops that someone waits for now, not at a commit: the frontier for its entries, a sync for its barrier. */
    private final AtomicInteger urgent = new AtomicInteger();

    /** @param commitWanted whether a commit should not wait for its interval: pages are kept waiting */
    StoreWriter(Connection connection, long nextPageId, CommitGate gate, Ticker ticker, BooleanSupplier commitWanted) {
        this.connection = connection;
        this.ticker = ticker;
        this.nextPageId = nextPageId;
        this.gate = gate;
        this.commitWanted = commitWanted;
        this.lastCommit = ticker.nanoTime() - COMMIT_INTERVAL_NANOS; // the first batch is due at once
    }

    void submit(Op op) {
        if (op instanceof TakeLowest || op instanceof Barrier) {
            urgent.incrementAndGet();
        }
        queue.add(op);
    }

    SQLException failure() {
        return failure;
    }

    @Override
    public void run() {
        List<Op> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return; // never interrupted: the store ends the writer with a last barrier
            }
            if (!(batch.getFirst() instanceof Barrier)) {
                long due = lastCommit + COMMIT_INTERVAL_NANOS;
                long now;
                while ((now = ticker.nanoTime()) < due && !commitWanted.getAsBoolean() && urgent.get() == 0) {
                    LockSupport.parkNanos(Math.min(POLL_NANOS, due - now));
                }
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (failure == null) {
                write(batch);
            }
            boolean last = false;
            for (Op op : batch) {
                switch (op) {
                    case TakeLowest t -> {
                        urgent.decrementAndGet();
                        t.result().completeExceptionally(new IllegalStateException("the store failed", failure));
                    }
                    case Record r -> r.committed().run();
                    case Barrier b -> {
                        urgent.decrementAndGet();
                        b.done().countDown();
                        last |= b.last();
                    }
                    default -> { }
                }
            }
            batch.clear();
            if (last) {
                closeStatements();
                return;
            }
        }
    }

    private void write(List<Op> batch) {
        try {
            if (page == null) { // prepared once: most batches are small, and preparing costs more than a row
                connection.setAutoCommit(false);
                page = connection.prepareStatement("INSERT INTO pages (id, url, status, content_type, bytes, fetch_ms, "
                        + "redirect, error, truncated, attempts, noindex, nofollow, links, nofollow_links, followed, "
                        + "link_texts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                place = connection.prepareStatement("INSERT OR REPLACE INTO placed (seq, url, depth, parent, source, "
                        + "in_sitemap) VALUES (?, ?, ?, ?, ?, ?)");
                exclude = connection.prepareStatement("INSERT OR REPLACE INTO excluded (url, reason) VALUES (?, ?)");
                spill = connection.prepareStatement("INSERT INTO frontier (depth, start, width, url) VALUES (?, ?, ?, ?)");
                content = connection.prepareStatement("INSERT INTO contents (page_id, content) VALUES (?, ?)");
            }
            // pages, places and exclusions go in JDBC batches; any other write first applies what is batched
            for (Op op : batch) {
                switch (op) {
                    case Record r -> record(r, page);
                    case Place p -> place(p, place);
                    case Exclude x -> {
                        exclude.setString(1, x.url());
                        exclude.setString(2, x.reason());
                        exclude.addBatch();
                    }
                    case Occurrences o -> {
                        flush();
                        occurrences(o);
                    }
                    case Checks c -> {
                        flush();
                        checks(c.checks());
                    }
                    case Sql s -> {
                        flush();
                        execute(s);
                    }
                    case Spill sp -> {
                        for (FrontierOverflow.Entry e : sp.entries()) {
                            spill.setInt(1, e.depth());
                            spill.setDouble(2, e.start());
                            spill.setFloat(3, e.width());
                            spill.setString(4, e.url());
                            spill.addBatch();
                        }
                    }
                    case TakeLowest t -> {
                        flush();
                        t.result().complete(takeLowest(t.n()));
                    }
                    case Barrier b -> { }
                }
            }
            flush();
            gate.beforeCommit();
            connection.commit();
            lastCommit = ticker.nanoTime();
        } catch (SQLException | RuntimeException e) {
            // a bug here must not end the writer: whoever waits for a commit would wait for ever
            failure = e instanceof SQLException sql ? sql : new SQLException("internal error: " + e, e);
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the failure reported is the first one
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeStatements() {
        for (PreparedStatement s : new PreparedStatement[] {page, place, exclude, spill, content}) {
            if (s != null) {
                try {
                    s.close();
                } catch (SQLException ignored) {
                    // the connection closes next
                }
            }
        }
    }

    private void record(Record r, PreparedStatement page) throws SQLException {
        PageResult p = r.page();
        long id = nextPageId++;
        page.setLong(1, id);
        page.setString(2, p.url());
        if (p.hasResponse()) {
            page.setInt(3, p.status());
        } else {
            page.setNull(3, Types.INTEGER);
        }
        page.setString(4, p.contentType());
        page.setLong(5, p.bytes());
        page.setLong(6, p.fetchMillis());
        page.setString(7, p.redirect());
        page.setString(8, p.error());
        page.setBoolean(9, p.truncated());
        page.setInt(10, p.attempts());
        page.setBoolean(11, p.noindex());
        page.setBoolean(12, p.nofollow());
        page.setString(13, r.links());
        page.setString(14, r.nofollowLinks());
        page.setString(15, r.followed());
        page.setString(16, r.texts());
        page.addBatch();
        if (r.content() != null) {
            content.setLong(1, id);
            content.setBytes(2, r.content());
            content.addBatch();
        }
    }

    private static void place(Place p, PreparedStatement place) throws SQLException {
        place.setLong(1, p.seq());
        place.setString(2, p.url());
        place.setInt(3, p.depth());
        place.setString(4, p.parent());
        place.setString(5, p.source().name());
        if (p.inSitemap() == null) {
            place.setNull(6, Types.INTEGER);
        } else {
            place.setBoolean(6, p.inSitemap());
        }
        place.addBatch();
    }

    private void flush() throws SQLException {
        page.executeBatch();
        place.executeBatch();
        exclude.executeBatch();
        spill.executeBatch();
        content.executeBatch();
    }

    /** Reads and deletes the lowest {@code n} spilled entries, by depth then start. */
    private List<FrontierOverflow.Entry> takeLowest(int n) throws SQLException {
        List<FrontierOverflow.Entry> out = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement(
                     "SELECT rowid, url, depth, start, width FROM frontier ORDER BY depth, start LIMIT ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM frontier WHERE rowid = ?")) {
            read.setInt(1, n);
            try (ResultSet r = read.executeQuery()) {
                while (r.next()) {
                    out.add(new FrontierOverflow.Entry(r.getString(2), r.getInt(3), r.getDouble(4), r.getFloat(5)));
                    delete.setLong(1, r.getLong(1));
                    delete.addBatch();
                }
            }
            delete.executeBatch();
        }
        return out;
    }

    private void occurrences(Occurrences o) throws SQLException {
        try (PreparedStatement clear = connection.prepareStatement("DELETE FROM occurrences WHERE page_url = ?");
             PreparedStatement clearAnchors = connection.prepareStatement("DELETE FROM anchors WHERE page_url = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO occurrences (page_url, pos, href, url, "
                     + "fragment, text, line, element, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement anchor = connection.prepareStatement(
                     "INSERT OR IGNORE INTO anchors (page_url, name) VALUES (?, ?)")) {
            clear.setString(1, o.pageUrl());
            clear.executeUpdate();
            clearAnchors.setString(1, o.pageUrl());
            clearAnchors.executeUpdate();
            List<LinkOccurrence> links = o.page().links();
            for (int i = 0; i < links.size(); i++) {
                LinkOccurrence l = links.get(i);
                insert.setString(1, o.pageUrl());
                insert.setInt(2, i);
                insert.setString(3, l.href());
                insert.setString(4, l.url());
                insert.setString(5, l.fragment());
                insert.setString(6, l.text());
                insert.setInt(7, l.line());
                insert.setString(8, l.element());
                insert.setBoolean(9, l.resource());
                insert.addBatch();
            }
            insert.executeBatch();
            for (String name : o.page().anchors()) {
                anchor.setString(1, o.pageUrl());
                anchor.setString(2, name);
                anchor.addBatch();
            }
            anchor.executeBatch();
        }
    }

    private void checks(List<LinkCheck> checks) throws SQLException {
        try (PreparedStatement clear = connection.prepareStatement("DELETE FROM checks");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO checks (pos, source, href, url, text, "
                     + "line, element, verdict, status, detail, external) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            clear.executeUpdate();
            for (int i = 0; i < checks.size(); i++) {
                LinkCheck c = checks.get(i);
                insert.setInt(1, i);
                insert.setString(2, c.source());
                insert.setString(3, c.href());
                insert.setString(4, c.url());
                insert.setString(5, c.text());
                insert.setInt(6, c.line());
                insert.setString(7, c.element());
                insert.setString(8, c.verdict().name());
                insert.setInt(9, c.status());
                insert.setString(10, c.detail());
                insert.setBoolean(11, c.external());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private void execute(Sql s) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(s.sql())) {
            for (int i = 0; i < s.args().size(); i++) {
                st.setObject(i + 1, s.args().get(i));
            }
            st.executeUpdate();
        }
    }
}
