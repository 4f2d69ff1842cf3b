package dev.loomcrawl.internal.links;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The link checker's reading of a page comes from the same scan as the crawl's links, and agrees with jsoup. */
class PageOccurrencesTest {

    private static final String PAGE = "http://example.com/dir/page.html";

    private static PageOccurrences read(String html, LinkExtractor.Reading reading) {
        byte[] utf8 = html.getBytes(StandardCharsets.UTF_8);
        return LinkExtractor.extract(PAGE, utf8, utf8.length, "text/html; charset=utf-8", reading).occurrences();
    }

    private static final String TRICKY = """
            <!DOCTYPE html>
            <HTML><head><base href="/base/">
            <LINK REL=icon href=fav.ico><link rel="stylesheet" href="s.css"><link rel=canonical href="/c">
            <meta http-equiv=" Refresh " content="0; url=/moved">
            <script src="app.js"></script><script>var s = "<a href='/in-script'>";</script>
            <style>a { background: url(x.png) } </style><title><a href=/in-title></title>
            </head><body id=top>
            <!-- <a href="/in-comment"> -->
            <h2 id="caf\u00e9">Caf\u00e9</h2><a name=old-style></a>
            <a href="one.html#sec">One
              two</a> <a href='two.html'><img src=pic.png alt="A  picture"></a>
            <a href="mailto:x@example.com">mail</a><a href="">here</a><a href="#">top</a>
            <a href="http://[bad">bad</a>
            <map><area href=/map alt="The map"></map><iframe src=/frame></iframe>
            <video src=v.mp4>no video</video><source src=s.webm><audio src=a.ogg></audio><embed src=e.swf>
            <track src=t.vtt><a href=/open>open <b>bold &amp; more
            <a href=/after>after</a>
            </body></HTML>
            """;

    @ParameterizedTest
    @EnumSource(value = LinkExtractor.Reading.class, names = {"OCCURRENCES", "OCCURRENCES_AND_RESOURCES"})
    void readsEveryLinkWhereItStandsAsJsoupDoes(LinkExtractor.Reading reading) {
        boolean resources = reading == LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES;
        PageOccurrences scanned = read(TRICKY, reading);
        PageOccurrences expected = JsoupOccurrences.read(PAGE, TRICKY.getBytes(StandardCharsets.UTF_8),
                TRICKY.getBytes(StandardCharsets.UTF_8).length, "text/html", resources);
        // the oracle reads link attributes; CSS in style elements is the scanner's own (see the next tests)
        assertThat(scanned.links()).filteredOn(l -> !l.element().equals("style")).isEqualTo(expected.links());
        assertThat(scanned.links()).filteredOn(l -> l.element().equals("style")).extracting(LinkOccurrence::href)
                .isEqualTo(resources ? java.util.List.of("x.png") : java.util.List.of());
        assertThat(scanned.anchors()).isEqualTo(expected.anchors())
                .contains("top", "caf\u00e9", "old-style");
        assertThat(scanned.links()).extracting(LinkOccurrence::element)
                .contains("meta[content]", "a[href]", "area[href]", "iframe[src]", "link[href]");
        if (resources) {
            assertThat(scanned.links()).extracting(LinkOccurrence::element)
                    .contains("img[src]", "script[src]", "video[src]", "source[src]", "audio[src]", "embed[src]",
                            "track[src]");
        }
    }

    @Test
    void linesTextsAndFragmentsAreThoseOfTheSource() {
        PageOccurrences page = read(TRICKY, LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES);
        assertThat(page.links()).filteredOn(l -> l.href().equals("one.html#sec")).singleElement()
                .satisfies(l -> {
                    assertThat(l.line()).isEqualTo(10);
                    assertThat(l.text()).isEqualTo("One two");
                    assertThat(l.fragment()).isEqualTo("sec");
                    assertThat(l.url()).isEqualTo("http://example.com/base/one.html");
                });
        assertThat(page.links()).filteredOn(l -> l.href().equals("two.html")).singleElement()
                .extracting(LinkOccurrence::text).isEqualTo("A picture");
        assertThat(page.links()).filteredOn(l -> l.href().equals("/open")).singleElement()
                .extracting(LinkOccurrence::text).isEqualTo("open bold & more");
        assertThat(page.links()).extracting(LinkOccurrence::href)
                .doesNotContain("/in-script", "/in-title", "/in-comment");
        assertThat(page.links()).filteredOn(l -> l.href().equals("mailto:x@example.com")).singleElement()
                .extracting(LinkOccurrence::url).as("listed, with no http(s) URL").isNull();
        assertThat(page.links()).filteredOn(l -> l.href().isEmpty()).singleElement()
                .extracting(LinkOccurrence::url).as("the page's base").isEqualTo("http://example.com/base/");
    }

