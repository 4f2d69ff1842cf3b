package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkTarget;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.output.CheckFormat;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reports of a large generated site, crawled and checked: 70,000 links, 7,000 of them to 4,000 missing pages,
 * some linked from dozens of places. Every failing target is in every report, once, and a report grows with the
 * failing targets, not with the links.
 */
@Timeout(120)
class ReportSizeIT {

    private static final Set<Verdict> FAILING = EnumSet.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR, Verdict.INVALID);

    private static String write(CheckFormat format, CheckReport report) throws Exception {
        StringWriter out = new StringWriter();
        format.write(report, FAILING, out);
        return out.toString();
    }

    @Test
    void aLargeSitesReportsListEachFailingTargetOnceAndStaySmall() throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(3000, 5), server.baseUrl());
            server.serve(site.resources());
            CheckReport report = LinkChecker.builder().crawler(Crawler.builder().concurrency(16).build())
                    .externalLinks(false).build().check(site.startUrl());
            assertThat(report.links().size()).as("links").isGreaterThan(50_000);
            List<LinkTarget> failing = report.targets(FAILING, FAILING);
            assertThat(failing).isNotEmpty();
            assertThat(failing.getFirst().links().size()).as("the most linked first, from many pages").isGreaterThan(20);
            assertThat(report.failing(FAILING).size()).as("failing links, some per target").isGreaterThan(failing.size());

            String junit = write(CheckFormat.JUNIT, report);
            String sarif = write(CheckFormat.SARIF, report);
            String html = write(CheckFormat.HTML, report);
            String text = write(CheckFormat.TEXT, report);
            // every failure stays visible, so a report grows with the failing targets and the pages, never with
            // the links that are fine (the per-link JUnit of before took about 140 bytes for each of them)
            long pages = report.pages().size();
            assertThat((long) junit.length()).as("JUnit bytes").isLessThan(500L * failing.size() + 150L * pages)
                    .isLessThan(report.links().size() * 30L);
            assertThat((long) sarif.length()).as("SARIF bytes").isLessThan(700L * failing.size() + 10_000);
            assertThat((long) html.length()).as("HTML bytes").isLessThan(1_000L * failing.size() + 100_000);
            assertThat(text.lines().count()).as("text lines").isLessThan(10L * failing.size() + 20);
            for (LinkTarget t : failing) {
                assertThat(junit).contains("<testcase classname=\"links\" name=\"" + t.target() + "\"");
                assertThat(sarif).contains("\"text\":\"" + t.target() + ": ");
                assertThat(text).contains("  " + t.target() + "  (");
                assertThat(html).contains("title=\"" + t.target() + "\"");
            }
        }
    }
}
