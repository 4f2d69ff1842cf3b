package dev.loomcrawl.internal.content;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.QueryParser;

/**
 * What a page declares about itself: read from {@code <title>}, meta tags, Open Graph and JSON-LD, before the
 * page is cleaned. JSON-LD is not parsed as a whole: the fields are found by their names, which is enough for the
 * few strings read here and never fails on the broken JSON pages carry. Each field is {@code null} when absent.
 */
record Metadata(String title, String description, String lang, String canonical, String author, String published,
                String siteName, String jsonLdBody) {

    private static final Pattern LD_STRING = Pattern.compile(
            "\"(headline|name|datePublished|articleBody|description)\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"");
    private static final Pattern LD_AUTHOR = Pattern.compile(
            "\"author\"\\s*:\\s*(?:\\[\\s*)?(?:\"((?:[^\"\\\\]++|\\\\.)*+)\"|\\{[^{}]*?\"name\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\")");
    private static final Pattern LD_PUBLISHER = Pattern.compile(
            "\"publisher\"\\s*:\\s*\\{[^{}]*?\"name\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"");
    private static final Evaluator CANONICAL = QueryParser.parse("link[rel~=(?i)^canonical$][href]");
    private static final Evaluator JSON_LD = QueryParser.parse("script[type~=(?i)ld\\+json]");
    private static final Evaluator TIME = QueryParser.parse("time[datetime]");
    private static final Evaluator H1 = QueryParser.parse("h1");
    private static final int MAX_LD_CHARS = 2_000_000;

    static Metadata of(Document doc, String contentLanguage) {
        Element head = doc.head();
        List<Element> metas = head.getElementsByTag("meta");
        String ogTitle = meta(metas, "property", "og:title");
        String titleTag = clean(doc.title());
        String description = first(meta(metas, "name", "description"), meta(metas, "property", "og:description"),
                meta(metas, "name", "twitter:description"));
        String lang = first(clean(doc.firstElementChild() == null ? null : doc.firstElementChild().attr("lang")),
                meta(metas, "http-equiv", "content-language"), firstLanguage(contentLanguage));
        Element canonicalLink = head.selectFirst(CANONICAL);
        String canonical = canonicalLink == null ? null : clean(canonicalLink.absUrl("href"));
        String author = first(meta(metas, "name", "author"), meta(metas, "property", "article:author"),
                meta(metas, "name", "dc.creator"), meta(metas, "name", "parsely-author"));
        String published = first(meta(metas, "property", "article:published_time"),
                meta(metas, "name", "date"), meta(metas, "name", "dc.date"), meta(metas, "itemprop", "datePublished"),
                meta(metas, "name", "parsely-pub-date"));
        String siteName = meta(metas, "property", "og:site_name");
        String ldBody = null;
        String ldHeadline = null;
        for (Element script : doc.select(JSON_LD)) {
            String json = script.data();
            if (json.length() > MAX_LD_CHARS) {
                continue;
            }
            Matcher m = LD_STRING.matcher(json);
            while (m.find()) {
                String value = clean(unescape(m.group(2)));
                switch (m.group(1)) {
                    case "headline" -> ldHeadline = first(ldHeadline, value);
                    case "datePublished" -> published = first(published, value);
                    case "articleBody" -> ldBody = longer(ldBody, value);
                    case "description" -> description = first(description, value);
                    default -> { }
                }
            }
            if (author == null) {
                Matcher a = LD_AUTHOR.matcher(json);
                if (a.find()) {
                    author = clean(unescape(a.group(1) != null ? a.group(1) : a.group(2)));
                }
            }
            if (siteName == null) {
                Matcher p = LD_PUBLISHER.matcher(json);
                if (p.find()) {
                    siteName = clean(unescape(p.group(1)));
                }
            }
        }
        if (published == null) {
            Element time = doc.body().selectFirst(TIME);
            published = time == null ? null : clean(time.attr("datetime"));
        }
        String title = first(ogTitle, titleTag, ldHeadline);
        if (title == null) {
            Element h1 = doc.body().selectFirst(H1);
            title = h1 == null ? null : clean(h1.text());
        }
        return new Metadata(title, description, lang, canonical, author, published, siteName, ldBody);
    }

    private static String meta(List<Element> metas, String attribute, String name) {
        for (Element meta : metas) {
            if (meta.attr(attribute).equalsIgnoreCase(name)) {
                String content = clean(meta.attr("content"));
                if (content != null) {
                    return content;
                }
            }
        }
        return null;
    }

    private static String firstLanguage(String contentLanguage) {
        if (contentLanguage == null) {
            return null;
        }
        int comma = contentLanguage.indexOf(',');
        return clean(comma < 0 ? contentLanguage : contentLanguage.substring(0, comma));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String longer(String a, String b) {
        return a == null || (b != null && b.length() > a.length()) ? b : a;
    }

    /** Trimmed, whitespace collapsed, {@code null} when empty. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replaceAll("[\\s\\u00a0]+", " ").strip();
        return t.isEmpty() ? null : t;
    }

    private static String unescape(String json) {
        if (json.indexOf('\\') < 0) {
            return json;
        }
        StringBuilder b = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 == json.length()) {
                b.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n', 'r', 't' -> b.append(' ');
                case 'u' -> {
                    if (i + 4 < json.length()) {
                        try {
                            b.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        } catch (NumberFormatException x) {
                            b.append('?');
                        }
                        i += 4;
                    }
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }

}
