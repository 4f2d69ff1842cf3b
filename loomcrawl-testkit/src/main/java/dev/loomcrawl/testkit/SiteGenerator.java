package dev.loomcrawl.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a seeded synthetic website and its ground truth. The same settings give the same site.
 *
 * <p>Pages link to each other in every style a crawler must understand (relative, root-relative, absolute,
 * {@code ./} and {@code ../} forms, with fragments, with query variants), and to 404s, non-HTML files, external
 * hosts, {@code mailto:} and {@code javascript:} URLs. Each page also hides "trap" links in a comment, a script
 * and an image: a crawler that requests a trap path is wrong. About 1% of pages are orphans no link reaches.
 *
 * <p>The ground truth comes from the link graph the generator built, not from parsing its HTML: the reachable
 * in-scope URLs in the order a serial breadth-first crawl reports them, with depth and parent.
 */
public final class SiteGenerator {

    /**
     * Settings.
     *
     * @param pages how many HTML pages, 1 and up
     * @param seed the random seed
     * @param minLinks the fewest links on a page
     * @param maxLinks the most links on a page
     * @param pageBytes the approximate size of a page, filled with text
     * @param depthTarget about how deep the breadth-first tree gets
     */
    public record Settings(int pages, long seed, int minLinks, int maxLinks, int pageBytes, int depthTarget) {
        public Settings {
            if (pages < 1) {
                throw new IllegalArgumentException("pages must be 1 or more, was " + pages);
            }
            if (minLinks < 1 || maxLinks < minLinks) {
                throw new IllegalArgumentException("links must satisfy 1 <= minLinks <= maxLinks");
            }
            if (depthTarget < 1) {
                throw new IllegalArgumentException("depthTarget must be 1 or more");
            }
        }

        public static Settings of(int pages, long seed) {
            return new Settings(pages, seed, 5, 25, 2_000, 8);
        }

        public Settings pageBytes(int bytes) {
            return new Settings(pages, seed, minLinks, maxLinks, bytes, depthTarget);
        }

        public Settings links(int min, int max) {
            return new Settings(pages, seed, min, max, pageBytes, depthTarget);
        }
    }

    /** One URL of the expected output. */
    public record ExpectedPage(String url, int depth, String parent) {}

    /**
     * A generated site.
     *
     * @param resources what the server serves, by path
     * @param startUrl the URL to crawl from
     * @param expected the reachable in-scope URLs in serial breadth-first order
     * @param trapPaths paths that only comments, scripts and images name: never to be requested
     */
    public record Site(Map<String, Resource> resources, String startUrl, List<ExpectedPage> expected,
                       Set<String> trapPaths) {

        public Set<String> expectedUrls() {
            Set<String> urls = new LinkedHashSet<>();
            expected.forEach(p -> urls.add(p.url()));
            return urls;
        }

        public int bfsDepth() {
            return expected.stream().mapToInt(ExpectedPage::depth).max().orElse(0);
        }
    }

