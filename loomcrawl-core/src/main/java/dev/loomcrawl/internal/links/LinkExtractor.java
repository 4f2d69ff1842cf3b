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

    /** How much of a page is read: each level reads what the one before it does, and more. */
    public enum Reading {
        /** The links to follow and the robots directives. */
        LINKS,
        /** Also each link's anchor text, as a crawl with a store keeps it. */
        TEXTS,
        /** Also every link as it stands (line, element, text) and the page's anchors, as a link checker needs. */
        OCCURRENCES,
        /** As {@link #OCCURRENCES}, with the resources the page loads (images, scripts, stylesheets, media). */
        OCCURRENCES_AND_RESOURCES
    }

    /** The longest anchor text kept, in characters. */
    static final int MAX_TEXT = 200;
    /** The most source read for one anchor's text, when its end tag is far or missing. */
    static final int MAX_ANCHOR_SOURCE = 4000;
    /** The {@code link} relations that lead a person to another page. */
    static final Set<String> NAVIGABLE_RELS = Set.of("next", "prev", "alternate", "canonical");

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
        return extract(pageUrl, html, null, 0, null, Reading.LINKS).links();
    }

    /** The links of a page, their texts, and what it says about following them, from raw bytes as {@link #links}. */
    public static PageLinks extract(String pageUrl, byte[] body, int length, String contentType) {
        return extract(pageUrl, body, length, contentType, Reading.TEXTS);
    }

    /**
     * As {@link #extract(String, byte[], int, String)}, reading as much as {@code reading} asks: a crawl that keeps
     * nothing of the texts need not pay for them, and only a link checker needs the occurrences.
     */
    public static PageLinks extract(String pageUrl, byte[] body, int length, String contentType, Reading reading) {
        Charset charset = HtmlCharset.detect(body, length, contentType);
        int skip = HtmlCharset.bomLength(body, length);
        if (HtmlCharset.isAsciiCompatible(charset)) {
            String html = new String(body, skip, length - skip, StandardCharsets.ISO_8859_1);
            return extract(pageUrl, html, body, skip, charset, reading);
        }
        return extract(pageUrl, new String(body, skip, length - skip, charset), null, 0, null, reading);
    }

    private static PageLinks extract(String pageUrl, String html, byte[] bytes, int offset, Charset bytesCharset,
                                     Reading reading) {
        boolean occurrences = reading.compareTo(Reading.OCCURRENCES) >= 0;
        PageScan scan = new PageScan(html, bytesCharset, reading != Reading.LINKS, occurrences,
                reading == Reading.OCCURRENCES_AND_RESOURCES);
        HtmlScanner.scan(html, bytes, offset, bytesCharset, scan.wanted(), scan);
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
        PageOccurrences found = occurrences ? occurrences(scan, resolver) : null;
        if (reading == Reading.LINKS) {
            return new PageLinks(resolveAll(resolver, scan.hrefs), nofollow, scan.robots[0], scan.robots[1], List.of(),
                    null);
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
                List.copyOf(links.values()), found);
    }

    /**
     * Every link the scan found as it stands, resolved: an empty href is the page itself (its base), and one of
     * another scheme ({@code mailto:}, {@code file:}) has no http(s) URL, as a malformed one has none.
     */
    private static PageOccurrences occurrences(PageScan scan, UrlNormalizer.Resolver resolver) {
        List<LinkOccurrence> links = new ArrayList<>(scan.found.size());
        for (PageScan.Found f : scan.found) {
            String trimmed = f.href.strip();
            int hash = trimmed.indexOf('#');
            String fragment = hash < 0 || hash == trimmed.length() - 1 ? null : trimmed.substring(hash + 1);
            links.add(new LinkOccurrence(f.href, resolver.resolve(trimmed), fragment, f.text, f.line, f.element,
                    f.resource));
        }
        return new PageOccurrences(links, scan.anchors);
    }

    /** Whitespace runs as one space, trimmed, cut at {@value #MAX_TEXT} characters. */
    static String collapse(String s) {
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
    static void readRobots(Attributes attributes, boolean[] robots) {
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
