package dev.loomcrawl.internal.content;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.internal.links.HtmlCharset;
import java.nio.charset.Charset;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * One page's content extraction: decode, parse, read the metadata, find and clean the main content, write it.
 * Bounded per page: at most {@value #MAX_BYTES} bytes of the page are read, the tree is at most
 * {@value #MAX_DEPTH} elements deep, and the output at most 4 Mi characters. Most passes are linear in what is
 * read; the tests of an element's subtree (its paragraphs, its links) are repeated at most once per ancestor, so
 * at most {@value #MAX_DEPTH} times. Never throws on bad input: a page with nothing to extract gives empty
 * content and a reason. Stateless and thread-safe.
 */
public final class Extraction {

    /** The most of a page that is read. */
    public static final int MAX_BYTES = 4 << 20;
    static final int MAX_DEPTH = 256;

    private Extraction() {}

    /**
     * The main content of an HTML page.
     *
     * @param body the page's bytes, {@code length} of them valid
     * @param contentType the Content-Type header, for its charset and language; may be {@code null}
     * @param url the page's URL, against which links and images are resolved
     * @param contentLanguage the Content-Language header, or {@code null}
     */
    public static PageContent extract(byte[] body, int length, String contentType, String contentLanguage,
                                      String url, ContentFormat format) {
        if (looksBinary(body, length)) {
            return PageContent.none(format, "not html");
        }
        int read = Math.min(length, MAX_BYTES);
        Charset charset = HtmlCharset.detect(body, read, contentType);
        String html = new String(body, 0, read, charset);
        if (!html.isEmpty() && html.charAt(0) == '\uFEFF') {
            html = html.substring(1);
        }
        PageContent content = extract(html, contentLanguage, url, format);
        if (length > MAX_BYTES && !content.body().isEmpty()) {
            return content.withReason("extraction cut at " + (MAX_BYTES >> 20) + " MiB");
        }
        return content;
    }

    /** The main content of a page already decoded. */
    public static PageContent extract(String html, String contentLanguage, String url, ContentFormat format) {
        try {
            return parsed(html, contentLanguage, url, format);
        } catch (RuntimeException | StackOverflowError e) {
            // a page jsoup or these rules cannot take is a page without content, never a failed crawl
            return PageContent.none(format, "extraction failed: " + e.getClass().getSimpleName());
        }
    }

    private static PageContent parsed(String html, String contentLanguage, String url, ContentFormat format) {
        Parser parser = Parser.htmlParser().setMaxDepth(MAX_DEPTH);
        Document doc = parser.parseInput(html, url == null ? "" : url);
        Metadata meta = Metadata.of(doc, contentLanguage);
        Element body = doc.body();
        MainContent main = new MainContent();
        main.prune(body, MainContent.Pruning.BOILERPLATE);
        Element root = main.find(body, meta.jsonLdBody());
        main.clean(root, meta.title());
        BlockWriter writer = new BlockWriter(format, doc.baseUri());
        String text = writer.write(root);
        // Nothing reads as prose (an index of links, a table of data): the whole page without its boilerplate;
        // and when that is empty too (content in an element named like boilerplate), without what is never content.
        for (MainContent.Pruning pruning : MainContent.Pruning.values()) {
            if (writer.words() > 0) {
                break;
            }
            doc = parser.parseInput(html, url == null ? "" : url);
            Element again = doc.body();
            new MainContent().prune(again, pruning);
            writer = new BlockWriter(format, doc.baseUri());
            text = writer.write(again);
        }
        int words = writer.words();
        String reason = text.isEmpty() ? "no main content" : writer.cut() ? "content cut at 4 Mi characters" : null;
        return new PageContent(format, meta.title(), meta.description(), meta.lang(), meta.canonical(), meta.author(),
                meta.published(), meta.siteName(), text, words, reason, null);
    }

    /** Whether the first bytes hold NULs or control bytes no text has: binary served as HTML. */
    private static boolean looksBinary(byte[] body, int length) {
        int n = Math.min(length, 1024);
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int b = body[i] & 0xff;
            if (b == 0) {
                if (i + 1 < n && (body[i + 1] == 0 || i > 0 && body[i - 1] != 0)) {
                    bad++;
                }
            } else if (b < 0x09 || (b > 0x0d && b < 0x20 && b != 0x1b)) {
                bad++;
            }
        }
        boolean utf16 = n >= 2 && ((body[0] & 0xff) == 0xFE || (body[0] & 0xff) == 0xFF);
        return !utf16 && bad > n / 20 + 1;
    }
}