    @Test
    void withResourcesEveryUrlAPageLoadsIsALinkToo() {
        String html = """
                <link rel="apple-touch-icon" href="/touch.png"><link rel=manifest href=/site.webmanifest>
                <link rel=preload href=/font.woff2 as=font><link rel=search href=/opensearch.xml>
                <link rev=made href="mailto:web@example.com">
                <style>
                  @import "print.css";
                  body { background: url('/bg.png') } .x { background-image: url(data:image/png;base64,AAAA) }
                </style>
                <img src=a.png srcset="a-2x.png 2x, /b-640.png 640w">
                <picture><source srcset="c.webp"><img src=c.png alt=C></picture>
                <object data=movie.swf></object><div style="background: url(&quot;d.png&quot;)">x</div>
                """;
        PageOccurrences page = read(html, LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES);
        assertThat(page.links()).extracting(l -> l.element() + " " + l.href() + " " + l.line()).containsExactly(
                "link[href] /touch.png 1", "link[href] /site.webmanifest 1", "link[href] /font.woff2 2",
                "link[href] /opensearch.xml 2", "link[rev] mailto:web@example.com 3", "style print.css 5",
                "style /bg.png 6", "img[src] a.png 8", "img[srcset] a-2x.png 8", "img[srcset] /b-640.png 8",
                "source[srcset] c.webp 9", "img[src] c.png 9", "object[data] movie.swf 10", "div[style] d.png 10");
        assertThat(page.links()).allMatch(LinkOccurrence::resource);
        assertThat(read(html, LinkExtractor.Reading.OCCURRENCES).links()).as("without resources, none of them")
                .isEmpty();
    }

    @Test
    void srcsetCandidatesAreSplitAsTheStandardSplitsThem() {
        assertThat(PageScan.srcsetUrls("a-2x.png 2x, /b-640.png 640w")).containsExactly("a-2x.png", "/b-640.png");
        assertThat(PageScan.srcsetUrls("data:image/gif;base64,R0lGODlhAQABAAAAACw= 1w, real.png 2w"))
                .as("a data: placeholder, commas and all, is no link").containsExactly("real.png");
        assertThat(PageScan.srcsetUrls("https://res.example/w_400,h_300/pic.jpg 400w,\n\t/pic-800.jpg\t800w"))
                .as("a comma inside a URL, tabs and newlines between").containsExactly(
                        "https://res.example/w_400,h_300/pic.jpg", "/pic-800.jpg");
        assertThat(PageScan.srcsetUrls("one.png,two.png 2x")).as("commas inside a URL are its own")
                .containsExactly("one.png,two.png");
        assertThat(PageScan.srcsetUrls("  ")).isEmpty();
    }

    @Test
    void cssInCommentsIsNoLink() {
        String html = "<style>/* url(old.png) */ a { background: URL(new.png) } /* @import 'x.css' */\n"
                + "b { background: url(DATA:image/png;base64,AAAA) }</style><p style='/* url(gone.png) */'>x";
        assertThat(read(html, LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES).links())
                .extracting(LinkOccurrence::href).containsExactly("new.png");
    }

    @Test
    void theCheckersReadingGivesTheCrawlTheSameLinksAsItsOwn() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 11), "http://127.0.0.1:9");
        int compared = 0;
        for (Map.Entry<String, Resource> e : site.resources().entrySet()) {
            if (!e.getValue().contentType().startsWith("text/html")) {
                continue;
            }
            String url = "http://127.0.0.1:9" + e.getKey();
            byte[] body = e.getValue().body();
            String type = e.getValue().contentType();
            PageLinks plain = LinkExtractor.extract(url, body, body.length, type, LinkExtractor.Reading.TEXTS);
            for (LinkExtractor.Reading reading : new LinkExtractor.Reading[] {
                    LinkExtractor.Reading.OCCURRENCES, LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES}) {
                PageLinks checked = LinkExtractor.extract(url, body, body.length, type, reading);
                assertThat(checked.links()).as(url).isEqualTo(plain.links());
                assertThat(checked.texts()).as(url).isEqualTo(plain.texts());
                assertThat(checked.nofollow()).as(url).isEqualTo(plain.nofollow());
                PageOccurrences expected = JsoupOccurrences.read(url, body, body.length, type,
                        reading == LinkExtractor.Reading.OCCURRENCES_AND_RESOURCES);
                assertThat(checked.occurrences().links()).as(url).isEqualTo(expected.links());
                assertThat(checked.occurrences().anchors()).as(url).isEqualTo(expected.anchors());
            }
            assertThat(plain.occurrences()).isNull();
            compared++;
        }
        assertThat(compared).isGreaterThan(290);
    }
}
