package dev.loomcrawl.output;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.Version;
import dev.loomcrawl.internal.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * How a link check is reported. Every format lists links in the check's order (pages breadth-first, links in
 * document order), so a report is the same at any concurrency. {@code failing} names the verdicts that fail.
 */
public enum CheckFormat {

    /** A readable report: the totals, then each page's links that are not ok, with line, href, text and why. */
    TEXT {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            StringBuilder b = new StringBuilder();
            b.append(headline(report, failing)).append('\n');
            Map<String, List<LinkCheck>> bySource = new LinkedHashMap<>();
            for (LinkCheck l : report.links()) {
                if (l.verdict() != Verdict.OK) {
                    bySource.computeIfAbsent(l.source(), k -> new ArrayList<>()).add(l);
                }
            }
            bySource.forEach((source, links) -> {
                b.append('\n').append(source).append('\n');
                for (LinkCheck l : links) {
                    b.append("  line ").append(l.line()).append("  ").append(failing.contains(l.verdict()) ? "FAIL " : "")
                            .append(l.verdict().label());
                    if (l.status() != 0) {
                        b.append(' ').append(l.status());
                    }
                    b.append("  ").append(l.href());
                    if (!l.text().isEmpty()) {
                        b.append("  \"").append(l.text()).append('"');
                    }
                    if (!l.detail().isEmpty()) {
                        b.append("  (").append(l.detail()).append(')');
                    }
                    b.append('\n');
                }
            });
            out.write(b.toString());
        }
    },

    /** One JSON object per link. */
    JSONL {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            for (LinkCheck l : report.links()) {
                StringBuilder b = new StringBuilder(256).append("{\"source\":");
                Json.string(b, l.source());
                b.append(",\"line\":").append(l.line()).append(",\"element\":");
                Json.string(b, l.element());
                b.append(",\"href\":");
                Json.string(b, l.href());
                b.append(",\"url\":");
                Json.string(b, l.url());
                b.append(",\"text\":");
                Json.string(b, l.text());
                b.append(",\"verdict\":");
                Json.string(b, l.verdict().label());
                b.append(",\"status\":").append(l.status() == 0 ? "null" : Integer.toString(l.status()));
                b.append(",\"detail\":");
                Json.string(b, l.detail());
                b.append(",\"external\":").append(l.external());
                b.append(",\"failing\":").append(failing.contains(l.verdict())).append("}\n");
                out.write(b.toString());
            }
        }
    },

    /** Comma-separated values with a header row (RFC 4180). */
    CSV {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            out.write("source,line,element,href,url,text,verdict,status,detail,external,failing\r\n");
            for (LinkCheck l : report.links()) {
                out.write(String.join(",", csv(l.source()), Integer.toString(l.line()), csv(l.element()), csv(l.href()),
                        csv(l.url()), csv(l.text()), l.verdict().label(), l.status() == 0 ? "" : Integer.toString(l.status()),
                        csv(l.detail()), Boolean.toString(l.external()), Boolean.toString(failing.contains(l.verdict())))
                        + "\r\n");
            }
        }
    },

    /** A summary table and the failing links, fit for a pull request comment. */
    MARKDOWN {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            StringBuilder b = new StringBuilder("## loomcrawl link check\n\n");
            b.append(headline(report, failing)).append("\n\n| verdict | links |\n|---|---:|\n");
            report.counts().forEach((v, n) -> b.append("| ").append(v.label()).append(" | ").append(n).append(" |\n"));
            List<LinkCheck> bad = report.failing(failing);
            if (!bad.isEmpty()) {
                b.append("\n| page | line | link | text | verdict | why |\n|---|---:|---|---|---|---|\n");
                bad.stream().limit(MARKDOWN_ROWS).forEach(l -> b.append("| ").append(md(l.source())).append(" | ")
                        .append(l.line()).append(" | ").append(md(l.href())).append(" | ").append(md(l.text()))
                        .append(" | ").append(l.verdict().label()).append(l.status() == 0 ? "" : " " + l.status())
                        .append(" | ").append(md(l.detail())).append(" |\n"));
                if (bad.size() > MARKDOWN_ROWS) {
                    b.append("\n... and ").append(bad.size() - MARKDOWN_ROWS).append(" more.\n");
                }
            }
            out.write(b.toString());
        }
    },

    /**
     * JUnit XML: one test case per link, named by its line and href, in a class named by its page; a failing
     * verdict is a failure, an excluded link is skipped, so CI systems list what broke.
     */
    JUNIT {
        /**
         * The Apache Ant JUnit format, valid against its published schema (Windy Road's JUnit.xsd), which Jenkins,
         * GitLab and Azure DevOps read: one suite for the site, a test case per checked link, a {@code failure} for
         * each failing one. Links not checked ({@code excluded}) are no test cases; {@code system-out} lists them.
         */
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            Predicate<LinkCheck> notChecked = l -> l.verdict() == Verdict.EXCLUDED && !failing.contains(l.verdict());
            List<LinkCheck> checked = report.links().stream().filter(notChecked.negate()).toList();
            long failures = checked.stream().filter(l -> failing.contains(l.verdict())).count();
            String start = report.crawl().startUrl();
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
            b.append("  <testsuite package=\"loomcrawl\" id=\"0\" name=\"").append(xml(start))
                    .append("\" timestamp=\"").append(TIMESTAMP.format(report.crawl().started()))
                    .append("\" hostname=\"").append(xml(java.net.URI.create(start).getHost()))
                    .append("\" tests=\"").append(checked.size()).append("\" failures=\"").append(failures)
                    .append("\" errors=\"0\" time=\"")
                    .append(String.format(Locale.ROOT, "%.3f", report.crawl().elapsed().toMillis() / 1000.0)).append("\">\n");
            b.append("    <properties>\n      <property name=\"start_url\" value=\"").append(xml(start))
                    .append("\"/>\n      <property name=\"pages\" value=\"").append(report.pages().size())
                    .append("\"/>\n      <property name=\"external_checked\" value=\"").append(report.externalChecked())
                    .append("\"/>\n    </properties>\n");
            for (LinkCheck l : checked) {
                b.append("    <testcase classname=\"").append(xml(l.source())).append("\" name=\"line ").append(l.line())
                        .append(": ").append(xml(l.href())).append("\" time=\"0\"");
                if (failing.contains(l.verdict())) {
                    b.append(">\n      <failure type=\"").append(l.verdict().label()).append("\" message=\"")
                            .append(xml(message(l))).append("\">").append(xml(describe(l))).append("</failure>\n    </testcase>\n");
                } else {
                    b.append("/>\n");
                }
            }
            b.append("    <system-out>");
            report.links().stream().filter(notChecked)
                    .forEach(l -> b.append(xml("not checked: " + describe(l))).append('\n'));
            b.append("</system-out>\n    <system-err></system-err>\n  </testsuite>\n</testsuites>\n");
            out.write(b.toString());
        }
    },

    /**
     * SARIF 2.1.0, for code-scanning dashboards: one rule per verdict, one result per link that is not ok (level
     * {@code error} when its verdict fails, {@code note} otherwise), located at its page and line.
     */
    SARIF {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            StringBuilder b = new StringBuilder(4096);
            b.append("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{")
                    .append("\"tool\":{\"driver\":{\"name\":\"loomcrawl\",\"version\":");
            Json.string(b, Version.current());
            b.append(",\"rules\":[");
            Verdict[] verdicts = Verdict.values();
            for (int i = 0; i < verdicts.length; i++) {
                b.append(i == 0 ? "" : ",").append("{\"id\":");
                Json.string(b, verdicts[i].label());
                b.append(",\"shortDescription\":{\"text\":");
                Json.string(b, "Link verdict: " + verdicts[i].label());
                b.append("}}");
            }
            b.append("]}},\"results\":[");
            boolean first = true;
            for (LinkCheck l : report.links()) {
                if (l.verdict() == Verdict.OK) {
                    continue;
                }
                b.append(first ? "" : ",").append("{\"ruleId\":");
                first = false;
                Json.string(b, l.verdict().label());
                b.append(",\"ruleIndex\":").append(l.verdict().ordinal());
                b.append(",\"level\":\"").append(failing.contains(l.verdict()) ? "error" : "note").append("\",\"message\":{\"text\":");
                Json.string(b, describe(l));
                b.append("},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
                Json.string(b, l.source());
                b.append("},\"region\":{\"startLine\":").append(Math.max(1, l.line())).append("}}}]}");
            }
            b.append("]}]}\n");
            out.write(b.toString());
        }
    },

    /**
     * A sitemap (sitemaps.org 0.9) of the crawled pages that answered 200 with HTML and do not ask not to be
     * indexed, in crawl order. The protocol allows 50,000 URLs per file; a larger site needs a sitemap index.
     */
    SITEMAP {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (PageResult p : report.pages()) {
                if (p.status() == 200 && !p.noindex() && p.isHtml()) {
                    b.append("  <url><loc>").append(xml(p.url())).append("</loc></url>\n");
                }
            }
            out.write(b.append("</urlset>\n").toString());
        }
    },

    /** One self-contained HTML page for a person: numbers, charts, the problems by page, a filter box. */
    HTML {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
            out.write(HtmlReport.render(report, failing));
        }
    };

    private static final int MARKDOWN_ROWS = 100;
    /** The schema's timestamp: seconds, no zone (UTC here). */
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(java.time.ZoneOffset.UTC);

    /** Writes the report in this format; the caller flushes and closes {@code out}. */
    public abstract void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException;

    /** The format of that name (any case): {@code text}, {@code jsonl}, {@code csv}, {@code markdown}, ... */
    public static CheckFormat named(String name) {
        for (CheckFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be one of text, jsonl, csv, markdown, junit, sarif, sitemap, html; was '" + name + "'");
    }

    /** Such as {@code 14 links on 2 pages: 4 failing (broken 3, broken-anchor 1); ok 6, redirected 1, ...}. */
    public static String headline(CheckReport report, Set<Verdict> failing) {
        long pages = report.links().stream().map(LinkCheck::source).distinct().count();
        Map<Verdict, Long> counts = report.counts();
        String failingCounts = counts.entrySet().stream().filter(e -> failing.contains(e.getKey()))
                .map(e -> e.getKey().label() + " " + e.getValue()).collect(Collectors.joining(", "));
        long failed = counts.entrySet().stream().filter(e -> failing.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        String others = counts.entrySet().stream().filter(e -> !failing.contains(e.getKey()))
                .map(e -> e.getKey().label() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%,d links on %,d pages: %,d failing%s%s", report.links().size(), pages, failed,
                failingCounts.isEmpty() ? "" : " (" + failingCounts + ")", others.isEmpty() ? "" : "; " + others);
    }

    private static String message(LinkCheck l) {
        return l.verdict().label() + (l.status() == 0 ? "" : " " + l.status()) + (l.detail().isEmpty() ? "" : ": " + l.detail());
    }

    private static String describe(LinkCheck l) {
        return "page " + l.source() + ", line " + l.line() + ", " + l.element() + " \"" + l.href() + "\""
                + (l.text().isEmpty() ? "" : " (" + l.text() + ")") + ": " + message(l);
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String md(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        b.append('?'); // not allowed in XML 1.0
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
