package dev.loomcrawl.output;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.LinkTarget;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a link check is reported. Every format lists links in the check's order (pages breadth-first, links in
 * document order), so a report is the same at any concurrency. {@code failing} names the verdicts that fail.
 */
public enum CheckFormat {

    /**
     * A readable report: the totals, then one entry per failing target (verdict, target, how many links, the first
     * few of them with page, line and text), then the other listed targets, then what was not listed.
     */
    TEXT {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            StringBuilder b = new StringBuilder();
            if (report.partial()) {
                b.append(partial(report)).append("\n\n");
            }
            b.append(headline(report, failing)).append('\n');
            List<LinkTarget> targets = report.targets(listed(failing, shown), failing);
            List<LinkTarget> failed = targets.stream().filter(t -> failing.contains(t.verdict())).toList();
            List<LinkTarget> others = targets.subList(failed.size(), targets.size());
            section(b, "Failing", failed);
            section(b, "Not failing", others);
            String hidden = notListed(report, failing, shown);
            if (!hidden.isEmpty()) {
                b.append('\n').append(hidden).append('\n');
            }
            out.write(b.toString());
        }

        private void section(StringBuilder b, String title, List<LinkTarget> targets) {
            if (targets.isEmpty()) {
                return;
            }
            b.append('\n').append(title).append(": ").append(count(targets.size(), "target")).append(", ")
                    .append(count(targets.stream().mapToLong(t -> t.links().size()).sum(), "link")).append('\n');
            for (LinkTarget t : targets) {
                b.append('\n').append(t.verdict().label()).append(t.status() == 0 ? "" : " " + t.status()).append("  ")
                        .append(t.target()).append("  (").append(count(t.links().size(), "link"));
                if (t.pages() > 1) {
                    b.append(" on ").append(count(t.pages(), "page"));
                }
                b.append(t.detail().isEmpty() ? "" : "; " + t.detail()).append(")\n");
                for (LinkCheck l : t.links().subList(0, Math.min(TEXT_LINKS, t.links().size()))) {
                    b.append("  ").append(l.source()).append(" line ").append(l.line());
                    if (!l.href().strip().equals(t.target())) {
                        b.append("  ").append(l.href());
                    }
                    b.append(l.text().isEmpty() ? "" : "  \"" + l.text() + "\"").append('\n');
                }
                if (t.links().size() > TEXT_LINKS) {
                    b.append("  and ").append(count(t.links().size() - TEXT_LINKS, "more link"))
                            .append(" (--format csv or jsonl lists every one)\n");
                }
            }
        }
    },

    /** One JSON object per link; over many sites, each starts with {@code site}, the site's start URL. */
    JSONL {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            rows(report, null, report.partial(), failing, out);
        }

        @Override
        public void write(java.util.List<CheckReport> sites, CheckReport combined, Set<Verdict> failing,
                          Set<Verdict> shown, Writer out) throws IOException {
            for (CheckReport site : sites) {
                rows(site, site.crawl().startUrl(), combined.partial(), failing, out);
            }
        }

        private void rows(CheckReport report, String site, boolean partial, Set<Verdict> failing, Writer out)
                throws IOException {
            for (LinkCheck l : report.links()) {
                StringBuilder b = new StringBuilder(256).append('{');
                if (site != null) {
                    b.append("\"site\":");
                    Json.string(b, site);
                    b.append(',');
                }
                b.append("\"source\":");
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
                b.append(",\"failing\":").append(failing.contains(l.verdict()));
                b.append(partial ? ",\"partial\":true}\n" : "}\n");
                out.write(b.toString());
            }
        }
    },

    /** Comma-separated values with a header row (RFC 4180); over many sites, {@code site} is the first column. */
    CSV {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            out.write(HEADER + "\r\n");
            rows(report, null, failing, out);
        }

        @Override
        public void write(java.util.List<CheckReport> sites, CheckReport combined, Set<Verdict> failing,
                          Set<Verdict> shown, Writer out) throws IOException {
            out.write("site," + HEADER + "\r\n");
            for (CheckReport site : sites) {
                rows(site, csv(site.crawl().startUrl()) + ",", failing, out);
            }
        }

        private static final String HEADER = "source,line,element,href,url,text,verdict,status,detail,external,failing";

        private void rows(CheckReport report, String site, Set<Verdict> failing, Writer out) throws IOException {
            for (LinkCheck l : report.links()) {
                out.write((site == null ? "" : site) + String.join(",", csv(l.source()), Integer.toString(l.line()),
                        csv(l.element()), csv(l.href()), csv(l.url()), csv(l.text()), l.verdict().label(),
                        l.status() == 0 ? "" : Integer.toString(l.status()), csv(l.detail()),
                        Boolean.toString(l.external()), Boolean.toString(failing.contains(l.verdict()))) + "\r\n");
            }
        }
    },

    /** A summary table and the failing targets, each once with how often it is linked: a pull request comment. */
    MARKDOWN {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            StringBuilder b = new StringBuilder("## loomcrawl link check\n\n");
            if (report.partial()) {
                b.append("> **").append(partial(report)).append("**\n\n");
            }
            b.append(headline(report, failing)).append("\n\n| verdict | links |\n|---|---:|\n");
            report.counts().forEach((v, n) -> b.append("| ").append(v.label()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", n)).append(" |\n"));
            List<LinkTarget> targets = report.targets(listed(failing, shown), failing);
            if (!targets.isEmpty()) {
                b.append("\n| target | verdict | links | first linked from | why |\n|---|---|---:|---|---|\n");
                targets.stream().limit(MARKDOWN_ROWS).forEach(t -> {
                    LinkCheck first = t.links().getFirst();
                    b.append("| ").append(md(t.target())).append(" | ")
                            .append(failing.contains(t.verdict()) ? "**" + t.verdict().label() + "**" : t.verdict().label())
                            .append(t.status() == 0 ? "" : " " + t.status()).append(" | ")
                            .append(String.format(Locale.ROOT, "%,d", t.links().size())).append(" | ")
                            .append(md(first.source())).append(" line ").append(first.line()).append(" | ")
                            .append(md(t.detail())).append(" |\n");
                });
                if (targets.size() > MARKDOWN_ROWS) {
                    b.append("\n... and ").append(count(targets.size() - MARKDOWN_ROWS, "more target")).append(".\n");
                }
            }
            String hidden = notListed(report, failing, shown);
            if (!hidden.isEmpty()) {
                b.append('\n').append(hidden).append('\n');
            }
            out.write(b.toString());
        }
    },

    /**
     * JUnit XML, sized for CI dashboards however large the site: a failing test case per failing target, its links
     * in the failure, and a passing one per page none of whose links fail ({@link JunitReport}).
     */
    JUNIT {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            JunitReport.write(report, failing, out);
        }

        @Override
        public void write(java.util.List<CheckReport> sites, CheckReport combined, Set<Verdict> failing,
                          Set<Verdict> shown, Writer out) throws IOException {
            JunitReport.write(sites, failing, out);
        }
    },

    /**
     * SARIF 2.1.0, for code-scanning dashboards: a result per listed target, at its first link ({@link SarifReport}).
     */
    SARIF {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            SarifReport.write(report, failing, shown, out);
        }
    },

    /**
     * A sitemap (sitemaps.org 0.9) of the crawled pages that answered 200 with HTML and do not ask not to be
     * indexed, in crawl order. The protocol allows 50,000 URLs per file; a larger site needs a sitemap index.
     */
    SITEMAP {
        @Override
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
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
        public void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out) throws IOException {
            out.write(HtmlReport.render(report, failing, shown, report.crawl().startUrl()));
        }

        @Override
        public void write(java.util.List<CheckReport> sites, CheckReport combined, Set<Verdict> failing,
                          Set<Verdict> shown, Writer out) throws IOException {
            out.write(HtmlReport.render(combined, failing, shown, sites.size() == 1 ? combined.crawl().startUrl()
                    : count(sites.size(), "site")));
        }
    };

    private static final int MARKDOWN_ROWS = 100;
    /** The links of a target the text report shows; the rest are counted. */
    private static final int TEXT_LINKS = 5;
    /** The links of a failing target a JUnit failure or a SARIF result lists; the rest are counted. */
    static final int FAILURE_LINKS = 50;
    /** What a report lists unless told otherwise: every verdict that is not ok and was checked. */
    public static final Set<Verdict> SHOWN = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            Verdict.REDIRECTED, Verdict.BROKEN, Verdict.BLOCKED, Verdict.TIMEOUT, Verdict.INVALID, Verdict.BROKEN_ANCHOR));

    /**
     * Writes the report in this format, listing (in the formats that list targets) the failing verdicts and those
     * in {@code shown}; the caller flushes and closes {@code out}. JSONL and CSV always hold every link.
     */
    public abstract void write(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, Writer out)
            throws IOException;

    /**
     * Writes the report of a check over many sites: {@code combined}, every site's pages and links in list order,
     * as {@link #write(CheckReport, Set, Set, Writer)} does (so that a target several sites link to is one target);
     * JUnit instead as one test suite per site, as CI dashboards show suites, JSONL and CSV with each row's
     * {@code site}, and HTML titled by the number of sites.
     *
     * @param sites each site's report, in list order
     */
    public void write(java.util.List<CheckReport> sites, CheckReport combined, Set<Verdict> failing,
                      Set<Verdict> shown, Writer out) throws IOException {
        write(combined, failing, shown, out);
    }

    /** As {@link #write(CheckReport, Set, Set, Writer)}, listing what is not ok and was checked ({@link #SHOWN}). */
    public void write(CheckReport report, Set<Verdict> failing, Writer out) throws IOException {
        write(report, failing, SHOWN, out);
    }

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
                .map(e -> e.getKey().label() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining(", "));
        long failed = counts.entrySet().stream().filter(e -> failing.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        String others = counts.entrySet().stream().filter(e -> !failing.contains(e.getKey()))
                .map(e -> e.getKey().label() + " " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%,d links on %,d pages: %,d failing%s%s", report.links().size(), pages, failed,
                failingCounts.isEmpty() ? "" : " (" + failingCounts + ")", others.isEmpty() ? "" : "; " + others);
    }

    /** Such as {@code broken 404, 1,451 links on 1,451 pages: not found}. */
    static String message(LinkTarget t) {
        return t.verdict().label() + (t.status() == 0 ? "" : " " + t.status()) + ", " + count(t.links().size(), "link")
                + (t.pages() > 1 ? " on " + count(t.pages(), "page") : "") + (t.detail().isEmpty() ? "" : ": " + t.detail());
    }

    /** Where a link stands: {@code page http://h/a.html, line 12, a[href] "/missing" (Gone)}. */
    static String where(LinkCheck l) {
        return "page " + l.source() + ", line " + l.line() + ", " + l.element() + " \"" + l.href() + "\""
                + (l.text().isEmpty() ? "" : " (" + l.text() + ")");
    }

    /** The verdicts listed: the failing ones and those shown. */
    static Set<Verdict> listed(Set<Verdict> failing, Set<Verdict> shown) {
        Set<Verdict> listed = java.util.EnumSet.noneOf(Verdict.class);
        listed.addAll(failing);
        listed.addAll(shown);
        return listed;
    }

    /** Such as {@code Not listed: 9,060 excluded links to 312 targets (--show excluded lists them).}, or empty. */
    static String notListed(CheckReport report, Set<Verdict> failing, Set<Verdict> shown) {
        Set<Verdict> unlisted = java.util.EnumSet.complementOf(java.util.EnumSet.copyOf(listed(failing, shown)));
        unlisted.remove(Verdict.OK);
        Map<Verdict, long[]> linksAndTargets = new java.util.EnumMap<>(Verdict.class);
        for (LinkTarget t : report.targets(unlisted, failing)) {
            long[] n = linksAndTargets.computeIfAbsent(t.verdict(), v -> new long[2]);
            n[0] += t.links().size();
            n[1]++;
        }
        List<String> parts = new ArrayList<>();
        linksAndTargets.forEach((v, n) -> parts.add(count(n[0], v.label() + " link") + " to " + count(n[1], "target")
                + " (--show " + v.label() + " lists them)"));
        return parts.isEmpty() ? "" : "Not listed: " + String.join("; ", parts) + ".";
    }

    /** Such as {@code Partial report: the check was interrupted; links it did not reach are excluded.} */
    public static String partial(CheckReport report) {
        String why = switch (report.crawl().stopReason()) {
            case CANCELLED -> "the check was interrupted";
            case MAX_PAGES -> "the check stopped at its page limit";
            case MAX_TIME -> "the check stopped at its time limit";
            case FAILED -> "the check failed";
            case COMPLETED -> "the check ended";
        };
        return "Partial report: " + why + "; links it did not reach are excluded.";
    }

    /** {@code 1 link}, {@code 1,451 links}. */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    static String csv(String s) {
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