    private static final String[] WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
            + "tempor incididunt ut labore et dolore magna aliqua crawler frontier politeness robots sitemap "
            + "anchor fragment canonical redirect latency").split(" ");

    private SiteGenerator() {}

    /** Generates the site whose absolute links use {@code baseUrl} (such as {@code http://127.0.0.1:8080}). */
    public static Site generate(Settings s, String baseUrl) {
        Random rng = new Random(s.seed());
        int n = s.pages();
        int window = Math.max(1, (n + s.depthTarget() - 1) / s.depthTarget());
        Set<Integer> orphans = new HashSet<>();
        for (int i = 1; i < n; i++) {
            if (rng.nextInt(100) == 0) {
                orphans.add(i);
            }
        }
        int assets = Math.max(2, n / 20);
        int missing = Math.max(2, n / 50);
        Map<String, Resource> resources = new HashMap<>();
        for (int k = 0; k < assets; k++) {
            resources.put(assetPath(k), k % 2 == 0
                    ? Resource.of(200, "application/pdf", ("%PDF-1.4 stub " + k).getBytes(StandardCharsets.US_ASCII))
                    : Resource.of(200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}));
        }
        Map<String, List<String>> graph = new HashMap<>(); // target (path or path?query) -> targets it links to
        Set<String> traps = new HashSet<>();
        List<String> queryVariants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> targets = new ArrayList<>();
            targets.add("/");
            if (i > 0 && !orphans.contains(i - 1)) {
                targets.add(pagePath(i - 1));
            }
            if (i + 1 < n && !orphans.contains(i + 1)) {
                targets.add(pagePath(i + 1));
            }
            int links = s.minLinks() + rng.nextInt(s.maxLinks() - s.minLinks() + 1);
            for (int l = 0; l < links; l++) {
                int r = rng.nextInt(100);
                if (r < 90) {
                    int j = pickPage(rng, i, n, window, orphans);
                    String t = pagePath(j);
                    if (rng.nextInt(200) == 0) {
                        t = t + "?ref=" + rng.nextInt(3);
                        queryVariants.add(t);
                    }
                    targets.add(t);
                } else if (r < 96) {
                    targets.add(assetPath(rng.nextInt(assets)));
                } else {
                    targets.add(missingPath(rng.nextInt(missing)));
                }
            }
            graph.put(pagePath(i), List.copyOf(new LinkedHashSet<>(targets)));
            resources.put(pagePath(i), Resource.html(render(rng, s, i, n, targets, baseUrl, traps)));
        }
        resources.put("/index.html", resources.get("/"));
        for (String q : queryVariants) {
            graph.put(q, graph.get(q.substring(0, q.indexOf('?'))));
        }
        return new Site(resources, baseUrl + "/", expected(baseUrl, graph), Set.copyOf(traps));
    }

    private static int pickPage(Random rng, int i, int n, int window, Set<Integer> orphans) {
        for (int attempt = 0; attempt < 20; attempt++) {
            int j;
            if (rng.nextBoolean() && i < n - 1) {
                j = i + 1 + rng.nextInt(Math.min(window, n - 1 - i));
            } else if (i > 0) {
                j = rng.nextInt(i);
            } else {
                j = 1 + rng.nextInt(Math.max(1, Math.min(window, n - 1)));
                j = Math.min(j, n - 1);
            }
            if (!orphans.contains(j)) {
                return j;
            }
        }
        return 0;
    }

    static String pagePath(int i) {
        return i == 0 ? "/" : "/s" + (i % 8) + "/p" + i + ".html";
    }

    private static String assetPath(int k) {
        return k % 2 == 0 ? "/files/doc" + k + ".pdf" : "/img/pic" + k + ".png";
    }

    private static String missingPath(int k) {
        return k % 2 == 0 ? "/s" + (k % 8) + "/gone" + k + ".html" : "/nope/x" + k + ".html";
    }

    /** The serial breadth-first crawl over the graph: leaves (assets, 404s) have no links. */
    private static List<ExpectedPage> expected(String base, Map<String, List<String>> graph) {
        List<ExpectedPage> out = new ArrayList<>();
        ArrayDeque<ExpectedPage> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(new ExpectedPage(base + "/", 0, null));
        seen.add("/");
        while (!queue.isEmpty()) {
            ExpectedPage p = queue.poll();
            out.add(p);
            String target = p.url().substring(base.length());
            for (String next : graph.getOrDefault(target, List.of())) {
                if (seen.add(next)) {
                    queue.add(new ExpectedPage(base + next, p.depth() + 1, p.url()));
                }
            }
        }
        return out;
    }

    /** An href for {@code target} as seen from {@code from}, in a random style; the fragment is added later. */
    private static String href(Random rng, String from, String target, String base) {
        int style = rng.nextInt(10);
        if (style < 4) {
            return relative(from, target);
        }
        if (style < 5) {
            String rel = relative(from, target);
            return rel.startsWith(".") ? rel : "./" + rel;
        }
        if (style < 8) {
            return target;
        }
        return base + target;
    }

    private static String relative(String from, String target) {
        String fromDir = from.substring(0, from.lastIndexOf('/') + 1);
        if (target.equals("/")) {
            return fromDir.equals("/") ? "./" : "../";
        }
        if (fromDir.equals("/")) {
            return target.substring(1);
        }
        String targetDir = target.substring(0, target.lastIndexOf('/') + 1);
        if (targetDir.equals(fromDir)) {
            return target.substring(fromDir.length());
        }
        return ".." + target;
    }

    private static String render(Random rng, Settings s, int i, int n, List<String> targets, String base, Set<String> traps) {
        String from = pagePath(i);
        StringBuilder html = new StringBuilder(s.pageBytes() + 2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Page ").append(i)
                .append("</title>\n<link rel=\"stylesheet\" href=\"/trap/style").append(i).append(".css\">\n")
                .append("<script>var next = \"<a href='/trap/script").append(i).append(".html'>x</a>\";</script>\n")
                .append("</head>\n<body><a id=\"top\"></a>\n<!-- <a href=\"/trap/comment").append(i)
                .append(".html\">old</a> -->\n<main><h1>Synthetic page ").append(i).append("</h1>\n");
        traps.add("/trap/style" + i + ".css");
        traps.add("/trap/script" + i + ".html");
        traps.add("/trap/comment" + i + ".html");
        traps.add("/trap/img" + i + ".png");
        html.append("<p><img src=\"/trap/img").append(i).append(".png\" alt=\"figure\"> ");
        html.append("<a href=\"mailto:web@example.com\">mail</a> <a href=\"javascript:void(0)\">js</a> ");
        html.append("<a href=\"http://external-").append(rng.nextInt(5)).append(".invalid/page").append(i)
                .append(".html\">elsewhere</a> <a href=\"#top\">top</a></p>\n");
        int perParagraph = Math.max(1, targets.size() * 400 / Math.max(400, s.pageBytes()));
        int t = 0;
        while (t < targets.size() || html.length() < s.pageBytes()) {
            html.append("<p>");
            for (int w = 0; w < 40; w++) {
                html.append(WORDS[rng.nextInt(WORDS.length)]).append(' ');
            }
            for (int k = 0; k < perParagraph && t < targets.size(); k++, t++) {
                String h = href(rng, from, targets.get(t), base);
                if (rng.nextInt(10) == 0) {
                    h += "#sec-" + rng.nextInt(9);
                }
                String quote = rng.nextInt(20) == 0 ? "'" : "\"";
                html.append(" <a href=").append(quote).append(h.replace("&", "&amp;")).append(quote)
                        .append(">item ").append(t).append("</a>");
            }
            html.append("</p>\n");
        }
        html.append("</main>\n<footer>Page ").append(i).append(" of ").append(n).append("</footer></body></html>\n");
        return html.toString();
    }
}
