package dev.loomcrawl.crawl;

import java.time.Instant;

/**
 * The main content of an HTML page, the article or documentation body a reader came for, without the navigation,
 * headers, footers, sidebars and banners around it, and the metadata the page declares. Every metadata field is
 * {@code null} when the page does not say it.
 *
 * @param format how {@code body} is written
 * @param title the page's title (Open Graph, else {@code <title>}, else JSON-LD's headline, else its first
 *     {@code <h1>})
 * @param description the meta or Open Graph description
 * @param lang the language of {@code <html lang>} or {@code Content-Language}
 * @param canonical the absolute URL of {@code <link rel=canonical>}
 * @param author the author, from meta tags or JSON-LD
 * @param published when the page was published, as the page writes it (meta tags, JSON-LD or {@code <time>})
 * @param siteName the site's name (Open Graph or JSON-LD publisher)
 * @param body the main content in {@code format}; empty when there is none
 * @param words the number of words in {@code body}
 * @param reason {@code null}, or why {@code body} is empty or cut: {@code no main content}, {@code not html},
 *     {@code extraction cut at ...} (the page was longer than what is read), {@code content cut at ...} (the
 *     output reached its bound), {@code extraction failed: ...} (a fault of the extractor, the page kept)
 * @param fetched when the crawl fetched the page, by the crawl's clock, to the millisecond; {@code null} for a page
 *     extracted alone
 */
public record PageContent(ContentFormat format, String title, String description, String lang, String canonical,
                          String author, String published, String siteName, String body, int words, String reason,
                          Instant fetched) {

    public PageContent {
        if (format == null || body == null) {
            throw new IllegalArgumentException("format and body must not be null");
        }
        if (words < 0) {
            throw new IllegalArgumentException("words must be >= 0; was " + words);
        }
    }

    /** Content without a body, with the reason. */
    public static PageContent none(ContentFormat format, String reason) {
        return new PageContent(format, null, null, null, null, null, null, null, "", 0, reason, null);
    }

    /** The same content, with {@code reason} as the reason. */
    public PageContent withReason(String reason) {
        return new PageContent(format, title, description, lang, canonical, author, published, siteName, body, words,
                reason, fetched);
    }

    /** The same content, fetched at {@code time}. */
    public PageContent fetchedAt(Instant time) {
        return new PageContent(format, title, description, lang, canonical, author, published, siteName, body, words,
                reason, time);
    }
}
