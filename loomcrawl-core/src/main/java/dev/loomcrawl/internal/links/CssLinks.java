package dev.loomcrawl.internal.links;

import dev.loomcrawl.internal.url.UrlNormalizer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URLs a piece of CSS names: each {@code url(...)} (quoted or not) and {@code @import "..."} outside its
 * comments, but {@code data:} URLs. It reads a page's {@code <style>} elements and {@code style} attributes, and the
 * stylesheets a link checker fetches. Stateless.
 */
public final class CssLinks {

    private static final Pattern CSS_URL = Pattern.compile(
            "url\\(\\s*(?:\"([^\"]*)\"|'([^']*)'|([^)\\s]*))\\s*\\)|@import\\s+(?:\"([^\"]*)\"|'([^']*)')",
            Pattern.CASE_INSENSITIVE);

    /** Receives a URL a piece of CSS names, and where in the CSS it stands. */
    interface Found {
        void found(String url, int at);
    }

    private CssLinks() {}

    /**
     * The links of a stylesheet, each with its line, resolved against the stylesheet's URL, as resources
     * ({@code css[url]} or {@code css[@import]}).
     */
    public static List<LinkOccurrence> read(String cssUrl, byte[] body, int length, String contentType) {
        Charset declared = HtmlCharset.fromContentType(contentType);
        Charset charset = declared != null ? declared : StandardCharsets.UTF_8;
        int skip = HtmlCharset.bomLength(body, length);
        String css = new String(body, skip, length - skip, charset);
        UrlNormalizer.Resolver resolver = UrlNormalizer.against(cssUrl);
        List<LinkOccurrence> links = new ArrayList<>();
        int[] line = {1, 0}; // the line at a position, counted forwards
        urls(css, (url, at) -> {
            for (int i = line[1]; i < at; i++) {
                line[0] += css.charAt(i) == '\n' ? 1 : 0;
            }
            line[1] = at;
            int hash = url.indexOf('#');
            links.add(new LinkOccurrence(url, resolver.resolve(url), hash < 0 || hash == url.length() - 1 ? null
                    : url.substring(hash + 1), "", line[0], css.regionMatches(true, at, "@import", 0, 7)
                    ? "css[@import]" : "css[url]", true));
        });
        return links;
    }

    /** Each URL {@code css} names, outside its comments, but {@code data:} URLs, with where it stands. */
    static void urls(String css, Found urls) {
        Matcher m = CSS_URL.matcher(withoutComments(css));
        while (m.find()) {
            String url = firstGroup(m);
            if (url != null && !url.isBlank() && !url.regionMatches(true, 0, "data:", 0, 5)) {
                urls.found(url, m.start());
            }
        }
    }

    /** The CSS with each comment blanked out, its length kept, so that positions in it stay those of the source. */
    private static String withoutComments(String css) {
        int open = css.indexOf("/*");
        if (open < 0) {
            return css;
        }
        StringBuilder b = new StringBuilder(css);
        while (open >= 0) {
            int close = css.indexOf("*/", open + 2);
            int end = close < 0 ? css.length() : close + 2;
            for (int k = open; k < end; k++) {
                b.setCharAt(k, ' ');
            }
            open = close < 0 ? -1 : css.indexOf("/*", end);
        }
        return b.toString();
    }

    private static String firstGroup(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null) {
                return m.group(g);
            }
        }
        return null;
    }
}
