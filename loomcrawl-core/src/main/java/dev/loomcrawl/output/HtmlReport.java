package dev.loomcrawl.output;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.LinkTarget;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.url.WebUrl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The check as one self-contained HTML page (no network, no CDN): summary cards and the verdict chart first, then
 * what to fix, one row per target (failing ones first, the most linked first) with its links folded beneath it, a
 * filter box and a CSV download; then redirect chains, a depth histogram, the slowest pages and status codes by
 * site section. Charts are drawn here as inline SVG, not in the browser, so the page shows its numbers even
 * without script.
 */
final class HtmlReport {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}h1{font-size:20px;overflow-wrap:anywhere}
            h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;width:100%;table-layout:fixed}
            td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
            .num{text-align:right;width:5em}.verdict{width:11em}.fail{color:#b00020;font-weight:600}
            .url{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.why{width:22%}
            .cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:8px 14px}
            .card b{display:block;font-size:22px}input{font-size:14px;padding:4px 8px;width:320px;max-width:90%}
            details ul{margin:4px 0;padding-left:18px}details li{overflow-wrap:anywhere}code{overflow-wrap:anywhere}
            svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif}
            @media (max-width:700px){body{margin:10px}.why,.pages{display:none}.verdict{width:7em}.num{width:3em}td,th{padding:4px 3px}}
            """;

    private static final String SCRIPT = """
            document.getElementById('filter').addEventListener('input', function (e) {
              var q = e.target.value.toLowerCase();
              var shown = 0;
              document.querySelectorAll('tr.row').forEach(function (tr) {
                var hit = tr.textContent.toLowerCase().indexOf(q) >= 0;
                tr.style.display = hit ? '' : 'none';
                if (hit) { shown++; }
              });
              document.getElementById('shown').textContent = shown.toLocaleString('en');
            });
            var asked = new URLSearchParams(location.search).get('q');
            if (asked) {
              var box = document.getElementById('filter');
              box.value = asked;
              box.dispatchEvent(new Event('input'));
            }
            """;

    /** The links a target's row lists when unfolded; the rest are counted. */
    private static final int ROW_LINKS = 100;

    private HtmlReport() {}

    /**
     * @param subject what the report is of: the start URL, or how many sites (then no URL is shortened to its path)
     */
    static String render(CheckReport report, Set<Verdict> failing, Set<Verdict> shown, String subject) {
        StringBuilder b = new StringBuilder(16384);
        String start = subject;
        String origin = subject.contains("://") ? origin(subject) : null;
        Map<Verdict, Long> counts = report.counts();
        b.append("<!doctype html>\n<html lang=en><head><meta charset=utf-8>")
                .append("<meta name=viewport content='width=device-width, initial-scale=1'><title>loomcrawl report: ")
                .append(esc(start)).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        b.append("<h1>loomcrawl report for <code>").append(esc(start)).append("</code></h1>\n");
        if (report.partial()) {
            b.append("<p id=partial class=fail>").append(esc(CheckFormat.partial(report))).append("</p>\n");
        }
        b.append("<p id=headline>").append(esc(CheckFormat.headline(report, failing))).append("</p>\n<div class=cards>\n");
        card(b, "pages", "pages", report.crawl().pages());
        card(b, "links", "links", report.links().size());
        card(b, "failing", "failing links", report.failing(failing).size());
        card(b, "targets", "failing targets", report.targets(failing, failing).size());
        card(b, "external", "external URLs checked", report.externalChecked());
        b.append("<div class=card><b>").append(String.format(Locale.ROOT, "%.1f s", report.crawl().elapsed().toMillis() / 1000.0))
                .append("</b>crawl time</div>\n</div>\n");

        b.append("<h2>Verdicts</h2>\n");
        List<String[]> bars = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            bars.add(new String[] {v.label(), Long.toString(counts.getOrDefault(v, 0L)), "count-" + v.label()});
        }
        barChart(b, bars, "verdicts");

        List<LinkTarget> targets = report.targets(CheckFormat.listed(failing, shown), failing);
        if (!targets.isEmpty()) {
            b.append("<h2>What to fix</h2>\n<p><input id=filter type=search placeholder='Filter by target, page, text or verdict'> ")
                    .append("<span id=shown>").append(String.format(Locale.ROOT, "%,d", targets.size()))
                    .append("</span> shown of ").append(CheckFormat.count(targets.size(), "target"))
                    .append(" &middot; <a download=loomcrawl-targets.csv href=\"data:text/csv;charset=utf-8,")
                    .append(esc(java.net.URLEncoder.encode(csv(targets), java.nio.charset.StandardCharsets.UTF_8)
                            .replace("+", "%20"))).append("\">download as CSV</a></p>\n")
                    .append("<table id=problems><thead><tr><th class=verdict>verdict</th><th>target</th>")
                    .append("<th class=num>links</th><th class='num pages'>pages</th><th class=why>why</th></tr></thead><tbody>\n");
            for (LinkTarget t : targets) {
                row(b, t, failing.contains(t.verdict()), origin);
            }
            b.append("</tbody></table>\n");
        }
        String hidden = CheckFormat.notListed(report, failing, shown);
        if (!hidden.isEmpty()) {
            b.append("<p id=not-listed>").append(esc(hidden)).append("</p>\n");
        }

        List<String> chains = report.links().stream().filter(l -> l.verdict() == Verdict.REDIRECTED)
                .map(LinkCheck::detail).distinct().toList();
        if (!chains.isEmpty()) {
            b.append("<h2>Redirect chains</h2>\n<ul id=redirects>\n");
            chains.forEach(chain -> b.append("<li><code>").append(esc(chain)).append("</code></li>\n"));
            b.append("</ul>\n");
        }

        b.append("<h2>Pages by depth</h2>\n");
        SortedMap<Integer, Long> depths = new TreeMap<>();
        report.pages().forEach(p -> depths.merge(p.depth(), 1L, Long::sum));
        List<String[]> depthBars = new ArrayList<>();
        depths.forEach((d, n) -> depthBars.add(new String[] {"depth " + d, Long.toString(n), "depth-" + d}));
        barChart(b, depthBars, "depths");

        b.append("<h2>Slowest pages</h2>\n<table id=slowest><tr><th>page</th><th class=num>ms</th><th class=num>status</th></tr>\n");
        report.pages().stream().sorted(Comparator.comparingLong(PageResult::fetchMillis).reversed()).limit(10)
                .forEach(p -> b.append("<tr><td class=url title=\"").append(esc(p.url())).append("\"><code>")
                        .append(esc(onSite(p.url(), origin))).append("</code></td><td class=num>")
                        .append(String.format(Locale.ROOT, "%,d", p.fetchMillis())).append("</td><td class=num>")
                        .append(p.hasResponse() ? p.status() : "-").append("</td></tr>\n"));
        b.append("</table>\n");

        b.append("<h2>Status codes by section</h2>\n<table id=sections><tr><th>section</th><th class=num>2xx</th>")
                .append("<th class=num>3xx</th><th class=num>4xx</th><th class=num>5xx</th><th class=num>none</th></tr>\n");
        SortedMap<String, long[]> sections = new TreeMap<>();
        for (PageResult p : report.pages()) {
            long[] row = sections.computeIfAbsent(section(p.url()), k -> new long[5]);
            row[p.hasResponse() ? Math.min(3, Math.max(0, p.status() / 100 - 2)) : 4]++;
        }
        sections.forEach((section, row) -> {
            b.append("<tr><td class=url title=\"").append(esc(section)).append("\"><code>").append(esc(section)).append("</code></td>");
            for (long n : row) {
                b.append("<td class=num>").append(String.format(Locale.ROOT, "%,d", n)).append("</td>");
            }
            b.append("</tr>\n");
        });
        b.append("</table>\n");
        if (!targets.isEmpty()) {
            b.append("<script>").append(SCRIPT).append("</script>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    /** One target: its verdict, the target (cut to the column, whole on hover), its links folded beneath it. */
    private static void row(StringBuilder b, LinkTarget t, boolean fails, String origin) {
        b.append("<tr class=row><td class='verdict").append(fails ? " fail" : "").append("'>").append(t.verdict().label())
                .append(t.status() == 0 ? "" : " " + t.status()).append("</td><td><div class=url title=\"")
                .append(esc(t.target())).append("\"><code>").append(esc(onSite(t.target(), origin)))
                .append("</code></div><details><summary>")
                .append(t.links().size() == 1 ? "linked from " + esc(onSite(t.links().getFirst().source(), origin))
                        + " line " + t.links().getFirst().line() : "where it is linked")
                .append("</summary><ul>");
        for (LinkCheck l : t.links().subList(0, Math.min(ROW_LINKS, t.links().size()))) {
            b.append("<li><code title=\"").append(esc(l.source())).append("\">").append(esc(onSite(l.source(), origin)))
                    .append("</code> line ").append(l.line());
            if (!l.text().isEmpty()) {
                b.append(" &ldquo;").append(esc(l.text())).append("&rdquo;");
            }
            b.append("</li>");
        }
        if (t.links().size() > ROW_LINKS) {
            b.append("<li>and ").append(CheckFormat.count(t.links().size() - ROW_LINKS, "more link"))
                    .append(" (the CSV and JSONL reports list every one)</li>");
        }
        b.append("</ul></details></td><td class=num>").append(String.format(Locale.ROOT, "%,d", t.links().size()))
                .append("</td><td class='num pages'>").append(String.format(Locale.ROOT, "%,d", t.pages()))
                .append("</td><td class=why>").append(esc(t.detail())).append("</td></tr>\n");
    }

    /** The listed targets as CSV: target, verdict, status, links, pages, the first page linking and its line. */
    private static String csv(List<LinkTarget> targets) {
        StringBuilder b = new StringBuilder("target,verdict,status,links,pages,first_page,first_line,detail\r\n");
        for (LinkTarget t : targets) {
            LinkCheck first = t.links().getFirst();
            b.append(String.join(",", CheckFormat.csv(t.target()), t.verdict().label(),
                    t.status() == 0 ? "" : Integer.toString(t.status()), Integer.toString(t.links().size()),
                    Long.toString(t.pages()), CheckFormat.csv(first.source()), Integer.toString(first.line()),
                    CheckFormat.csv(t.detail()))).append("\r\n");
        }
        return b.toString();
    }

    /** The scheme, host and port of a URL: {@code http://example.com:8080}. */
    private static String origin(String url) {
        WebUrl u = WebUrl.parse(url);
        return u == null ? url : (u.tls() ? "https://" : "http://") + u.hostPort();
    }

    /** A URL on the checked site as its path ({@code /docs/a.html}), for narrow columns; any other as it is. */
    private static String onSite(String url, String origin) {
        return origin != null && url.startsWith(origin + "/") ? url.substring(origin.length()) : url;
    }

    private static void card(StringBuilder b, String id, String label, long n) {
        b.append("<div class=card><b id=total-").append(id).append('>').append(String.format(Locale.ROOT, "%,d", n))
                .append("</b>").append(label).append("</div>\n");
    }

    /** A horizontal bar chart: label, count, and an id for the count. */
    private static void barChart(StringBuilder b, List<String[]> bars, String id) {
        long max = 1;
        for (String[] bar : bars) {
            max = Math.max(max, Long.parseLong(bar[1]));
        }
        int height = 22 * bars.size() + 4;
        b.append("<svg id=").append(id).append(" width=640 height=").append(height).append(" viewBox='0 0 640 ")
                .append(height).append("' role=img>\n");
        for (int i = 0; i < bars.size(); i++) {
            String[] bar = bars.get(i);
            long n = Long.parseLong(bar[1]);
            int y = 22 * i + 2;
            int w = (int) Math.round(420.0 * n / max);
            b.append("<text x=0 y=").append(y + 15).append('>').append(esc(bar[0])).append("</text>")
                    .append("<rect x=120 y=").append(y + 2).append(" width=").append(w).append(" height=16 fill=#4a78c2></rect>")
                    .append("<text id=").append(bar[2]).append(" x=").append(126 + w).append(" y=").append(y + 15).append('>')
                    .append(String.format(Locale.ROOT, "%,d", n)).append("</text>\n");
        }
        b.append("</svg>\n");
    }

    /** The first path segment: {@code /blog/2024/post} is in {@code /blog}. */
    private static String section(String url) {
        WebUrl u = WebUrl.parse(url);
        String p = u == null ? "/" : u.pathAndQuery();
        int query = p.indexOf('?');
        p = query < 0 ? p : p.substring(0, query);
        int next = p.indexOf('/', 1);
        return next < 0 ? "/" : p.substring(0, next);
    }

    private static String esc(String s) {
        return CheckFormat.xml(s == null ? "" : s);
    }
}
