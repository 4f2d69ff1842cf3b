package dev.loomcrawl.output;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The check as one self-contained HTML page (no network, no CDN): summary numbers, the verdict breakdown, links
 * that are not ok grouped under their page with line and anchor text, redirect chains, a depth histogram, the slowest pages, status
 * codes by site section, with inline SVG charts and a filter box. Charts are drawn here, not in the browser, so
 * the page shows its numbers even without script.
 */
final class HtmlReport {

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
            .num{text-align:right}.fail{color:#b00020;font-weight:600}.cards{display:flex;gap:12px;flex-wrap:wrap}
            .card{border:1px solid #ccc;border-radius:6px;padding:8px 14px}.card b{display:block;font-size:22px}
            input{font-size:14px;padding:4px 8px;width:320px}code{word-break:break-all}svg text{font:12px system-ui,sans-serif}
            """;

    private static final String SCRIPT = """
            document.getElementById('filter').addEventListener('input', function (e) {
              var q = e.target.value.toLowerCase();
              var shown = 0;
              document.querySelectorAll('tr.row').forEach(function (tr) {
                var hit = (tr.textContent + ' ' + tr.dataset.url).toLowerCase().indexOf(q) >= 0;
                tr.style.display = hit ? '' : 'none';
                if (hit) { shown++; }
              });
              document.getElementById('shown').textContent = shown;
              document.querySelectorAll('tr.page').forEach(function (head) {
                var rows = document.querySelectorAll('tr.row[data-page="' + head.dataset.page + '"]');
                var any = Array.prototype.some.call(rows, function (tr) { return tr.style.display !== 'none'; });
                head.style.display = any ? '' : 'none';
              });
            });
            var asked = new URLSearchParams(location.search).get('q');
            if (asked) {
              var box = document.getElementById('filter');
              box.value = asked;
              box.dispatchEvent(new Event('input'));
            }
            """;

    private HtmlReport() {}

    static String render(CheckReport report, Set<Verdict> failing) {
        StringBuilder b = new StringBuilder(16384);
        String start = report.crawl().startUrl();
        Map<Verdict, Long> counts = report.counts();
        long failed = report.failing(failing).size();
        b.append("<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>loomcrawl report: ").append(esc(start))
                .append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        b.append("<h1>loomcrawl report for <code>").append(esc(start)).append("</code></h1>\n<div class=cards>\n");
        card(b, "pages", "pages", report.crawl().pages());
        card(b, "links", "links", report.links().size());
        card(b, "failing", "failing", failed);
        card(b, "external", "external URLs checked", report.externalChecked());
        b.append("<div class=card><b>").append(String.format(Locale.ROOT, "%.1f s", report.crawl().elapsed().toMillis() / 1000.0))
                .append("</b>crawl time</div>\n</div>\n");

        b.append("<h2>Verdicts</h2>\n");
        List<String[]> bars = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            bars.add(new String[] {v.label(), Long.toString(counts.getOrDefault(v, 0L)), "count-" + v.label()});
        }
        barChart(b, bars, "verdicts");

        b.append("<h2>Links that are not ok</h2>\n<p><input id=filter type=search placeholder='Filter by page, link, text or verdict'> ")
                .append("<span id=shown>").append(report.links().stream().filter(l -> l.verdict() != Verdict.OK).count())
                .append("</span> shown</p>\n<table id=problems><thead><tr><th class=num>line</th><th>link</th>")
                .append("<th>text</th><th>verdict</th><th>why</th></tr></thead><tbody>\n");
        String page = null;
        int pageIndex = -1;
        for (LinkCheck l : report.links()) {
            if (l.verdict() == Verdict.OK) {
                continue;
            }
            if (!l.source().equals(page)) {
                page = l.source();
                pageIndex++;
                b.append("<tr class=page data-page=").append(pageIndex).append("><th colspan=5>on <code>")
                        .append(esc(page)).append("</code></th></tr>\n");
            }
            b.append("<tr class=row data-page=").append(pageIndex).append(" data-url=\"").append(esc(page)).append("\"><td class=num>")
                    .append(l.line())
                    .append("</td><td><code>").append(esc(l.href())).append("</code></td><td>").append(esc(l.text()))
                    .append("</td><td").append(failing.contains(l.verdict()) ? " class=fail" : "").append('>')
                    .append(l.verdict().label()).append(l.status() == 0 ? "" : " " + l.status()).append("</td><td>")
                    .append(esc(l.detail())).append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");

        b.append("<h2>Redirect chains</h2>\n<ul id=redirects>\n");
        report.links().stream().filter(l -> l.verdict() == Verdict.REDIRECTED).map(LinkCheck::detail).distinct()
                .forEach(chain -> b.append("<li><code>").append(esc(chain)).append("</code></li>\n"));
        b.append("</ul>\n");

        b.append("<h2>Pages by depth</h2>\n");
        SortedMap<Integer, Long> depths = new TreeMap<>();
        report.pages().forEach(p -> depths.merge(p.depth(), 1L, Long::sum));
        List<String[]> depthBars = new ArrayList<>();
        depths.forEach((d, n) -> depthBars.add(new String[] {"depth " + d, Long.toString(n), "depth-" + d}));
        barChart(b, depthBars, "depths");

        b.append("<h2>Slowest pages</h2>\n<table id=slowest><tr><th>page</th><th class=num>ms</th><th class=num>status</th></tr>\n");
        report.pages().stream().sorted(Comparator.comparingLong(PageResult::fetchMillis).reversed()).limit(10)
                .forEach(p -> b.append("<tr><td><code>").append(esc(p.url())).append("</code></td><td class=num>")
                        .append(p.fetchMillis()).append("</td><td class=num>").append(p.hasResponse() ? p.status() : "-")
                        .append("</td></tr>\n"));
        b.append("</table>\n");

        b.append("<h2>Status codes by section</h2>\n<table id=sections><tr><th>section</th><th class=num>2xx</th>")
                .append("<th class=num>3xx</th><th class=num>4xx</th><th class=num>5xx</th><th class=num>no response</th></tr>\n");
        SortedMap<String, long[]> sections = new TreeMap<>();
        for (PageResult p : report.pages()) {
            long[] row = sections.computeIfAbsent(section(p.url()), k -> new long[5]);
            row[p.hasResponse() ? Math.min(3, Math.max(0, p.status() / 100 - 2)) : 4]++;
        }
        sections.forEach((section, row) -> {
            b.append("<tr><td><code>").append(esc(section)).append("</code></td>");
            for (long n : row) {
                b.append("<td class=num>").append(n).append("</td>");
            }
            b.append("</tr>\n");
        });
        b.append("</table>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
        return b.toString();
    }

    private static void card(StringBuilder b, String id, String label, long n) {
        b.append("<div class=card><b id=total-").append(id).append('>').append(n).append("</b>").append(label).append("</div>\n");
    }

    /** A horizontal bar chart: label, count, and an id for the count. */
    private static void barChart(StringBuilder b, List<String[]> bars, String id) {
        long max = 1;
        for (String[] bar : bars) {
            max = Math.max(max, Long.parseLong(bar[1]));
        }
        int height = 22 * bars.size() + 4;
        b.append("<svg id=").append(id).append(" width=640 height=").append(height).append(" role=img>\n");
        for (int i = 0; i < bars.size(); i++) {
            String[] bar = bars.get(i);
            long n = Long.parseLong(bar[1]);
            int y = 22 * i + 2;
            int w = (int) Math.round(420.0 * n / max);
            b.append("<text x=0 y=").append(y + 15).append('>').append(esc(bar[0])).append("</text>")
                    .append("<rect x=120 y=").append(y + 2).append(" width=").append(w).append(" height=16 fill=#4a78c2></rect>")
                    .append("<text id=").append(bar[2]).append(" x=").append(126 + w).append(" y=").append(y + 15).append('>')
                    .append(n).append("</text>\n");
        }
        b.append("</svg>\n");
    }

    /** The first path segment: {@code /blog/2024/post} is in {@code /blog}. */
    private static String section(String url) {
        int path = url.indexOf('/', url.indexOf("://") + 3);
        if (path < 0) {
            return "/";
        }
        int query = url.indexOf('?', path);
        String p = query < 0 ? url.substring(path) : url.substring(path, query);
        int next = p.indexOf('/', 1);
        return next < 0 ? "/" : p.substring(0, next);
    }

    private static String esc(String s) {
        return CheckFormat.xml(s == null ? "" : s);
    }
}
