package dev.loomcrawl.internal.links;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one scan of a page collects: the navigable hrefs in order with their anchor texts, the base, the robots
 * directives; and, when the page is read for a link checker, every link-bearing attribute with its line, element
 * and text, and the page's anchors. One scan serves the crawl and the checker alike. Not thread-safe: one per page.
 */
final class PageScan implements HtmlScanner.TagHandler {

    /** The start tags the crawl's links come from. */
    static final List<String> LINK_TAGS = List.of("a", "link", "meta", "base", "area", "iframe", "frame");
    /** The {@code link} relations of resources a page loads or points browsers at. */
    private static final Set<String> LOADED_RELS = Set.of("stylesheet", "icon", "apple-touch-icon",
            "apple-touch-icon-precomposed", "mask-icon", "manifest", "preload", "prefetch", "modulepreload", "search");
    private static final Set<String> NOFOLLOW = Set.of("nofollow");

    /** One link-bearing attribute as it stands; its text is filled in when its element ends. */
    static final class Found {
        final String href;
        final String element;
        final int line;
        final boolean resource;
        String text;

        Found(String href, String element, int line, boolean resource, String text) {
            this.href = href;
            this.element = element;
            this.line = line;
            this.resource = resource;
            this.text = text;
        }
    }

    final List<String> hrefs = new ArrayList<>();
    final List<String> texts = new ArrayList<>();
    final List<String> nofollowHrefs = new ArrayList<>(0);
    final boolean[] robots = new boolean[2]; // noindex, nofollow
    String base;
    /** With occurrences: every link-bearing attribute in order, and the anchors. */
    final List<Found> found;
    final Set<String> anchors;

    private final String html;
    private final Charset bytesCharset;
    private final boolean withTexts;
    private final boolean resources;
    /** Where the open {@code a}'s content starts, or -1; its href's index in texts, its occurrence, its first img alt. */
    private int anchorStart = -1;
    private int anchorIndex;
    private Found anchorFound;
    private String anchorAlt;
    /** The line at {@link #linePos}: lines are counted forwards only, as tags come in order. */
    private int line = 1;
    private int linePos;

    /**
     * @param withTexts whether anchor texts are read
     * @param occurrences whether every link's place, and the anchors, are read (implies texts)
     * @param resources with occurrences, whether resources the page loads count as links too
     */
    PageScan(String html, Charset bytesCharset, boolean withTexts, boolean occurrences, boolean resources) {
        this.html = html;
        this.bytesCharset = bytesCharset;
        this.withTexts = withTexts || occurrences;
        this.found = occurrences ? new ArrayList<>() : null;
        this.anchors = occurrences ? new HashSet<>() : null;
        this.resources = resources;
    }

    /** The tags to be told of: the link tags, or every tag when anchors are wanted. */
    List<String> wanted() {
        return found == null ? LINK_TAGS : null;
    }

    @Override
    public void tag(String name, Attributes attributes, int start, int end) {
        if (name.equals("a")) {
            closeAnchor(start); // an a inside an a ends the first, as in a browser
        }
        String href = switch (name) {
            case "a", "area" -> attributes.value("href");
            case "iframe", "frame" -> attributes.value("src");
            case "link" -> LinkExtractor.hasAnyToken(attributes.value("rel"), LinkExtractor.NAVIGABLE_RELS)
                    ? attributes.value("href") : null;
            case "meta" -> {
                LinkExtractor.readRobots(attributes, robots);
                yield LinkExtractor.refreshTarget(attributes.value("http-equiv"), attributes.value("content"));
            }
            case "base" -> {
                if (base == null) {
                    base = attributes.value("href");
                }
                yield null;
            }
            default -> null;
        };
        if (found != null) {
            occurrence(name, attributes, start, href);
        }
        if (href == null) {
            return;
        }
        hrefs.add(href);
        if (withTexts) {
            String alt = name.equals("area") ? attributes.value("alt") : null;
            texts.add(alt == null ? "" : LinkExtractor.collapse(alt));
        }
        if ((name.equals("a") || name.equals("area")) && LinkExtractor.hasAnyToken(attributes.value("rel"), NOFOLLOW)) {
            nofollowHrefs.add(href);
        }
        if (withTexts && name.equals("a")) {
            anchorStart = end;
            anchorIndex = texts.size() - 1;
        }
    }

    /**
     * The anchors a tag names, and the link it carries, with its line.
     *
     * @param navigable the link the crawl follows from this tag, read above, or {@code null}
     */
    private void occurrence(String name, Attributes attributes, int start, String navigable) {
        String id = attributes.value("id");
        if (id != null) {
            anchors.add(id);
        }
        if (name.equals("a")) {
            String anchorName = attributes.value("name");
            if (anchorName != null) {
                anchors.add(anchorName);
            }
        }
        if (name.equals("img") && anchorStart >= 0 && anchorAlt == null) {
            anchorAlt = attributes.value("alt"); // the text of an a that holds only an image
        }
        if (navigable != null) {
            linkOccurrence(name, attributes, navigableAttribute(name), navigable, false, start);
        } else if (resources) {
            String attribute = resourceAttribute(name, attributes);
            String href = attribute == null ? null : attributes.value(attribute);
            if (href != null) {
                linkOccurrence(name, attributes, attribute, href, true, start);
            }
        }
        if (resources) {
            resourceExtras(name, attributes, start);
        }
    }

