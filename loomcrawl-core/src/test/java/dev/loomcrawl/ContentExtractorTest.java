package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * The extractor on hand-written pages: each Markdown construct comes out as CommonMark that parses back (with
 * GitHub's tables) to the page's own structure, nothing of the page's furniture or hidden parts leaks in, and bad
 * input gives a result, never a throw.
 */
class ContentExtractorTest {

    private static final String URL = "https://docs.example.org/guide/start.html";

    private static final String PAGE = """
            <!doctype html>
            <html lang="en-GB">
            <head>
              <title>Getting started | Example Docs</title>
              <meta name="description" content="How to start with Example.">
              <meta property="og:site_name" content="Example Docs">
              <meta name="author" content="Ada Lovelace">
              <meta property="article:published_time" content="2026-11-30T10:00:00Z">
              <link rel="canonical" href="/guide/start">
              <style>.x { color: red } /* LEAKSTYLE */</style>
              <script>var leak = "LEAKSCRIPT";</script>
            </head>
            <body>
              <div class="cookie-banner">We use cookies COOKIEMARKER. <button>Accept</button></div>
              <header class="site-header"><a href="/">Example</a> <nav><a href="/a">Docs</a> <a href="/b">Blog NAVMARKER</a></nav></header>
              <aside class="sidebar"><h3>In this section SIDEMARKER</h3><ul><li><a href="/x">X</a></li><li><a href="/y">Y</a></li></ul></aside>
              <main>
                <article>
                  <h1>Getting started</h1>
                  <p>Example is a <em>small</em> library with a <strong>large</strong> heart, and this guide shows how to
                     install it, how to <a href="../api/index.html">read its API</a>, and how to call <code>start()</code>
                     from your own code, with examples you can copy.</p>
                  <noscript>Enable JavaScript LEAKNOSCRIPT</noscript>
                  <template><p>LEAKTEMPLATE</p></template>
                  <p hidden>LEAKHIDDEN one</p>
                  <p style="display: none">LEAKHIDDEN two</p>
                  <h2>Install</h2>
                  <p>Install it with your build tool of choice, then check the version it prints, which should match
                     the one on the download page, as the release notes say.</p>
                  <ol>
                    <li>Download the archive.</li>
                    <li>Unpack it:
                      <ul>
                        <li>on Linux, with tar;</li>
                        <li>on Windows, with the file manager.</li>
                      </ul>
                    </li>
                    <li>Run the installer.</li>
                  </ol>
                  <h3>Configuration</h3>
                  <blockquote><p>Configuration is optional: the defaults serve most users, as the FAQ explains at length.</p></blockquote>
                  <pre><code class="language-java">Example.start();
            if (a &lt; b) { return; }</code></pre>
                  <table>
                    <thead><tr><th>Option</th><th>Default</th></tr></thead>
                    <tbody><tr><td>threads</td><td>4</td></tr><tr><td>mode | kind</td><td>fast</td></tr></tbody>
                  </table>
                  <table>
                    <tr><th colspan="2">Merged heading</th></tr>
                    <tr><td>left</td><td>right</td></tr>
                  </table>
                  <figure><img src="img/diagram.png" alt="The architecture"><figcaption>Figure 1</figcaption></figure>
                  <p>That is all there is to it; the next chapter covers the rest of the API, with more examples, and more
                     details on each call.</p>
                  <div class="share-buttons"><a href="https://twitter.com/share">Share SHAREMARKER</a></div>
                </article>
                <section id="comments" class="comments"><h2>Comments</h2>
                  <article class="comment"><p>Great post, thanks a lot for writing all of this down! COMMENTMARKER</p></article>
                  <article class="comment"><p>I disagree with the part on installers, they are fine, honestly. COMMENTMARKER</p></article>
                </section>
              </main>
              <footer class="site-footer"><p>Copyright 2026 Example FOOTERMARKER</p></footer>
            </body>
            </html>
            """;

    private static final Parser COMMONMARK = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    @Test
    void markdownKeepsTheArticleStructureAndDropsThePageFurniture() {
        PageContent c = ContentExtractor.extract(PAGE, URL, ContentFormat.MARKDOWN);
        String md = c.body();

        for (String leak : List.of("LEAKSTYLE", "LEAKSCRIPT", "LEAKNOSCRIPT", "LEAKTEMPLATE", "LEAKHIDDEN",
                "COOKIEMARKER", "NAVMARKER", "SIDEMARKER", "COMMENTMARKER", "FOOTERMARKER", "SHAREMARKER")) {
            assertThat(md).as("leaked: " + leak).doesNotContain(leak);
        }
        Node doc = COMMONMARK.parse(md);
        Structure s = new Structure();
        doc.accept(s);
        assertThat(s.headings).containsExactly("2 Install", "3 Configuration");
        assertThat(s.emphasis).containsExactly("small");
        assertThat(s.strong).containsExactly("large");
        assertThat(s.code).containsExactly("start()");
        assertThat(s.links).contains("https://docs.example.org/api/index.html");
        assertThat(s.images).containsExactly("https://docs.example.org/guide/img/diagram.png The architecture");
        assertThat(s.lists).containsExactly(
                "ol[Download the archive.|Unpack it:|Run the installer.]",
                "ul[on Linux, with tar;|on Windows, with the file manager.]");
        assertThat(s.nested).as("the inner list sits in the second item").containsExactly("Unpack it:");
        assertThat(s.quotes).containsExactly(
                "Configuration is optional: the defaults serve most users, as the FAQ explains at length.");
        assertThat(s.fences).containsExactly("java|Example.start();\nif (a < b) { return; }\n");
        assertThat(s.tables).containsExactly("Option,Default|threads,4|mode | kind,fast");
        assertThat(md).contains("Merged heading").doesNotContain("| --- | --- |\n| left");
        assertThat(md).contains("the next chapter covers the rest of the API");
    }

    @Test
    void textIsTheSameContentWithoutMarkup() {
        PageContent c = ContentExtractor.extract(PAGE, URL, ContentFormat.TEXT);
        String text = c.body();
        assertThat(text).doesNotContain("**", "](", "```", "# ", "LEAK");
        assertThat(text).contains("Example is a small library with a large heart");
        assertThat(text.split("\n\n")).contains("Install", "Download the archive.\nUnpack it:\non Linux, with tar;\n"
                + "on Windows, with the file manager.\nRun the installer.");
        assertThat(c.words()).isEqualTo(ContentExtractor.extract(PAGE, URL, ContentFormat.MARKDOWN).words());
    }

    @Test
    void metadataComesFromTheHeadOpenGraphAndJsonLd() {
        PageContent c = ContentExtractor.extract(PAGE, URL, ContentFormat.MARKDOWN);
        assertThat(c.title()).isEqualTo("Getting started | Example Docs");
        assertThat(c.description()).isEqualTo("How to start with Example.");
        assertThat(c.lang()).isEqualTo("en-GB");
        assertThat(c.canonical()).isEqualTo("https://docs.example.org/guide/start");
        assertThat(c.author()).isEqualTo("Ada Lovelace");
        assertThat(c.published()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(c.siteName()).isEqualTo("Example Docs");
        assertThat(c.reason()).isNull();

        PageContent ld = ContentExtractor.extract("""
                <html><head><title>t</title><script type="application/ld+json">
                {"@context":"https://schema.org","@type":"NewsArticle","headline":"H",
                 "author":[{"@type":"Person","name":"Grace \\"Amazing\\" Hopper"}],
                 "datePublished":"2026-01-02","publisher":{"@type":"Organization","name":"The Paper"}}
                </script></head><body><p>Body text that is long enough to be a paragraph of an article.</p></body></html>
                """, URL, ContentFormat.MARKDOWN);
        assertThat(ld.author()).isEqualTo("Grace \"Amazing\" Hopper");
        assertThat(ld.published()).isEqualTo("2026-01-02");
        assertThat(ld.siteName()).isEqualTo("The Paper");
    }

    @Test
    void documentationMarkupLosesItsPermalinksAndKeepsTheLanguageOfItsCode() {
        String page = """
                <html><body><div class="body"><section id="intro">
                <h2>Installing<a class="headerlink" href="#intro" title="Permalink">¶</a></h2>
                <p>The package installs with one command, on any system that has a recent interpreter.</p>
                <div class="highlight-python3 notranslate"><div class="highlight"><pre>import example
                example.start()</pre></div></div>
                <dl><dt id="start">start(<em>port</em>)<a class="headerlink" href="#start">¶</a></dt>
                <dd><p>Starts the server on the given port and returns once it accepts connections.</p></dd></dl>
                <h2 id="more">More<a class="anchor" href="#more"><svg></svg></a></h2>
                <p>See <a href="#start">start</a>, footnote <a href="#f1">[1]</a>, and the source.</p>
                <div class="highlight highlight-source-shell"><pre>make install</pre></div>
                <div class="highlight-default notranslate"><pre>plain</pre></div>
                </section></div></body></html>
                """;
        String md = ContentExtractor.extract(page, URL, ContentFormat.MARKDOWN).body();
        Structure s = new Structure();
        COMMONMARK.parse(md).accept(s);
        assertThat(s.headings).containsExactly("2 Installing", "2 More");
        assertThat(md).doesNotContain("¶", "#intro", "#more");
        assertThat(s.links).contains(URL + "#start", URL + "#f1");
        assertThat(s.fences).containsExactly("python3|import example\nexample.start()\n", "shell|make install\n",
                "|plain\n");
    }

    @Test
    void aBodyThatOutscoresItsBlocksIsTheContent() {
        // reduced from a PostgreSQL documentation page: the body (id "docContent") is the best candidate, with
        // three table cells scoring near it
        String page = """
                <html><body id="docContent"><div>
                <p>The catalog stores information about operators associated with access method operator families.
                There is one row for each operator that is a member of an operator family. A family member can be
                either a operator or an operator. An operator can appear in more than one family, but cannot appear
                in more than one search position nor more than one ordering position within a family. (It is
                allowed, though unlikely, for an operator to be used for both search and ordering purposes.)</p>
                <div><div class="table-contents"><table><tbody>
                <tr><td class="catalog_table_entry"><p><code>amopfamily</code> <code>oid</code>
                (references <a><code>pg_opfamily</code></a>.<code>oid</code>)</p></td></tr>
                <tr><td class="catalog_table_entry"><p><code>amoplefttype</code>
                (references <a><code>pg_type</code></a>.)</p></td></tr>
                </tbody></table></div></div></div></body></html>
                """;
        PageContent c = ContentExtractor.extract(page, URL, ContentFormat.TEXT);
        assertThat(c.reason()).isNull();
        assertThat(c.body()).contains("The catalog stores information", "amoplefttype (references pg_type.)");
    }

    @Test
    void aPageWithoutProseGivesWhatItHasInsteadOfNothing() {
        // a table of contents: links only, which the main-content rules drop as navigation
        PageContent toc = ContentExtractor.extract("""
                <html><body><div class="navheader"><a href="prev.html">Prev</a></div>
                <div class="toc"><hr><ul><li><a href="intro.html">Introduction</a></li>
                <li><a href="install.html">Installation</a></li><li><a href="usage.html">Usage</a></li></ul></div>
                </body></html>
                """, URL, ContentFormat.MARKDOWN);
        assertThat(toc.body()).contains("[Introduction](https://docs.example.org/guide/intro.html)",
                "[Usage](https://docs.example.org/guide/usage.html)");
        assertThat(toc.words()).isPositive();
        assertThat(toc.body()).startsWith("- [Introduction]");
        // prose in an element named like boilerplate ("sharing" reads as share buttons)
        PageContent named = ContentExtractor.extract("""
                <html><body><div class="navheader"><a href="prev.html">Prev</a></div>
                <div class="sect1" id="PLPYTHON-SHARING"><h2>Sharing Data</h2>
                <p>The global dictionary SD is available to store private data between repeated calls.</p>
                <p>Each function gets its own execution environment in the Python interpreter.</p></div>
                </body></html>
                """, URL, ContentFormat.TEXT);
        assertThat(named.reason()).isNull();
        assertThat(named.body()).contains("The global dictionary SD", "its own execution environment");
    }

    @Test
    void aReferenceTableIsReadWholeWithTheTextAroundIt() {
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            rows.append("<tr><td class=\"entry\"><p><code>column").append(i).append("</code> <code>oid</code></p>")
                    .append("<p>What column ").append(i).append(" holds, in a sentence or two").append(", with more")
                    .repeat(", with more", i).append(".</p></td></tr>");
        }
        String page = "<html><body><div class=\"navheader\"><a href=\"prev.html\">Prev</a></div>"
                + "<div class=\"sect1\" id=\"CATALOG\"><div class=\"titlepage\"><h2>The catalog</h2></div>"
                + "<p>The catalog stores the initial privileges to be assigned to newly created objects.</p>"
                + "<div class=\"table\"><p class=\"title\"><strong>Table 1. Columns</strong></p>"
                + "<div class=\"table-contents\"><table><tbody>" + rows + "</tbody></table></div></div></div>"
                + "<div class=\"navfooter\"><a href=\"next.html\">Next</a></div></body></html>";
        String text = ContentExtractor.extract(page, URL, ContentFormat.TEXT).body();
        assertThat(text).contains("The catalog stores the initial privileges", "Table 1. Columns", "column0 oid",
                "What column 0 holds", "column4 oid", "What column 4 holds").doesNotContain("Prev", "Next");
    }

    @Test
    void commasInCodeDoNotOutweighProse() {
        String code = "INSERT INTO test VALUES (B'101', B'00', 1, 2, 3, 4);\n".repeat(12);
        String page = "<html><body><div class=\"sect1\"><h2>Bit String Types</h2>"
                + "<p>Bit strings are strings of ones and zeros, and they can be used to store or visualize bit "
                + "masks, of which there are two types in the standard, fixed and varying in length.</p>"
                + "<p>Data must match the length exactly, or it is an error: to store shorter or longer strings, "
                + "declare the type as varying, up to a maximum length, or without one.</p>"
                + "<p>Writing the type without a length is the same as a length of one, while the varying type "
                + "without a length, unlike the fixed one, means unlimited length.</p>"
                + "<div class=\"example\"><p class=\"title\"><b>Example 8.3. Using the Bit String Types</b></p>"
                + "<div class=\"example-contents\"><pre class=\"programlisting\">" + code + "</pre></div></div>"
                + "</div></body></html>";
        String text = ContentExtractor.extract(page.replace("<h2>", "<p>\u200b</p><h2>"), URL, ContentFormat.TEXT)
                .body();
        assertThat(text).doesNotContain("\u200b").contains("Bit strings are strings of ones and zeros", "Data must match the length",
                "INSERT INTO test VALUES");
    }

    @Test
    void markdownEdgeCasesRenderAsTheyMean() {
        String page = """
                <html><body><article>
                <h2>Setting up<br>the server</h2>
                <p>An <img src="/icon.png" alt="icon"> inline icon sits in the sentence, and a
                <a href="/big.png"><img src="/thumb.png" alt="thumbnail"></a> linked thumbnail too.</p>
                <p>Code with ticks: <code>a``b</code>, and a sentence long enough to be read as content.</p>
                <table><caption>*Not* emphasis</caption>
                <tr><th>Name</th><th>Value</th></tr>
                <tr><td>pipe | in text</td><td><code>a|b</code></td></tr>
                <tr><td>first<br>second</td><td>plain</td></tr></table>
                <table><tr><td>1. not a list item</td></tr><tr><td>- nor this</td></tr><tr><td>+ nor that</td></tr></table>
                <pre class="brush: sql">SELECT 1;</pre>
                <div class="lang-en"><pre>plain words</pre></div>
                <pre class="highlight-default language-python">print(1)</pre>
                </article></body></html>
                """;
        String md = ContentExtractor.extract(page, URL, ContentFormat.MARKDOWN).body();
        Structure s = new Structure();
        COMMONMARK.parse(md).accept(s);
        assertThat(s.headings).containsExactly("2 Setting up the server");
        assertThat(md).doesNotContain("\\ ");
        assertThat(s.images).containsExactly("https://docs.example.org/icon.png icon",
                "https://docs.example.org/thumb.png thumbnail");
        assertThat(s.links).containsExactly("https://docs.example.org/big.png");
        assertThat(s.text.toString()).contains("inline icon sits in the sentence", "*Not* emphasis",
                "1. not a list item", "- nor this", "+ nor that");
        assertThat(s.code).containsExactly("a``b");
        assertThat(s.emphasis).isEmpty();
        assertThat(s.lists).isEmpty();
        assertThat(s.tables).containsExactly("Name,Value|pipe | in text,a|b|first second,plain");
        assertThat(s.fences).containsExactly("sql|SELECT 1;\n", "|plain words\n", "python|print(1)\n");
    }

    @Test
    void aSummaryWrittenAsADivBesideTheArticleTextIsKept() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            text.append("<p>Paragraph ").append(i).append(" of the story, with commas, clauses, and enough words in ")
                    .append("it to read as prose of an article, as a reader would expect.</p>");
        }
        String page = "<html><body><div class=\"article\"><h1>Headline</h1>"
                + "<div class=\"article__summary\">Three people have died during protests, after clashes erupted "
                + "between supporters and security forces.</div>"
                + "<div class=\"article__text\">" + text + "</div></div>"
                + "<div class=\"nav\"><a href=\"/a\">More news</a></div></body></html>";
        String body = ContentExtractor.extract(page, URL, ContentFormat.TEXT).body();
        assertThat(body).startsWith("Three people have died during protests").contains("Paragraph 5 of the story")
                .doesNotContain("More news");
    }

    @Test
    void markdownSpecialCharactersInTextStayText() {
        String page = "<article><p>Use *stars*, _under_scores_, [brackets] and `ticks` as they are, in a sentence "
                + "long enough to be content.</p><p>1. not a list, # not a heading, and more words after that.</p></article>";
        String md = ContentExtractor.extract(page, URL, ContentFormat.MARKDOWN).body();
        Node doc = COMMONMARK.parse(md);
        Structure s = new Structure();
        doc.accept(s);
        assertThat(s.emphasis).isEmpty();
        assertThat(s.code).isEmpty();
        assertThat(s.lists).isEmpty();
        assertThat(s.headings).isEmpty();
        assertThat(s.text.toString()).contains("Use *stars*, _under_scores_, [brackets] and `ticks` as they are")
                .contains("1. not a list, # not a heading");
    }

    @Test
    void badInputGivesAResultNeverAThrow() {
        // broken HTML
        PageContent broken = ContentExtractor.extract("<html><body><div><p>Unclosed <b>bold <i>and italic text "
                + "that goes on for a while</div></table></td><p>Another paragraph, also long enough.", URL, ContentFormat.TEXT);
        assertThat(broken.body()).contains("Unclosed bold and italic text").contains("Another paragraph");

        // no content at all
        PageContent empty = ContentExtractor.extract("<html><head><title>x</title></head><body></body></html>", URL,
                ContentFormat.MARKDOWN);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.reason()).isEqualTo("no main content");
        assertThat(empty.title()).isEqualTo("x");

        // binary served as HTML
        byte[] binary = new byte[4096];
        new Random(1).nextBytes(binary);
        PageContent bin = ContentExtractor.extract(binary, "text/html", URL, ContentFormat.MARKDOWN);
        assertThat(bin.body()).isEmpty();
        assertThat(bin.reason()).isEqualTo("not html");

        // invalid UTF-8: replaced, the rest kept
        byte[] invalid = "<p>caf\u00e9 au lait, served warm with a croissant and the morning paper.</p>"
                .getBytes(StandardCharsets.UTF_8);
        byte[] mangled = new byte[invalid.length + 2];
        System.arraycopy(invalid, 0, mangled, 0, 7);
        mangled[7] = (byte) 0xC3;
        mangled[8] = (byte) 0x28;
        System.arraycopy(invalid, 7, mangled, 9, invalid.length - 7);
        PageContent utf = ContentExtractor.extract(mangled, "text/html; charset=utf-8", URL, ContentFormat.TEXT);
        assertThat(utf.body()).contains("\uFFFD").contains("served warm with a croissant");

        // tables nested thousands deep
        String nested = "<table><tr><td>".repeat(5_000) + "deep cell text" + "</td></tr></table>".repeat(5_000);
        PageContent deep = ContentExtractor.extract(nested, URL, ContentFormat.MARKDOWN);
        assertThat(deep.reason()).isNull();
        assertThat(deep.body()).contains("deep cell text");

        // divs nested thousands deep
        String divs = "<div>".repeat(20_000) + "<p>deep paragraph with enough words in it to count.</p>" + "</div>".repeat(20_000);
        assertThat(ContentExtractor.extract(divs, URL, ContentFormat.MARKDOWN).body()).contains("deep paragraph");
    }

    @Test
    @org.junit.jupiter.api.Timeout(120) // a guard against a hang, not a measure of speed
    void aLargeJsonLdBodyBesideManyParagraphsItDoesNotQuoteStillGivesTheParagraphs() {
        // a JSON-LD article body of 1.5 M characters and 30,000 paragraphs that it does not quote
        StringBuilder quoted = new StringBuilder();
        while (quoted.length() < 1_500_000) {
            quoted.append("the quoted article says this and that again ").append(quoted.length()).append(' ');
        }
        StringBuilder page = new StringBuilder("<html><head><script type=\"application/ld+json\">{\"articleBody\":\"")
                .append(quoted).append("\"}</script></head><body>");
        for (int i = 0; i < 30_000; i++) {
            page.append("<p>A paragraph of its own, number ").append(i).append(", which the article body never says.</p>");
        }
        PageContent c = ContentExtractor.extract(page.append("</body></html>").toString(), URL, ContentFormat.TEXT);
        assertThat(c.body()).contains("number 29999");
    }

    @Test
    void aPageOverTheBoundIsReadToTheBoundAndSaysSo() {
        StringBuilder big = new StringBuilder("<html><body><article>");
        while (big.length() < 10 << 20) {
            big.append("<p>Paragraph ").append(big.length()).append(", with words, commas, and more words to read.</p>\n");
        }
        big.append("<p>THE END</p></article></body></html>");
        PageContent c = ContentExtractor.extract(big.toString().getBytes(StandardCharsets.UTF_8), "text/html", URL,
                ContentFormat.TEXT);
        assertThat(c.reason()).isEqualTo("extraction cut at 4 MiB");
        assertThat(c.body()).startsWith("Paragraph").doesNotContain("THE END");
        assertThat(c.body().length()).isLessThan(5 << 20);

        PageContent decoded = ContentExtractor.extract(big.toString(), URL, ContentFormat.TEXT);
        assertThat(decoded.reason()).isEqualTo("extraction cut at 4 Mi characters");
        assertThat(decoded.body()).startsWith("Paragraph").doesNotContain("THE END");

        // a list whose Markdown passes the output's bound (its items indented 40 levels deep) is written to the
        // bound, not dropped whole
        String list = "<html><body><article><p>The list of every item follows, in order, as the page gives it.</p>"
                + "<ul><li>level".repeat(40) + "<ul>" + "<li>an item of the list</li>".repeat(45_000)
                + "</ul>" + "</li></ul>".repeat(40) + "</article></body></html>";
        PageContent longList = ContentExtractor.extract(list, URL, ContentFormat.MARKDOWN);
        assertThat(longList.reason()).isEqualTo("content cut at 4 Mi characters");
        assertThat(longList.body()).startsWith("The list of every item follows").contains("- an item of the list");
        assertThat(longList.body().length()).isBetween(3 << 20, 4 << 20);
    }

    /** What a CommonMark tree holds, as strings. */
    private static final class Structure extends AbstractVisitor {
        final List<String> headings = new ArrayList<>();
        final List<String> emphasis = new ArrayList<>();
        final List<String> strong = new ArrayList<>();
        final List<String> code = new ArrayList<>();
        final List<String> links = new ArrayList<>();
        final List<String> images = new ArrayList<>();
        final List<String> lists = new ArrayList<>();
        final List<String> nested = new ArrayList<>();
        final List<String> quotes = new ArrayList<>();
        final List<String> fences = new ArrayList<>();
        final List<String> tables = new ArrayList<>();
        final StringBuilder text = new StringBuilder();

        @Override
        public void visit(Heading h) {
            headings.add(h.getLevel() + " " + textOf(h));
        }

        @Override
        public void visit(Emphasis e) {
            emphasis.add(textOf(e));
            visitChildren(e);
        }

        @Override
        public void visit(StrongEmphasis e) {
            strong.add(textOf(e));
            visitChildren(e);
        }

        @Override
        public void visit(Code c) {
            code.add(c.getLiteral());
        }

        @Override
        public void visit(Link l) {
            links.add(l.getDestination());
            visitChildren(l);
        }

        @Override
        public void visit(Image i) {
            images.add(i.getDestination() + " " + textOf(i));
        }

        @Override
        public void visit(Text t) {
            text.append(t.getLiteral());
        }

        @Override
        public void visit(BulletList l) {
            lists.add("ul" + items(l));
            visitChildren(l);
        }

        @Override
        public void visit(OrderedList l) {
            lists.add("ol" + items(l));
            visitChildren(l);
        }

        @Override
        public void visit(BlockQuote q) {
            quotes.add(textOf(q));
        }

        @Override
        public void visit(FencedCodeBlock f) {
            fences.add(f.getInfo() + "|" + f.getLiteral());
        }

        @Override
        public void visit(org.commonmark.node.CustomBlock block) {
            if (block instanceof TableBlock table) {
                List<String> rows = new ArrayList<>();
                for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
                    for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                        List<String> cells = new ArrayList<>();
                        for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                            if (cell instanceof TableCell) {
                                cells.add(textOf(cell));
                            }
                        }
                        rows.add(String.join(",", cells));
                    }
                }
                tables.add(String.join("|", rows));
            }
        }

        private String items(Node list) {
            List<String> items = new ArrayList<>();
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                Node para = item.getFirstChild();
                items.add(para == null ? "" : textOf(para));
                for (Node child = para == null ? null : para.getNext(); child != null; child = child.getNext()) {
                    if ((child instanceof BulletList || child instanceof OrderedList) && item instanceof ListItem) {
                        nested.add(textOf(para));
                    }
                }
            }
            return "[" + String.join("|", items) + "]";
        }

        private static String textOf(Node node) {
            StringBuilder b = new StringBuilder();
            node.accept(new AbstractVisitor() {
                @Override
                public void visit(Text t) {
                    b.append(t.getLiteral());
                }

                @Override
                public void visit(Code c) {
                    b.append(c.getLiteral());
                }

                @Override
                public void visit(org.commonmark.node.SoftLineBreak s) {
                    b.append(' ');
                }
            });
            return b.toString().strip();
        }
    }
}
