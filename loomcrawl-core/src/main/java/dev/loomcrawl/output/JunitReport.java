package dev.loomcrawl.output;

import static dev.loomcrawl.output.CheckFormat.count;
import static dev.loomcrawl.output.CheckFormat.xml;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.LinkTarget;
import dev.loomcrawl.check.Verdict;
import java.io.IOException;
import java.io.Writer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Apache Ant JUnit format, valid against its published schema (Windy Road's JUnit.xsd), which Jenkins,
 * GitLab and Azure DevOps read: one suite for the site (for each site of a run over many); a test case per failing target (class {@code links},
 * named by the target) whose failure lists up to {@value CheckFormat#FAILURE_LINKS} of its links; a passing
 * test case per page with no failing link (class {@code pages}, named by the page). {@code system-out} counts the
 * links that are neither ok nor failing.
 */
final class JunitReport {

    /** The schema's timestamp: seconds, no zone (UTC here). */
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    private JunitReport() {}

    static void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
        write(List.of(report), failing, out);
    }

    /** One suite per report, as for the sites of a run, in the order given. */
    static void write(List<CheckReport> reports, Set<Verdict> failing, Writer out) throws IOException {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (int id = 0; id < reports.size(); id++) {
            suite(b, reports.get(id), id, failing);
        }
        out.write(b.append("</testsuites>\n").toString());
    }

    private static void suite(StringBuilder b, CheckReport report, int id, Set<Verdict> failing) {
        List<LinkTarget> failed = report.targets(failing, failing);
        Set<String> failingPages = new HashSet<>();
        failed.forEach(t -> t.links().forEach(l -> failingPages.add(l.source())));
        List<String> cleanPages = report.links().stream().map(LinkCheck::source).distinct()
                .filter(page -> !failingPages.contains(page)).toList();
        String start = report.crawl().startUrl();
        b.append("  <testsuite package=\"loomcrawl\" id=\"").append(id).append("\" name=\"").append(xml(start))
                .append("\" timestamp=\"").append(TIMESTAMP.format(report.crawl().started()))
                .append("\" hostname=\"").append(xml(java.net.URI.create(start).getHost()))
                .append("\" tests=\"").append(failed.size() + cleanPages.size()).append("\" failures=\"")
                .append(failed.size()).append("\" errors=\"0\" time=\"")
                .append(String.format(Locale.ROOT, "%.3f", report.crawl().elapsed().toMillis() / 1000.0)).append("\">\n");
        b.append("    <properties>\n      <property name=\"start_url\" value=\"").append(xml(start))
                .append("\"/>\n      <property name=\"pages\" value=\"").append(report.pages().size())
                .append("\"/>\n      <property name=\"links\" value=\"").append(report.links().size())
                .append("\"/>\n      <property name=\"external_checked\" value=\"").append(report.externalChecked())
                .append("\"/>\n      <property name=\"partial\" value=\"").append(report.partial())
                .append("\"/>\n      <property name=\"stop_reason\" value=\"")
                .append(report.crawl().stopReason().name().toLowerCase(Locale.ROOT))
                .append("\"/>\n    </properties>\n");
        for (LinkTarget t : failed) {
            b.append("    <testcase classname=\"links\" name=\"").append(xml(t.target())).append("\" time=\"0\">\n")
                    .append("      <failure type=\"").append(t.verdict().label()).append("\" message=\"")
                    .append(xml(CheckFormat.message(t))).append("\">");
            List<LinkCheck> links = t.links();
            for (LinkCheck l : links.subList(0, Math.min(CheckFormat.FAILURE_LINKS, links.size()))) {
                b.append(xml(CheckFormat.where(l))).append('\n');
            }
            if (links.size() > CheckFormat.FAILURE_LINKS) {
                b.append(xml("and " + count(links.size() - CheckFormat.FAILURE_LINKS, "more link"))).append('\n');
            }
            b.append("</failure>\n    </testcase>\n");
        }
        for (String page : cleanPages) {
            b.append("    <testcase classname=\"pages\" name=\"").append(xml(page)).append("\" time=\"0\"/>\n");
        }
        String others = report.counts().entrySet().stream()
                .filter(e -> e.getKey() != Verdict.OK && !failing.contains(e.getKey()))
                .map(e -> e.getKey().label() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining(", "));
        b.append("    <system-out>").append(others.isEmpty() ? "" : xml("Links neither ok nor failing, not test cases: "
                + others + " (the jsonl and csv reports list every link)")).append("</system-out>\n")
                .append("    <system-err></system-err>\n  </testsuite>\n");
    }
}
