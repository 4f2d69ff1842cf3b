package dev.loomcrawl.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A documentation site's check at scale, as real sites gave it: 1,000 pages, 150,000 links, one missing page linked
 * from every page, a few broken anchors, and thousands of links that are excluded. The reports lead with the few
 * targets to fix, and stay small enough for CI dashboards while every failure stays visible.
 */
class ReportSizeTest {

    private static final String SITE = "http://docs.example/";
    private static final Set<Verdict> FAILING = EnumSet.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR, Verdict.INVALID);

    private static CheckReport largeSite() {
        List<PageResult> pages = new ArrayList<>();
        List<LinkCheck> links = new ArrayList<>();
        for (int p = 0; p < 1000; p++) {
            String page = SITE + "library/module" + p + ".html";
            pages.add(new PageResult(page, 2, SITE, 200, "text/html", 30_000, 3, null, null, List.of(), false, 1,
                    false, false, List.of(), PageResult.Source.LINK, null));
            for (int i = 0; i < 150; i++) {
                String target = SITE + "library/module" + ((p + i) % 1000) + ".html";
                links.add(new LinkCheck(page, "module" + ((p + i) % 1000) + ".html", target, "module " + i, 10 + i,
                        "a[href]", Verdict.OK, 200, "", false));
            }
            links.set(links.size() - 1, new LinkCheck(page, "../whatsnew/changelog.html", SITE + "whatsnew/changelog.html",
                    "Changelog", 12, "a[href]", Verdict.BROKEN, 404, "", false));
            links.set(links.size() - 2, new LinkCheck(page, "mailto:docs@example.com", null, "mail", 14, "a[href]",
                    Verdict.EXCLUDED, 0, "not checked: mailto link", false));
            links.set(links.size() - 3, new LinkCheck(page, "https://other" + p % 300 + ".example/", "https://other"
                    + p % 300 + ".example/", "elsewhere", 15, "a[href]", Verdict.EXCLUDED, 0, "external link not checked", true));
            if (p < 4) {
                links.set(links.size() - 4, new LinkCheck(page, "glossary.html#term-" + p, SITE + "glossary.html",
                        "term", 16, "a[href]", Verdict.BROKEN_ANCHOR, 200, "no id or name 'term-" + p + "'", false));
            }
        }
        CrawlSummary summary = new CrawlSummary(SITE, pages.size(), 0, new TreeMap<>(Map.of(200, 1000L)), 30_000_000,
                new TreeMap<>(), "ok", 16, Duration.ofSeconds(3), StopReason.COMPLETED, List.of(), 0,
                new CrawlSummary.Sitemaps(0, 0, 0, 0, 0), Instant.parse("2026-12-02T12:00:00Z"));
        return new CheckReport(summary, pages, links, 0);
    }

    private static String write(CheckFormat format, CheckReport report, Set<Verdict> shown) throws Exception {
        StringWriter out = new StringWriter();
        format.write(report, FAILING, shown, out);
        return out.toString();
    }

    @Test
    void theReportsGroupTheFailingLinksByTargetAndStaySmall() throws Exception {
        CheckReport report = largeSite();
        assertThat(report.links()).hasSize(150_000);
        assertThat(report.targets(FAILING, FAILING)).extracting(t -> t.target() + " " + t.links().size()).containsExactly(
                SITE + "whatsnew/changelog.html 1000", SITE + "glossary.html#term-0 1", SITE + "glossary.html#term-1 1",
                SITE + "glossary.html#term-2 1", SITE + "glossary.html#term-3 1");

        String text = write(CheckFormat.TEXT, report, CheckFormat.SHOWN);
        assertThat(text).hasLineCount(25).contains(
                "150,000 links on 1,000 pages: 1,004 failing (broken 1,000, broken-anchor 4); ok 146,996, excluded 2,000",
                "Failing: 5 targets, 1,004 links",
                "broken 404  " + SITE + "whatsnew/changelog.html  (1,000 links on 1,000 pages)",
                "  and 995 more links (--format csv or jsonl lists every one)",
                "broken-anchor 200  " + SITE + "glossary.html#term-3  (1 link; no id or name 'term-3')",
                "Not listed: 2,000 excluded links to 301 targets (--show excluded lists them).");
        assertThat(text.indexOf("\nbroken 404")).as("the most linked first").isLessThan(text.indexOf("\nbroken-anchor"));

        String junit = write(CheckFormat.JUNIT, report, CheckFormat.SHOWN);
        assertThat(junit.length()).as("JUnit XML bytes").isLessThan(1_000_000);
        assertThat(junit).contains("<testcase classname=\"links\" name=\"" + SITE + "whatsnew/changelog.html\"",
                "message=\"broken 404, 1,000 links on 1,000 pages\"", "and 950 more links", "tests=\"5\" failures=\"5\"");

        String sarif = write(CheckFormat.SARIF, report, CheckFormat.SHOWN);
        assertThat(sarif.length()).as("SARIF bytes").isLessThan(1_000_000);
        assertThat(sarif.split("\"ruleId\"", -1)).hasSize(6);

        String html = write(CheckFormat.HTML, report, CheckFormat.SHOWN);
        assertThat(html.length()).as("HTML bytes").isLessThan(1_000_000);
        assertThat(html.indexOf("whatsnew/changelog.html")).as("what to fix comes before the charts of pages")
                .isLessThan(html.indexOf("Pages by depth"));

        String markdown = write(CheckFormat.MARKDOWN, report, CheckFormat.SHOWN);
        assertThat(markdown).contains("| " + SITE + "whatsnew/changelog.html | **broken** 404 | 1,000 |");

        String shown = write(CheckFormat.TEXT, report, EnumSet.of(Verdict.EXCLUDED));
        assertThat(shown).contains("Not failing: 301 targets, 2,000 links", "excluded  mailto:docs@example.com  "
                + "(1,000 links on 1,000 pages; not checked: mailto link)").doesNotContain("Not listed");
    }
}
