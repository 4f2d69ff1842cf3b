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
 * The reference for {@link LinkExtractor}'s occurrences: every link of a page with where it stands, and its anchors,
 * read from jsoup's tree with source positions.
 */
final class JsoupOccurrences {

    /** The {@code link} relations of resources a page loads. */
    private static final Set<String> LOADED_RELS = Set.of("stylesheet", "icon");


    private JsoupOccurrences() {}

    /**
     * Reads a page's links: the navigable ones {@link LinkExtractor} follows and, with {@code resources}, also
     * {@code img}, {@code script}, stylesheets, {@code source}, {@code video} and {@code audio}.
     */
    static PageOccurrences read(String pageUrl, byte[] body, int length, String contentType, boolean resources) {
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
            int hash = trimmed.indexOf('#');
            String fragment = hash < 0 ? null : trimmed.substring(hash + 1);
            String url = resolver.resolve(trimmed);
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
        return new PageOccurrences(links, anchors);
    }

    /** The attribute of {@code e} that holds a link worth checking, or {@code null}. */
    private static String attributeOf(Element e, boolean resources) {
        return switch (e.tagName()) {
            case "a", "area" -> e.hasAttr("href") ? "href" : null;
            case "iframe", "frame" -> e.hasAttr("src") ? "src" : null;
            case "link" -> !e.hasAttr("href") ? null
                    : LinkExtractor.hasAnyToken(e.attr("rel"), LinkExtractor.NAVIGABLE_RELS)
                    || resources && LinkExtractor.hasAnyToken(e.attr("rel"), LOADED_RELS) ? "href" : null;
            case "meta" -> e.attr("http-equiv").strip().equalsIgnoreCase("refresh") ? "content" : null;
            case "img", "script", "source", "video", "audio", "embed", "track" -> resources && e.hasAttr("src") ? "src" : null;
            default -> null;
        };
    }

    /** An a's text, or its first image's alt; an area's or an img's alt; nothing for the rest. */
    private static String textOf(Element e) {
        String text = switch (e.tagName()) {
            case "a" -> {
                String own = e.text().strip();
                Element img = e.selectFirst("img[alt]");
                yield own.isEmpty() && img != null ? img.attr("alt") : own;
            }
            case "area", "img" -> e.attr("alt");
            default -> "";
        };
        text = text.strip().replaceAll("[\\s\u00a0]+", " ");
        return text.length() > LinkExtractor.MAX_TEXT ? text.substring(0, LinkExtractor.MAX_TEXT).strip() : text;
    }
}