    private void linkOccurrence(String name, Attributes attributes, String attribute, String href, boolean resource,
                                int start) {
        String text = switch (name) {
            case "area", "img" -> {
                String alt = attributes.value("alt");
                yield alt == null ? "" : LinkExtractor.collapse(alt);
            }
            default -> "";
        };
        Found f = new Found(href, name + "[" + attribute + "]", lineAt(start), resource, text);
        found.add(f);
        if (name.equals("a")) {
            anchorFound = f;
            anchorAlt = null;
        }
    }

    /** The attribute a followed link of this tag stands in. */
    private static String navigableAttribute(String name) {
        return switch (name) {
            case "iframe", "frame" -> "src";
            case "meta" -> "content";
            default -> "href";
        };
    }

    /** The attribute of a start tag that names a resource the page loads, or {@code null}. */
    private static String resourceAttribute(String name, Attributes attributes) {
        return switch (name) {
            case "link" -> LinkExtractor.hasAnyToken(attributes.value("rel"), LOADED_RELS) ? "href" : null;
            case "img", "script", "source", "video", "audio", "embed", "track" -> "src";
            case "object" -> "data";
            default -> null;
        };
    }

    /**
     * The resources a tag names besides its one link attribute: each {@code srcset} candidate of an {@code img} or
     * a {@code source}, a {@code link} with {@code rev} but no relation read above, and the {@code url()}s of a
     * {@code style} attribute.
     */
    private void resourceExtras(String name, Attributes attributes, int start) {
        String srcset = name.equals("img") || name.equals("source") ? attributes.value("srcset") : null;
        if (srcset != null) {
            int line = lineAt(start);
            for (String url : srcsetUrls(srcset)) {
                found.add(new Found(url, name + "[srcset]", line, true, ""));
            }
        }
        if (name.equals("link") && attributes.value("rev") != null && attributes.value("href") != null
                && !LinkExtractor.hasAnyToken(attributes.value("rel"), LinkExtractor.NAVIGABLE_RELS)
                && !LinkExtractor.hasAnyToken(attributes.value("rel"), LOADED_RELS)) {
            found.add(new Found(attributes.value("href"), "link[rev]", lineAt(start), true, ""));
        }
        String style = attributes.value("style");
        if (style != null && style.indexOf('(') >= 0) {
            int line = lineAt(start);
            CssLinks.urls(style, (url, at) -> found.add(new Found(url, name + "[style]", line, true, "")));
        }
    }

    @Override
    public void styleText(int start, int end) {
        if (resources) {
            // raw text: no character references, only the page's encoding to undo
            CssLinks.urls(html.substring(start, end), (url, at) -> found.add(new Found(bytesCharset == null ? url
                    : new String(url.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), bytesCharset),
                    "style", lineAt(start + at), true, "")));
        }
    }

    /**
     * The URLs of a {@code srcset}, as the HTML standard splits its candidates: a URL runs to whitespace (its
     * trailing commas dropped), then descriptors to the next comma outside parentheses. {@code data:} URLs, which
     * hold commas of their own, are left out.
     */
    static List<String> srcsetUrls(String srcset) {
        List<String> urls = new ArrayList<>();
        int i = 0;
        int n = srcset.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(srcset.charAt(i)) || srcset.charAt(i) == ',')) {
                i++;
            }
            int urlStart = i;
            while (i < n && !Character.isWhitespace(srcset.charAt(i))) {
                i++;
            }
            int urlEnd = i;
            boolean endsCandidate = false;
            while (urlEnd > urlStart && srcset.charAt(urlEnd - 1) == ',') {
                urlEnd--;
                endsCandidate = true;
            }
            if (urlEnd > urlStart) {
                String url = srcset.substring(urlStart, urlEnd);
                if (!url.regionMatches(true, 0, "data:", 0, 5)) {
                    urls.add(url);
                }
            }
            if (!endsCandidate) {
                int depth = 0;
                while (i < n && (srcset.charAt(i) != ',' || depth > 0)) {
                    char c = srcset.charAt(i);
                    depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
                    i++;
                }
            }
        }
        return urls;
    }


    /** The 1-based line of {@code pos}, which is never before the last position asked about. */
    private int lineAt(int pos) {
        for (int i = linePos; i < pos; i++) {
            if (html.charAt(i) == '\n') {
                line++;
            }
        }
        linePos = pos;
        return line;
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
        if (end - from > LinkExtractor.MAX_ANCHOR_SOURCE) {
            end = from + LinkExtractor.MAX_ANCHOR_SOURCE;
        }
        String text = anchorText(from, end);
        texts.set(anchorIndex, text);
        if (anchorFound != null) {
            anchorFound.text = text.isEmpty() && anchorAlt != null ? LinkExtractor.collapse(anchorAlt) : text;
            anchorFound = null;
        }
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
        return LinkExtractor.collapse(Attributes.decoded(b.toString(), bytesCharset, false));
    }

    /**
     * Whether {@code html[from, end)} is its own text already: at most {@value LinkExtractor#MAX_TEXT} characters of
     * printable ASCII with single spaces between words, so no tag to leave out, no reference to decode, nothing to
     * collapse.
     */
    private boolean isPlainText(int from, int end) {
        if (end - from > LinkExtractor.MAX_TEXT) {
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
