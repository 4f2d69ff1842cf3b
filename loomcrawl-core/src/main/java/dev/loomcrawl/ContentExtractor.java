package dev.loomcrawl;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.internal.content.Extraction;

/**
 * Extracts the main content of one HTML page, as a crawl with {@link CrawlerBuilder#content} does for each page:
 * the article or documentation body without navigation, headers, footers, sidebars, comments and banners, written
 * as Markdown or plain text, with the metadata the page declares. For pages a program fetched itself.
 *
 * <p>Bounded per page (the first 4 MiB, or 4 Mi characters, are read, the tree is cut at 256 levels, the output
 * at 4 Mi characters) and never throws on bad input: a page with nothing to extract gives an empty body and a reason.
 * Stateless and thread-safe.
 */
public final class ContentExtractor {

    private ContentExtractor() {}

    /**
     * The main content of a page's bytes, decoded by their byte order mark, the Content-Type's charset or the
     * page's {@code <meta charset>}, else UTF-8.
     *
     * @param contentType the Content-Type header, or {@code null}
     * @param url the page's URL, against which links and images are made absolute; {@code null} leaves relative
     *     links out of the Markdown
     */
    public static PageContent extract(byte[] html, String contentType, String url, ContentFormat format) {
        return Extraction.extract(html, html.length, contentType, null, url, format);
    }

    /** The main content of a page already decoded; the first 4 Mi characters are read. */
    public static PageContent extract(String html, String url, ContentFormat format) {
        if (html.length() <= Extraction.MAX_BYTES) {
            return Extraction.extract(html, null, url, format);
        }
        PageContent content = Extraction.extract(html.substring(0, Extraction.MAX_BYTES), null, url, format);
        return content.body().isEmpty() ? content : content.withReason("extraction cut at 4 Mi characters");
    }
}
