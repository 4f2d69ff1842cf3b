package dev.loomcrawl.internal.links;

import dev.loomcrawl.internal.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    /** The longest anchor text kept, in characters. */
    static final int MAX_TEXT = 200;
    /** The most source read for one anchor's text, when its end tag is far or missing. */
    private static final int MAX_ANCHOR_SOURCE = 4000;
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
        return extract(pageUrl, html, null, 0, null, false).links();
    }

    /** The links of a page and what it says about following them, from raw bytes as {@link #links}. */
    public static PageLinks extract(String pageUrl, byte[] body, int length, String contentType) {
        return extract(pageUrl, body, length, contentType, true);
    }

    /**
     * As {@link #extract(String, byte[], int, String)}; without {@code texts}, every anchor text is empty (reading
     * them costs a little per link, which a crawl that keeps nothing of them need not pay).
     */
    public static PageLinks extract(String pageUrl, byte[] body, int length, String contentType, boolean texts) {
        Charset charset = HtmlCharset.detect(body, length, contentType);
        int skip = HtmlCharset.bomLength(body, length);
        if (HtmlCharset.isAsciiCompatible(charset)) {
            String html = new String(body, skip, length - skip, StandardCharsets.ISO_8859_1);
            return extract(pageUrl, html, body, skip, charset, texts);
        }
        return extract(pageUrl, new String(body, skip, length - skip, charset), null, 0, null, texts);
    }

    private static PageLinks extract(String pageUrl, String html, byte[] bytes, int offset, Charset bytesCharset,
                                     boolean texts) {
        PageScan scan = new PageScan(html, bytesCharset, texts);
        HtmlScanner.scan(html, bytes, offset, bytesCharset, TAGS, scan);
        scan.closeAnchor(html.length()); // an a left open ends with the page
        String baseUrl = pageUrl;
        if (scan.base != null) {
            String resolved = UrlNormalizer.resolve(pageUrl, scan.base);
            if (resolved != null) {
                baseUrl = resolved;
            }
        }
        UrlNormalizer.Resolver resolver = UrlNormalizer.against(baseUrl);
        List<String> nofollow = scan.nofollowHrefs.isEmpty() ? List.of() : resolveAll(resolver, scan.nofollowHrefs);
        if (!texts) {
            return new PageLinks(resolveAll(resolver, scan.hrefs), nofollow, scan.robots[0], scan.robots[1], List.of());
        }
        Map<String, String> links = new LinkedHashMap<>(); // each URL once, in order, with its first text
        for (int i = 0; i < scan.hrefs.size(); i++) {
            String url = resolver.resolve(scan.hrefs.get(i));
            if (url != null) {
                String text = scan.texts.get(i);
                links.merge(url, text, (first, later) -> first.isEmpty() ? later : first);
            }
        }
        return new PageLinks(List.copyOf(links.keySet()), nofollow, scan.robots[0], scan.robots[1],
                List.copyOf(links.values()));
    }

    /** What one scan of a page collects: hrefs in order with their anchor texts, the base, robots directives. */
    private static final class PageScan implements HtmlScanner.TagHandler {
        final List<String> hrefs = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final List<String> nofollowHrefs = new ArrayList<>(0);
        final boolean[] robots = new boolean[2]; // noindex, nofollow
        String base;
        /** Where the open {@code a}'s content starts, or -1; and its href's index. */
        int anchorStart = -1;
        int anchorIndex;
        private final String html;
        private final Charset bytesCharset;
        private final boolean withTexts;

        PageScan(String html, Charset bytesCharset, boolean withTexts) {
            this.html = html;
            this.bytesCharset = bytesCharset;
            this.withTexts = withTexts;
        }

        @Override
        public void tag(String name, Attributes attributes, int start, int end) {
            if (name.equals("a")) {
                closeAnchor(start); // an a inside an a ends the first, as in a browser
            }
            String href = switch (name) {
                case "a", "area" -> attributes.value("href");
                case "iframe", "frame" -> attributes.value("src");
                case "link" -> hasAnyToken(attributes.value("rel"), NAVIGABLE_RELS) ? attributes.value("href") : null;
                case "meta" -> {
                    readRobots(attributes, robots);
                    yield refreshTarget(attributes.value("http-equiv"), attributes.value("content"));
                }
                case "base" -> {
                    if (base == null) {
                        base = attributes.value("href");
                    }
                    yield null;
                }
                default -> null;
            };
            if (href == null) {
                return;
            }
            hrefs.add(href);
            if (withTexts) {
                String alt = name.equals("area") ? attributes.value("alt") : null;
                texts.add(alt == null ? "" : collapse(alt));
            }
            if ((name.equals("a") || name.equals("area")) && hasAnyToken(attributes.value("rel"), NOFOLLOW)) {
                nofollowHrefs.add(href);
            }
            if (withTexts && name.equals("a")) {
                anchorStart = end;
                anchorIndex = texts.size() - 1;
            }
        }

        @Override
        public void endTag(String name, int start) {
            if (name.equals("a")) {
                closeAnchor(start);
            }
        }

        /** Ends the open {@code a} (if any) where its content ends, and keeps its text. */
        void closeAnchor(int end) {
            if (anchorStart < 0) {
                return;
            }
            int from = anchorStart;
            anchorStart = -1;
            if (end - from > MAX_ANCHOR_SOURCE) {
                end = from + MAX_ANCHOR_SOURCE;
            }
            texts.set(anchorIndex, anchorText(from, end));
        }

        /** The text of {@code html[from, end)}: tags left out, character references decoded, whitespace collapsed. */
        private String anchorText(int from, int end) {
            if (isPlainText(from, end)) {
                return html.substring(from, end); // most anchors ("next", "see item 4"): none of the passes below
            }
            StringBuilder b = new StringBuilder(Math.min(end - from, 256));
            boolean inTag = false;
            for (int i = from; i < end; i++) {
                char c = html.charAt(i);
                if (inTag) {
                    inTag = c != '>';
                } else if (c == '<') {
                    inTag = true; // inline markup (b, span, img) joins, as a browser shows it
                } else {
                    b.append(c);
                }
            }
            return collapse(Attributes.decoded(b.toString(), bytesCharset, false));
        }

        /**
         * Whether {@code html[from, end)} is its own text already: at most {@value #MAX_TEXT} characters of printable
         * ASCII with single spaces between words, so no tag to leave out, no reference to decode, nothing to collapse.
         */
        private boolean isPlainText(int from, int end) {
            if (end - from > MAX_TEXT) {
                return false;
            }
            boolean afterSpace = true; // a leading space is not plain
            for (int i = from; i < end; i++) {
                char c = html.charAt(i);
                if (c == ' ') {
                    if (afterSpace) {
                        return false;
                    }
                    afterSpace = true;
                } else if (c < '!' || c > '~' || c == '<' || c == '&') {
                    return false;
                } else {
                    afterSpace = false;
                }
            }
            return !afterSpace || end == from; // nor is a trailing one
        }
    }

    /** Whitespace runs as one space, trimmed, cut at {@value #MAX_TEXT} characters. */
    private static String collapse(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        boolean space = false;
        for (int i = 0; i < s.length() && b.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                space = b.length() > 0;
            } else {
                if (space) {
                    if (b.length() + 1 >= MAX_TEXT) {
                        break; // no trailing space at the cut
                    }
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
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
