package dev.loomcrawl.internal.store;

import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.internal.tally.Tally;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored crawl read back as the values a report writes: its placed pages in output order, a check's verdicts,
 * and its totals. Stateless; each read runs on a connection of the database's pool.
 */
public final class StoredRows {

    /** The columns of {@code pages} that {@link #page} reads, in its order. */
    private static final String PAGE_COLUMNS = "status, content_type, bytes, fetch_ms, redirect, error, truncated, "
            + "attempts, noindex, nofollow, links, nofollow_links";
    /**
     * The columns {@link #page} reads, of the {@code pages} table named {@code p} and the {@code contents} table
     * named {@code k} in a left join.
     */
    static final String PAGE_COLUMNS_OF_P = PAGE_COLUMNS.replaceAll("(\\w+)", "p.$1") + ", k.content";

    private StoredRows() {}

    /** A page from the {@link #PAGE_COLUMNS_OF_P} of {@code r}, which start at column {@code first}. */
    static PageResult page(ResultSet r, String url, int first, int depth, String parent, PageResult.Source source,
                           Boolean inSitemap) throws SQLException {
        int status = r.getInt(first);
        boolean none = r.wasNull();
        String nofollow = r.getString(first + 11);
        byte[] content = r.getBytes(first + 12);
        return new PageResult(url, depth, parent, none ? 0 : status, r.getString(first + 1), r.getLong(first + 2),
                r.getLong(first + 3), r.getString(first + 4), r.getString(first + 5),
                UrlList.decode(url, r.getString(first + 10)), r.getBoolean(first + 6), r.getInt(first + 7),
                r.getBoolean(first + 8), r.getBoolean(first + 9),
                nofollow == null ? List.of() : UrlList.decode(url, nofollow), source, inSitemap,
                content == null ? null : ContentCodec.decode(content));
    }

    /** Hands every page placed in the output to {@code pages}, in output order, with its depth and parent. */
    public static void pages(StoreDatabase db, PageSink pages) {
        db.read(c -> {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT r.url, r.depth, r.parent, r.source, r.in_sitemap, "
                         + PAGE_COLUMNS_OF_P + " FROM placed r JOIN pages p ON p.url = r.url "
                         + "LEFT JOIN contents k ON k.page_id = p.id "
                         + "ORDER BY r.seq")) {
                while (r.next()) {
                    int inSitemap = r.getInt(5);
                    Boolean listed = r.wasNull() ? null : inSitemap != 0;
                    pages.accept(page(r, r.getString(1), 6, r.getInt(2), r.getString(3),
                            PageResult.Source.valueOf(r.getString(4)), listed));
                }
            }
            return null;
        });
    }

    /** The link check's verdicts, in report order; empty for a crawl. */
    public static List<LinkCheck> checks(StoreDatabase db) {
        return db.read(c -> {
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
    public static int externalChecked(StoreDatabase db) {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT coalesce(external_checked, 0) FROM crawl")) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    /** The totals of the stored crawl, from its placed pages, as its last run left them. */
    public static CrawlSummary summary(StoreDatabase db) {
        return db.read(c -> {
            Tally tally = new Tally();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT coalesce(p.status, 0), count(*), sum(p.bytes) FROM placed r "
                         + "JOIN pages p ON p.url = r.url GROUP BY p.status")) {
                while (r.next()) {
                    tally.pages(r.getInt(1), r.getLong(2), r.getLong(3));
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT reason, count(*) FROM excluded GROUP BY reason")) {
                while (r.next()) {
                    tally.excluded(r.getString(1), r.getLong(2));
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
                return tally.summary(r.getString(1), r.getString(5), r.getInt(4), Duration.ofMillis(r.getLong(3)),
                        stop == null ? StopReason.CANCELLED : StopReason.valueOf(stop), List.of(), r.getInt(6), sitemaps,
                        Instant.parse(r.getString(8)));
            }
        });
    }
}
