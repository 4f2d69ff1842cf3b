package dev.loomcrawl.output;

import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * How crawl results are written, one line per requested URL, in the crawl's deterministic order. The sinks a
 * format makes are for the crawl's single writer thread; a write failure is thrown as an
 * {@link UncheckedIOException}, which stops the crawl.
 */
public enum OutputFormat {

    /** The URL alone. */
    TEXT {
        @Override
        void write(PageResult p, String site, Writer out) throws IOException {
            out.write(p.url());
            out.write('\n');
        }
    },

    /**
     * One JSON object: {@code url}, {@code status} (null without a response), {@code depth}, {@code parent},
     * {@code content_type}, {@code bytes}, {@code fetch_ms}, {@code redirect}, {@code error}, {@code links} (the
     * number of outlinks), {@code truncated}, {@code attempts}, {@code noindex}, {@code nofollow} (robots meta tag or
     * X-Robots-Tag), {@code nofollow_links} (links marked rel=nofollow), {@code source} ({@code start}, {@code link},
     * {@code redirect} or {@code sitemap}: an orphan no link reaches) and {@code in_sitemap} (null when sitemaps
     * were not read). In a run of many sites, {@code site} (the site's start URL) comes first. When the crawl
     * extracts content, a 2xx HTML page's record goes on with {@code title}, {@code description}, {@code lang},
     * {@code canonical}, {@code author}, {@code published}, {@code site_name} (null where the page does not say),
     * {@code markdown} or {@code text} (the main content), {@code words} and {@code content_error} (null, or why
     * the content is empty or cut).
     */
    JSONL {
        @Override
        void write(PageResult p, String site, Writer out) throws IOException {
            StringBuilder b = new StringBuilder(256);
            if (site != null) {
                b.append("{\"site\":");
                Json.string(b, site);
                b.append(",\"url\":");
            } else {
                b.append("{\"url\":");
            }
            Json.string(b, p.url());
            b.append(",\"status\":").append(p.hasResponse() ? Integer.toString(p.status()) : "null");
            b.append(",\"depth\":").append(p.depth());
            b.append(",\"parent\":");
            Json.string(b, p.parent());
            b.append(",\"content_type\":");
            Json.string(b, p.contentType());
            b.append(",\"bytes\":").append(p.bytes());
            b.append(",\"fetch_ms\":").append(p.fetchMillis());
            b.append(",\"redirect\":");
            Json.string(b, p.redirect());
            b.append(",\"error\":");
            Json.string(b, p.error());
            b.append(",\"links\":").append(p.links().size());
            b.append(",\"truncated\":").append(p.truncated());
            b.append(",\"attempts\":").append(p.attempts());
            b.append(",\"noindex\":").append(p.noindex());
            b.append(",\"nofollow\":").append(p.nofollow());
            b.append(",\"nofollow_links\":").append(p.nofollowLinks().size());
            b.append(",\"source\":");
            Json.string(b, p.source() == null ? null : p.source().name().toLowerCase(java.util.Locale.ROOT));
            b.append(",\"in_sitemap\":").append(p.inSitemap());
            if (p.content() != null) {
                content(b, p.content());
            }
            b.append("}\n");
            out.write(b.toString());
        }
    };

    abstract void write(PageResult page, String site, Writer out) throws IOException;

    /**
     * One page's content alone as a JSON object on one line: {@code url}, then the content fields of a
     * {@link #JSONL} record ({@code title} ... {@code content_error}). For {@code loomcrawl extract}.
     */
    public static String contentRecord(String url, PageContent content) {
        StringBuilder b = new StringBuilder(content.body().length() + 256).append("{\"url\":");
        Json.string(b, url);
        content(b, content);
        return b.append("}\n").toString();
    }

    private static void content(StringBuilder b, PageContent c) {
        String[][] fields = {{"title", c.title()}, {"description", c.description()}, {"lang", c.lang()},
                {"canonical", c.canonical()}, {"author", c.author()}, {"published", c.published()},
                {"site_name", c.siteName()}, {c.format().label(), c.body()}};
        for (String[] field : fields) {
            b.append(",\"").append(field[0]).append("\":");
            Json.string(b, field[1]);
        }
        b.append(",\"words\":").append(c.words());
        b.append(",\"content_error\":");
        Json.string(b, c.reason());
    }

    /** A sink writing this format to {@code out}; the caller flushes and closes {@code out}. */
    public PageSink sink(Writer out) {
        return sink(out, null);
    }

    /**
     * A sink writing this format to {@code out}, each record naming the site it belongs to (its start URL) where the
     * format has fields; the caller flushes and closes {@code out}.
     *
     * @param site the start URL of the site the pages belong to, or {@code null} for records without it
     */
    public PageSink sink(Writer out, String site) {
        return page -> {
            try {
                write(page, site, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The format named {@code text} or {@code jsonl} (any case). */
    public static OutputFormat named(String name) {
        for (OutputFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be one of text, jsonl; was '" + name + "'");
    }
}
