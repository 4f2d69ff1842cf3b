package dev.loomcrawl.internal.links;

import dev.loomcrawl.internal.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * Every link of a page with where it stands (line, anchor text, href as written), and the anchors ({@code id},
 * {@code a[name]}) a fragment can point to. A full jsoup parse with source positions: the link checker's view,
 * richer and slower than {@link LinkExtractor}'s. Stateless.
 */
public final class LinkOccurrences {

    /**
     * A page's links and anchors.
     *
     * @param links the links in document order (malformed ones included, with a {@code null} url)
     * @param anchors the names a fragment may target on this page
     */
    public record Page(List<LinkOccurrence> links, Set<String> anchors) {}

    /** The {@code link} relations of resources a page loads. */
    private static final Set<String> LOADED_RELS = Set.of("stylesheet", "icon");

    /** Schemes that are not links to check. */
    private static final Set<String> IGNORED = Set.of("mailto", "javascript", "tel", "data", "sms", "about", "ftp");

    private LinkOccurrences() {}

    /**
     * Reads a page's links: the navigable ones {@link LinkExtractor} follows and, with {@code resources}, also
     * {@code img}, {@code script}, stylesheets, {@code source}, {@code video} and {@code audio}.
     */
    public static Page read(String pageUrl, byte[] body, int length, String contentType, boolean resources) {
        Charset charset = HtmlCharset.detect(body, length, contentType);
        int skip = HtmlCharset.bomLength(body, length);
        String html = new String(body, skip, length - skip, charset);
        Parser parser = Parser.htmlParser().setTrackPosition(true);
        Document doc = parser.parseInput(html, pageUrl);
        Element base = doc.selectFirst("base[href]");
        String baseUrl = pageUrl;
        if (base != null) {
            String resolved = UrlNormalizer.resolve(pageUrl, base.attr("href"));
            baseUrl = resolved == null ? pageUrl : resolved;
        }
        UrlNormalizer.Resolver resolver = UrlNormalizer.against(baseUrl);
        List<LinkOccurrence> links = new ArrayList<>();
        for (Element e : doc.getAllElements()) {
            String attribute = attributeOf(e, resources);
            if (attribute == null) {
                continue;
            }
            String href = e.tagName().equals("meta")
                    ? LinkExtractor.refreshTarget(e.attr("http-equiv"), e.attr("content")) : e.attr(attribute);
            if (href == null) {
                continue;
            }
            String trimmed = href.strip();
            if (isIgnored(trimmed)) {
                continue;
            }
            int hash = trimmed.indexOf('#');
            String fragment = hash < 0 ? null : trimmed.substring(hash + 1);
            String url = trimmed.isEmpty() ? null : resolver.resolve(trimmed);
            boolean resource = switch (e.tagName()) {
                case "a", "area", "iframe", "frame", "meta" -> false;
                case "link" -> !LinkExtractor.hasAnyToken(e.attr("rel"), LinkExtractor.NAVIGABLE_RELS);
                default -> true;
            };
            links.add(new LinkOccurrence(href, url, fragment == null || fragment.isEmpty() ? null : fragment,
                    textOf(e), e.sourceRange().start().lineNumber(), e.tagName() + "[" + attribute + "]", resource));
        }
        Set<String> anchors = new HashSet<>();
        doc.select("[id]").forEach(e -> anchors.add(e.id()));
        doc.select("a[name]").forEach(e -> anchors.add(e.attr("name")));
        return new Page(links, anchors);
    }

    /** The attribute of {@code e} that holds a link worth checking, or {@code null}. */
    private static String attributeOf(Element e, boolean resources) {
        return switch (e.tagName()) {
            case "a", "area" -> e.hasAttr("href") ? "href" : null;
            case "iframe", "frame" -> e.hasAttr("src") ? "src" : null;
            case "link" -> !e.hasAttr("href") ? null
                    : LinkExtractor.hasAnyToken(e.attr("rel"), LinkExtractor.NAVIGABLE_RELS)
                    || resources && LinkExtractor.hasAnyToken(e.attr("rel"), LOADED_RELS) ? "href" : null;
            case "meta" -> e.attr("http-equiv").equalsIgnoreCase("refresh") ? "content" : null;
            case "img", "script", "source", "video", "audio", "embed", "track" -> resources && e.hasAttr("src") ? "src" : null;
            default -> null;
        };
    }

    private static boolean isIgnored(String href) {
        int colon = href.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        String scheme = href.substring(0, colon).toLowerCase(Locale.ROOT);
        return IGNORED.contains(scheme);
    }

    private static String textOf(Element e) {
        String text = e.text().strip();
        if (text.isEmpty()) {
            Element img = e.tagName().equals("img") ? e : e.selectFirst("img[alt]");
            if (img != null) {
                text = img.attr("alt").strip();
            }
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
