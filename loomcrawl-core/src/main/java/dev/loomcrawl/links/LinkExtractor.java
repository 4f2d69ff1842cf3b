package dev.loomcrawl.links;

import dev.loomcrawl.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The links a person can navigate to from an HTML page, resolved and normalized, each once, in document order:
 * {@code a[href]}, {@code area[href]}, {@code iframe[src]}, {@code frame[src]}, {@code link[href]} whose
 * {@code rel} is {@code next}, {@code prev}, {@code alternate} or {@code canonical}, and the target of
 * {@code <meta http-equiv="refresh">}. Links resolve against the first {@code <base href>} (itself resolved
 * against the page URL) wherever it stands. Resources ({@code img}, {@code script}, stylesheets), script text and
 * comments give no links. Only http(s) links are returned.
 *
 * <p>A streaming scan, not a tree build: see {@code docs/benchmarks.md} for what it costs against jsoup, which
 * the tests use as the reference. Stateless and thread-safe.
 */
public final class LinkExtractor {

    private static final List<String> TAGS = List.of("a", "link", "meta", "base", "area", "iframe", "frame");
    /** The {@code link} relations that lead a person to another page. */
    static final Set<String> NAVIGABLE_RELS = Set.of("next", "prev", "alternate", "canonical");
    private static final Set<String> NOFOLLOW = Set.of("nofollow");

    private LinkExtractor() {}

    /**
     * Links of a page given as raw bytes and the response's Content-Type header (for the charset). In an
     * ASCII-compatible charset the markup is scanned in its bytes and only attribute values are decoded.
     */
    public static List<String> links(String pageUrl, byte[] body, int length, String contentType) {
        return extract(pageUrl, body, length, contentType).links();
    }

    /** Links of a page given as text. */
    public static List<String> links(String pageUrl, String html) {
        return extract(pageUrl, html, null, 0, null).links();
    }

    /** The links of a page and what it says about following them, from raw bytes as {@link #links}. */
    public static PageLinks extract(String pageUrl, byte[] body, int length, String contentType) {
        Charset charset = HtmlCharset.detect(body, length, contentType);
        int skip = HtmlCharset.bomLength(body, length);
        if (HtmlCharset.isAsciiCompatible(charset)) {
            String html = new String(body, skip, length - skip, StandardCharsets.ISO_8859_1);
            return extract(pageUrl, html, body, skip, charset);
        }
        return extract(pageUrl, new String(body, skip, length - skip, charset), null, 0, null);
    }

    private static PageLinks extract(String pageUrl, String html, byte[] bytes, int offset, Charset bytesCharset) {
        List<String> hrefs = new ArrayList<>();
        List<String> nofollowHrefs = new ArrayList<>(0);
        String[] base = new String[1];
        boolean[] robots = new boolean[2]; // noindex, nofollow
        HtmlScanner.scan(html, bytes, offset, bytesCharset, TAGS, (name, attributes) -> {
            String href = switch (name) {
                case "a", "area" -> attributes.value("href");
                case "iframe", "frame" -> attributes.value("src");
                case "link" -> hasAnyToken(attributes.value("rel"), NAVIGABLE_RELS) ? attributes.value("href") : null;
                case "meta" -> {
                    readRobots(attributes, robots);
                    yield refreshTarget(attributes.value("http-equiv"), attributes.value("content"));
                }
                case "base" -> {
                    if (base[0] == null) {
                        base[0] = attributes.value("href");
                    }
                    yield null;
                }
                default -> null;
            };
            if (href != null) {
                hrefs.add(href);
                if ((name.equals("a") || name.equals("area")) && hasAnyToken(attributes.value("rel"), NOFOLLOW)) {
                    nofollowHrefs.add(href);
                }
            }
        });
        String baseUrl = pageUrl;
        if (base[0] != null) {
            String resolved = UrlNormalizer.resolve(pageUrl, base[0]);
            if (resolved != null) {
                baseUrl = resolved;
            }
        }
        UrlNormalizer.Resolver resolver = UrlNormalizer.against(baseUrl);
        List<String> nofollow = nofollowHrefs.isEmpty() ? List.of() : resolveAll(resolver, nofollowHrefs);
        return new PageLinks(resolveAll(resolver, hrefs), nofollow, robots[0], robots[1]);
    }

    /** The http(s) URLs the hrefs resolve to, each once, in order. */
    private static List<String> resolveAll(UrlNormalizer.Resolver resolver, List<String> hrefs) {
        Set<String> urls = new LinkedHashSet<>();
        for (String href : hrefs) {
            String url = resolver.resolve(href);
            if (url != null) {
                urls.add(url);
            }
        }
        return List.copyOf(urls);
    }

    /** {@code <meta name="robots" content="noindex, nofollow">}, also under the name {@code loomcrawl}. */
    private static void readRobots(Attributes attributes, boolean[] robots) {
        String name = attributes.value("name");
        if (name == null) {
            return;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("robots") || n.equals("loomcrawl")) {
            RobotsDirectives d = RobotsDirectives.parse(attributes.value("content"));
            robots[0] |= d.noindex();
            robots[1] |= d.nofollow();
        }
    }

    /** Whether a space-separated list such as a {@code rel} value holds one of {@code tokens} (any case). */
    static boolean hasAnyToken(String list, Set<String> tokens) {
        if (list == null) {
            return false;
        }
        for (String t : list.toLowerCase(Locale.ROOT).split("[ \t\n\f\r]+")) {
            if (tokens.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** The URL in {@code <meta http-equiv="refresh" content="5; url=target">}, or null. */
    static String refreshTarget(String equiv, String content) {
        if (equiv == null || content == null || !equiv.trim().equalsIgnoreCase("refresh")) {
            return null;
        }
        int i = 0;
        int n = content.length();
        while (i < n && Character.isWhitespace(content.charAt(i))) {
            i++;
        }
        while (i < n && (Character.isDigit(content.charAt(i)) || content.charAt(i) == '.')) {
            i++;
        }
        while (i < n && Character.isWhitespace(content.charAt(i))) {
            i++;
        }
        if (i >= n || (content.charAt(i) != ';' && content.charAt(i) != ',')) {
            return null;
        }
        i++;
        while (i < n && Character.isWhitespace(content.charAt(i))) {
            i++;
        }
        if (content.regionMatches(true, i, "url", 0, 3)) {
            int j = i + 3;
            while (j < n && Character.isWhitespace(content.charAt(j))) {
                j++;
            }
            if (j < n && content.charAt(j) == '=') {
                i = j + 1;
                while (i < n && Character.isWhitespace(content.charAt(i))) {
                    i++;
                }
            }
        }
        if (i >= n) {
            return null;
        }
        char q = content.charAt(i);
        if (q == '"' || q == '\'') {
            int close = content.indexOf(q, i + 1);
            return content.substring(i + 1, close < 0 ? n : close);
        }
        return content.substring(i).trim();
    }
}
