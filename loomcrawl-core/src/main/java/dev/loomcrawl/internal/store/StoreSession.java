package dev.loomcrawl.internal.store;

import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.engine.FrontierOverflow;
import dev.loomcrawl.internal.links.LinkOccurrence;
import dev.loomcrawl.internal.links.PageOccurrences;
import dev.loomcrawl.internal.politeness.HostState;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a crawl writes to its store as it runs, and what it reads back to resume: each fetched page before its
 * visit ends, each page's place in the output, exclusions, what was learned of each host, a check's link
 * occurrences and verdicts, and how the crawl ended. Writes go to the database's one writer, in the order they are
 * made. Thread-safe, but for {@link #markPlaced}, which the crawl's single output writer calls.
 */
public final class StoreSession implements FrontierOverflow {

    /**
     * A page recalled from the store, as its fetch found it (not yet placed in the output).
     *
     * @param page the result, with depth -1 and no parent
     * @param followed the URLs the crawl followed from it, in order
     */
    public record Recalled(PageResult page, List<String> followed) {}

    /** How a crawl ended, as the store keeps it. */
    public enum Ending { RUNNING, STOPPED, FINISHED }

    private final StoreDatabase db;
    /** The store's clock, for the dates of what a crawl records. */
    private final Ticker clock;
    private volatile boolean resuming;
    private volatile Consumer<byte[]> journal;
    private final Set<String> restored = new HashSet<>();
    private long nextSeq; // the crawl's single output writer places pages

    public StoreSession(StoreDatabase db) {
        this.db = db;
        this.clock = db.ticker();
        this.resuming = db.hadPages();
    }

    /** A new crawl begins in an emptied store: nothing to recall. */
    public void startOver() {
        resuming = false;
        nextSeq = 0;
    }

    /** Another run of the stored crawl begins: its pages are recalled and placed in the output again. */
    public void rewind() {
        nextSeq = 0;
    }

    /** The clock the store was opened with. */
    public Ticker ticker() {
        return clock;
    }

    /** Whether the store has fetched pages to recall (a resumed crawl). */
    public boolean resuming() {
        return resuming;
    }

    /** The stored fetch of {@code url}, or {@code null} when it was never fetched (or not durably). Any thread. */
    public Recalled recall(String url) throws InterruptedException {
        var c = db.reader();
        try (PreparedStatement page = c.prepareStatement("SELECT " + StoredRows.PAGE_COLUMNS_OF_P
                + ", p.followed FROM pages p LEFT JOIN contents k ON k.page_id = p.id WHERE p.url = ?")) {
            page.setString(1, url);
            try (ResultSet r = page.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                PageResult result = StoredRows.page(r, url, 1, -1, null, null, null);
                String followed = r.getString(14);
                return new Recalled(result, followed != null ? UrlList.decode(url, followed)
                        : impliedFollowed(url, result.links()));
            }
        } catch (SQLException e) {
            throw db.failure("read", e);
        } finally {
            db.giveBack(c);
        }
    }

    /**
     * Records a fetched page and the URLs the crawl follows from it. Any thread. The page is written by the store's
     * writer with its next commit; the call returns once it is handed over, so that the crawl follows the page's
     * links without waiting for that commit. It waits only while {@value StoreDatabase#MAX_AWAITING_COMMIT} pages
     * already await their commit, which bounds what a killed crawl loses: the pages in flight, those being
     * processed, and these.
     *
     * @param texts the anchor texts of the page's links, one per link (see {@code PageLinks}), or empty
     * @param admitted gives up the caller's slot; run once there is room among the pages awaiting commit
     * @throws UncheckedIOException when the store cannot be written
     */
    public void recordPage(PageResult page, List<String> texts, List<String> followed, Runnable admitted)
            throws InterruptedException {
        if (!texts.isEmpty() && texts.size() != page.links().size()) {
            throw new IllegalArgumentException("one text per link: " + texts.size() + " texts, " + page.links().size() + " links");
        }
        db.checkWriter();
        submit(page, texts, followed, admitted);
        Consumer<byte[]> j = journal;
        if (j != null) {
            j.accept(JournalCodec.page(page, texts, followed));
        }
    }

    /**
     * Hands each page and each page's link occurrences recorded from now on to {@code journal} as well, as one entry
     * that {@link #restore} takes back; {@code null} stops it. The journal is called on the crawl's fetching threads,
     * concurrently, after the store has the entry: it must be thread-safe and fast, and never throw.
     */
    public void journal(Consumer<byte[]> journal) {
        this.journal = journal;
    }

    /**
     * Records an entry of another store's journal, as that store recorded it: a crawl resumed from this store then
     * recalls the page instead of requesting it. Not passed on to this store's own journal. An entry for a page
     * (or a page's occurrences) restored already is ignored: a journal read twice, or a page two runs recorded.
     * One thread at a time, before the crawl runs.
     *
     * @return whether the entry was a page not restored before
     * @throws IllegalArgumentException when {@code entry} is not a journal entry
     */
    public boolean restore(byte[] entry) throws InterruptedException {
        JournalCodec.Entry e = JournalCodec.decode(entry);
        db.checkWriter();
        if (!restored.add((e.page() != null ? "p " + e.page().url() : "o " + e.pageUrl()))) {
            return false;
        }
        if (e.page() == null) {
            db.submit(new StoreWriter.Occurrences(e.pageUrl(), e.occurrences()));
            return false;
        }
        submit(e.page(), e.texts(), e.followed(), () -> { });
        resuming = true;
        return true;
    }

    private void submit(PageResult page, List<String> texts, List<String> followed, Runnable admitted)
            throws InterruptedException {
        String url = page.url();
        String links = UrlList.encode(url, page.links());
        String nofollow = page.nofollowLinks().isEmpty() ? null : UrlList.encode(url, page.nofollowLinks());
        String followedLinks = followed.equals(impliedFollowed(url, page.links())) ? null
                : UrlList.encode(url, followed);
        String linkTexts = texts.stream().anyMatch(t -> !t.isEmpty()) ? UrlList.strings(texts) : null;
        byte[] content = page.content() == null ? null : ContentCodec.encode(page.content());
        Runnable committed = db.awaitRoomForCommit();
        admitted.run();
        db.submit(new StoreWriter.Record(page, links, nofollow, followedLinks, linkTexts, content, committed));
    }

    /**
     * The links a null {@code followed} stands for, as the store's version says ({@link Schema#FOLLOWED_ON_ORIGIN}):
     * what {@link #recall} gives back, and so what a page's record leaves out.
     */
    private List<String> impliedFollowed(String pageUrl, List<String> links) {
        return db.version() >= Schema.FOLLOWED_ON_ORIGIN ? UrlList.local(pageUrl, links) : links;
    }

    /** Keeps URLs ready to visit for the crawl's frontier, beyond its bound in memory. Any thread. */
    @Override
    public void spill(List<FrontierOverflow.Entry> entries) {
        db.submit(new StoreWriter.Spill(entries));
    }

    /** Gives the frontier back its lowest kept entries, by depth then start, after every spill before. Any thread. */
    @Override
    public CompletableFuture<List<FrontierOverflow.Entry>> takeLowest(int n) {
        CompletableFuture<List<FrontierOverflow.Entry>> result = new CompletableFuture<>();
        db.submit(new StoreWriter.TakeLowest(n, result));
        return result;
    }

    /** Waits until everything handed to the store so far is committed, and so readable. Any thread. */
    public void sync() {
        db.sync();
    }

    /** Records a page's place in the output, in output order: called by the crawl's single output writer. */
    public void markPlaced(PageResult page) {
        db.submit(new StoreWriter.Place(nextSeq++, page.url(), page.depth(), page.parent(), page.source(),
                page.inSitemap()));
    }

    /** Records that {@code url} is not requested, and why. Any thread. */
    public void recordExclusion(String url, String reason) {
        db.submit(new StoreWriter.Exclude(url, reason));
    }

    /**
     * Records what the crawl learned of a host's capacity (from the crawl's politeness, as it changes): quick, never
     * blocks on the database. Any thread.
     */
    public void recordHost(HostState state) {
        db.sql("INSERT OR REPLACE INTO hosts (host, concurrency, paused_until, updated_at) VALUES (?, ?, ?, ?)",
                state.host(), state.limit(), state.pause().isZero() ? null : clock.instant().plus(state.pause()).toString(),
                clock.instant().toString());
    }

    /** The hosts' states a resumed crawl starts from: their limits, and what is left of their pauses now. */
    public List<HostState> hostStates() {
        return db.read(c -> {
            List<HostState> out = new ArrayList<>();
            Instant now = clock.instant();
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
    public void recordOccurrences(String pageUrl, PageOccurrences page) {
        db.submit(new StoreWriter.Occurrences(pageUrl, page));
        Consumer<byte[]> j = journal;
        if (j != null) {
            j.accept(JournalCodec.occurrences(pageUrl, page));
        }
    }

    /** The stored link occurrences and anchors of {@code pageUrl}, or {@code null} when none were recorded. */
    public PageOccurrences occurrences(String pageUrl) {
        return db.read(c -> {
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
            return any ? new PageOccurrences(links, anchors) : null;
        });
    }

    /**
     * Records how the crawl ended, and returns when everything handed to the store is durable.
     *
     * @throws UncheckedIOException when the store cannot be written
     */
    public void recordEnd(CrawlSummary summary) {
        Ending state = switch (summary.stopReason()) {
            // a check is finished when its verdicts are recorded too (see recordChecks)
            case COMPLETED, MAX_PAGES -> "check".equals(kind()) ? Ending.RUNNING : Ending.FINISHED;
            case MAX_TIME, CANCELLED, FAILED -> Ending.STOPPED;
        };
        CrawlSummary.Sitemaps s = summary.sitemaps();
        db.sql("UPDATE crawl SET state = ?, stop_reason = ?, elapsed_ms = coalesce(elapsed_ms, 0) + ?, peak_in_flight = "
                + "max(coalesce(peak_in_flight, 0), ?), robots_outcome = ?, slowdowns = ?, sitemaps = ?, updated_at = ?",
                state.name().toLowerCase(Locale.ROOT), summary.stopReason().name(), summary.elapsed().toMillis(),
                summary.peakInFlight(), summary.robotsOutcome(), summary.slowdownCount(),
                s == null ? null : s.read() + "," + s.failed() + "," + s.listed() + "," + s.orphans() + "," + s.notListed(),
                clock.instant().toString());
        db.sync();
    }

    /** The start URL of the stored crawl, or {@code null} when the store holds none. */
    public String startUrl() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT start_url FROM crawl")) {
                return r.next() ? r.getString(1) : null;
            }
        });
    }

    private String kind() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT kind FROM crawl")) {
                return r.next() ? r.getString(1) : "";
            }
        });
    }

    /** Records a link check's verdicts and how many external URLs it checked; returns when durable. */
    public void recordChecks(List<LinkCheck> checks, int externalChecked) {
        db.submit(new StoreWriter.Checks(List.copyOf(checks)));
        db.sql("UPDATE crawl SET external_checked = ?, state = 'finished', updated_at = ?", externalChecked,
                clock.instant().toString());
        db.sync();
    }
}
