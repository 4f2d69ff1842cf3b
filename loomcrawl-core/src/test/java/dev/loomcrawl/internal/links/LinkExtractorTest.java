package dev.loomcrawl.internal.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.internal.url.UrlNormalizer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinkExtractorTest {

    private static final String PAGE = "http://example.com/dir/page.html";

    private static List<String> links(String html) {
        return LinkExtractor.links(PAGE, html);
    }

    @Test
    void findsEveryNavigableElementInDocumentOrder() {
        String html = """
                <a href="a.html">a</a>
                <AREA HREF="area.html">
                <iframe src="iframe.html"></iframe>
                <frame src="frame.html">
                <link rel="next" href="next.html"><link rel="prev" href="prev.html">
                <link rel="alternate" hreflang="de" href="de.html"><link rel="Canonical" href="canon.html">
                <meta http-equiv="refresh" content="5; url=refresh.html">
                """;
        assertThat(links(html)).containsExactly(
                "http://example.com/dir/a.html", "http://example.com/dir/area.html",
                "http://example.com/dir/iframe.html", "http://example.com/dir/frame.html",
                "http://example.com/dir/next.html", "http://example.com/dir/prev.html",
                "http://example.com/dir/de.html", "http://example.com/dir/canon.html",
                "http://example.com/dir/refresh.html");
    }

    @Test
    void ignoresResourcesScriptsStylesAndComments() {
        String html = """
                <link rel="stylesheet" href="style.css"><link rel="icon" href="icon.png">
                <script src="app.js"></script>
                <script>document.write('<a href="in-script.html">x</a>'); // </scrip t></script>
                <style>a::after { content: '<a href="in-style.html">'; }</style>
                <!-- <a href="in-comment.html">old</a> -->
                <!--> <a href="after-empty-comment.html">yes</a>
                <img src="pic.png"><video src="v.mp4"></video>
                <textarea><a href="in-textarea.html"></a></textarea>
                <title><a href="in-title.html"></a></title>
                <a href="real.html">real</a>
                """;
        assertThat(links(html)).containsExactly(
                "http://example.com/dir/after-empty-comment.html", "http://example.com/dir/real.html");
    }

    @Test
    void baseHrefAppliesToEveryLinkWhereverItStands() {
        String html = "<a href=\"before.html\"></a><base href=\"/other/\"><base href=\"/ignored/\"><a href=\"after.html\"></a>";
        assertThat(links(html)).containsExactly("http://example.com/other/before.html", "http://example.com/other/after.html");
    }

    @Test
    void decodesCharacterReferencesInAttributes() {
        String html = "<a href=\"a.html?x=1&amp;y=2\"></a><a href='b.html?c=&copy=3'></a><a href=&#x63;.html></a>";
        assertThat(links(html)).containsExactly(
                "http://example.com/dir/a.html?x=1&y=2", "http://example.com/dir/b.html?c=&copy=3",
                "http://example.com/dir/c.html");
    }

    @Test
    void keepsEachLinkOnceAndSkipsNonHttp() {
        String html = "<a href=x.html></a><a href=x.html#frag></a><a href=mailto:a@b.c></a>"
                + "<a href=\"javascript:go()\"></a><a href=tel:1></a><a href=data:,x></a><a href=X.html></a>";
        assertThat(links(html)).containsExactly("http://example.com/dir/x.html", "http://example.com/dir/X.html");
    }

    @Test
    void readsAttributesTheWayBrowsersTokenizeThem() {
        String html = "<a title='x > y' href=quoted-gt.html></a><a\nhref\n=\n\"spaced.html\"></a>"
                + "<a href=first.html href=second.html></a><a/href=slash.html></a><a href=\"unterminated";
        assertThat(links(html)).containsExactly("http://example.com/dir/quoted-gt.html",
                "http://example.com/dir/spaced.html", "http://example.com/dir/first.html",
                "http://example.com/dir/slash.html");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<a href=x.html></a", "<a href=x.html></a class='x", "<a href=x.html></p", "<a href=x.html><!-",
        "<a href=x.html><!--", "<a href=x.html></", "<a href=x.html><"})
    @org.junit.jupiter.api.Timeout(10)
    void inputThatEndsInsideATagEnds(String html) {
        assertThat(links(html)).containsExactly("http://example.com/dir/x.html");
        byte[] bytes = (html + " ".repeat(1024)).substring(0, 1024).getBytes(StandardCharsets.US_ASCII);
        assertThat(HtmlCharset.detect(bytes, bytes.length, null)).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void everyPrefixOfAPageScansToTheEnd() {
        String page = "<!doctype html><html><head><meta charset=utf-8><title>t</title><script>var a='</script>';</script>"
                + "</head><body><!-- c --><a href='a.html' title=\"x\">a</a></body></html>";
        for (int i = 0; i <= page.length(); i++) {
            links(page.substring(0, i)); // must return, whatever the cut
        }
        assertThat(links(page)).containsExactly("http://example.com/dir/a.html");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0;url=target.html", "0; URL = 'target.html'", "3,url=\"target.html\"", "0;target.html"})
    void readsMetaRefreshTargets(String content) {
        assertThat(links("<meta http-equiv=Refresh content=\"" + content.replace("\"", "&quot;") + "\">"))
                .containsExactly("http://example.com/dir/target.html");
    }

    @Test
    void decodesThePageWithItsCharset() {
        byte[] latin1 = "<a href=\"caf\u00e9.html\"></a>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(LinkExtractor.links(PAGE, latin1, latin1.length, "text/html; charset=ISO-8859-1"))
                .containsExactly("http://example.com/dir/caf%C3%A9.html");
        byte[] meta = "<meta charset=\"windows-1252\"><a href=\"caf\u00e9.html\"></a>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(LinkExtractor.links(PAGE, meta, meta.length, "text/html"))
                .containsExactly("http://example.com/dir/caf%C3%A9.html");
        byte[] utf8 = "<a href=\"caf\u00e9.html\"></a>".getBytes(StandardCharsets.UTF_8);
        assertThat(LinkExtractor.links(PAGE, utf8, utf8.length, null)).containsExactly("http://example.com/dir/caf%C3%A9.html");
        byte[] koi8 = "<a href=\"\u0434\u043e\u043c.html\"></a>".getBytes(Charset.forName("KOI8-R"));
        assertThat(LinkExtractor.links(PAGE, koi8, koi8.length, "text/html; charset=koi8-r"))
                .containsExactly("http://example.com/dir/%D0%B4%D0%BE%D0%BC.html");
        byte[] utf16 = "\uFEFF<a href=\"caf\u00e9.html\"></a>".getBytes(StandardCharsets.UTF_16BE);
        assertThat(LinkExtractor.links(PAGE, utf16, utf16.length, "text/html"))
                .containsExactly("http://example.com/dir/caf%C3%A9.html");
        byte[] invalid = {'<', 'a', ' ', 'h', 'r', 'e', 'f', '=', 'x', (byte) 0xff, '>'};
        assertThat(LinkExtractor.links(PAGE, invalid, invalid.length, "text/html; charset=utf-8"))
                .containsExactly("http://example.com/dir/x%EF%BF%BD");
    }

    @Test
    void charsetSniffingFollowsTheHtmlStandardOrder() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x'};
        assertThat(HtmlCharset.detect(bom, bom.length, "text/html; charset=iso-8859-2")).isEqualTo(StandardCharsets.UTF_8);
        byte[] plain = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\">".getBytes(StandardCharsets.US_ASCII);
        assertThat(HtmlCharset.detect(plain, plain.length, null)).isEqualTo(Charset.forName("ISO-8859-2"));
        assertThat(HtmlCharset.detect(plain, plain.length, "text/html; charset=\"koi8-r\"")).isEqualTo(Charset.forName("KOI8-R"));
        assertThat(HtmlCharset.detect(plain, plain.length, "text/html; charset=latin1")).isEqualTo(Charset.forName("windows-1252"));
        byte[] none = "<p>hi".getBytes(StandardCharsets.US_ASCII);
        assertThat(HtmlCharset.detect(none, none.length, "text/html; charset=nonsense")).isEqualTo(StandardCharsets.UTF_8);
    }

    /** jsoup, a full HTML5 parser, is the reference. */
    private static List<String> jsoupLinks(String pageUrl, String html) {
        Document doc = Jsoup.parse(html, pageUrl);
        Set<String> out = new LinkedHashSet<>();
        for (Element e : doc.select("a[href], area[href], iframe[src], frame[src], link[href], meta[http-equiv]")) {
            String raw = switch (e.normalName()) {
                case "iframe", "frame" -> e.attr("src");
                case "link" -> List.of(e.attr("rel").toLowerCase().split("\\s+")).stream()
                        .anyMatch(r -> Set.of("next", "prev", "alternate", "canonical").contains(r)) ? e.attr("href") : null;
                case "meta" -> LinkExtractor.refreshTarget(e.attr("http-equiv"), e.attr("content"));
                default -> e.attr("href");
            };
            if (raw != null) {
                String url = UrlNormalizer.resolve(UrlNormalizer.normalize(doc.baseUri()), raw);
                if (url != null) {
                    out.add(url);
                }
            }
        }
        return new ArrayList<>(out);
    }

    @Test
    void keepsEachLinksAnchorTextTheWayABrowserShowsIt() {
        String html = "<a href=/a>  Home\n  page </a><a href=/b><img src=p.png alt=x>Pic &amp; <b>bold</b></a>"
                + "<a href=/a>Again</a><map><area href=/c alt='Map  area'></map><a href=/d>unclosed <a href=/e>next</a>"
                + "<a href=/f></a><a href=/f>second, with text</a><link rel=next href=/g>";
        PageLinks page = LinkExtractor.extract(PAGE, html.getBytes(StandardCharsets.UTF_8), html.length(), "text/html");
        assertThat(page.links()).extracting(u -> u.substring(u.lastIndexOf('/')))
                .containsExactly("/a", "/b", "/c", "/d", "/e", "/f", "/g");
        assertThat(page.texts()).containsExactly("Home page", "Pic & bold", "Map area", "unclosed", "next",
                "second, with text", "");
        byte[] latin1 = "<a href=/h>caf\u00e9 cr\u00e8me</a>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(LinkExtractor.extract(PAGE, latin1, latin1.length, "text/html; charset=ISO-8859-1").texts())
                .containsExactly("caf\u00e9 cr\u00e8me");
        String endless = "<a href=/i>" + "word ".repeat(1000);
        assertThat(LinkExtractor.extract(PAGE, endless.getBytes(StandardCharsets.UTF_8), endless.length(), "text/html")
                .texts().getFirst()).hasSizeBetween(LinkExtractor.MAX_TEXT - 5, LinkExtractor.MAX_TEXT).startsWith("word word");
    }

    @Test
    void anAnchorTextThatIsAlmostPlainIsStillCollapsedDecodedAndCut() {
        String max = "x".repeat(LinkExtractor.MAX_TEXT);
        String[][] sourceAndText = {
            {"see item 4", "see item 4"}, {"", ""}, {" lead", "lead"}, {"trail ", "trail"}, {"two  spaces", "two spaces"},
            {"tab\there", "tab here"}, {"new\nline", "new line"}, {"a&lt;b", "a<b"}, {"x<i>y</i>", "xy"},
            {"del\u007f", "del\u007f"}, {"nb\u00a0sp", "nb sp"}, {max, max}, {max + "y", max}, {"a " + max, ("a " + max).substring(0, LinkExtractor.MAX_TEXT)},
        };
        for (String[] c : sourceAndText) {
            String html = "<a href=/a>" + c[0] + "</a>";
            byte[] utf8 = html.getBytes(StandardCharsets.UTF_8);
            assertThat(LinkExtractor.extract(PAGE, utf8, utf8.length, "text/html").texts()).as(c[0]).containsExactly(c[1]);
        }
    }

    @Test
    void anchorTextsAgreeWithJsoupOnGeneratedPages() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(200, 9), "http://127.0.0.1:9");
        int withText = 0;
        for (Map.Entry<String, Resource> e : site.resources().entrySet()) {
            if (!e.getValue().contentType().startsWith("text/html")) {
                continue;
            }
            String url = "http://127.0.0.1:9" + e.getKey();
            byte[] body = e.getValue().body();
            Map<String, String> expected = new java.util.LinkedHashMap<>();
            for (Element a : Jsoup.parse(new String(body, StandardCharsets.UTF_8), url).select("a[href]")) {
                String target = UrlNormalizer.resolve(a.baseUri(), a.attr("href"));
                if (target != null) {
                    expected.merge(target, a.text(), (first, later) -> first.isEmpty() ? later : first);
                }
            }
            PageLinks page = LinkExtractor.extract(url, body, body.length, e.getValue().contentType());
            for (int i = 0; i < page.links().size(); i++) {
                String want = expected.get(page.links().get(i));
                if (want != null) {
                    assertThat(page.texts().get(i)).as(url + " -> " + page.links().get(i)).isEqualTo(want);
                    withText += want.isEmpty() ? 0 : 1;
                }
            }
        }
        assertThat(withText).isGreaterThan(1000);
    }

    @Test
    void agreesWithJsoupOnGeneratedPages() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 7), "http://127.0.0.1:9");
        int compared = 0;
        for (Map.Entry<String, Resource> e : site.resources().entrySet()) {
            if (e.getValue().contentType().startsWith("text/html")) {
                String url = "http://127.0.0.1:9" + e.getKey();
                byte[] body = e.getValue().body();
                String html = new String(body, StandardCharsets.UTF_8);
                List<String> expected = jsoupLinks(url, html);
                assertThat(links(url, html)).as(url).isEqualTo(expected);
                assertThat(LinkExtractor.links(url, body, body.length, e.getValue().contentType())).as(url).isEqualTo(expected);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(290);
    }

    private static List<String> links(String url, String html) {
        return LinkExtractor.links(url, html);
    }

    @Test
    void agreesWithJsoupOnTrickyMarkup() {
        String html = """
                <!DOCTYPE html><html><head><base href="http://example.com/base/">
                <script type="text/template"><a href="tpl.html"></a></script>
                </head><body>
                <A HREF = "UPPER.html">x</A><a href=unquoted.html?a=1&amp;b=2>y</a>
                <a href="  spaced.html  ">z</a><a href="&#104;ttp://example.com/ent">e</a>
                <p title="<a href='no.html'>">text</p><a href="">empty</a><a href>bare</a>
                <iframe src="frame.html"><a href="inside-iframe.html"></a></iframe>
                <noframes><a href="nf.html"></a></noframes>
                <svg><a href="svg.html"></a></svg>
                <a href="//other.example.org/path">other host</a>
                <!----><a href="after.html">after</a><!-- a -- b --><a href="last.html">last</a>
                </body></html>
                """;
        assertThat(links(PAGE, html)).isEqualTo(jsoupLinks(PAGE, html));
    }
}
