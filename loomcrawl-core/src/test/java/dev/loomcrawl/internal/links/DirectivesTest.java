package dev.loomcrawl.internal.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** nofollow, noindex and content sniffing. */
class DirectivesTest {

    private static final String PAGE = "http://a.test/dir/page";

    private static PageLinks extract(String html) {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        return LinkExtractor.extract(PAGE, bytes, bytes.length, "text/html");
    }

    @Test
    void relNofollowMarksLinksOfAnchorsAndAreasOnly() {
        PageLinks links = extract("<a rel='NoFollow ugc' href=x>x</a><a href=y>y</a><area rel=nofollow href=z>"
                + "<link rel='next nofollow' href=n><a rel=nofollower href=w>w</a>");
        assertThat(links.links()).containsExactly("http://a.test/dir/x", "http://a.test/dir/y", "http://a.test/dir/z",
                "http://a.test/dir/n", "http://a.test/dir/w");
        assertThat(links.nofollow()).containsExactly("http://a.test/dir/x", "http://a.test/dir/z");
    }

    @Test
    void robotsMetaTagsSayNoindexAndNofollow() {
        assertThat(extract("<meta name=robots content='noindex'>")).extracting(PageLinks::noindex, PageLinks::nofollowAll)
                .containsExactly(true, false);
        assertThat(extract("<meta name=ROBOTS content='NOFOLLOW'>")).extracting(PageLinks::noindex, PageLinks::nofollowAll)
                .containsExactly(false, true);
        assertThat(extract("<meta name=loomcrawl content=none>")).extracting(PageLinks::noindex, PageLinks::nofollowAll)
                .containsExactly(true, true);
        assertThat(extract("<meta name=googlebot content=none><meta name=description content=nofollow>"))
                .extracting(PageLinks::noindex, PageLinks::nofollowAll).containsExactly(false, false);
        assertThat(extract("<script>'<meta name=robots content=none>'</script><!-- <meta name=robots content=none> -->"))
                .extracting(PageLinks::noindex, PageLinks::nofollowAll).containsExactly(false, false);
    }

    @Test
    void xRobotsTagAppliesWhenGeneralOrAddressedToLoomcrawl() {
        assertThat(RobotsDirectives.fromHeader("noindex, nofollow")).isEqualTo(new RobotsDirectives(true, true));
        assertThat(RobotsDirectives.fromHeader("googlebot: noindex")).isEqualTo(RobotsDirectives.NONE);
        assertThat(RobotsDirectives.fromHeader("LoomCrawl: nofollow")).isEqualTo(new RobotsDirectives(false, true));
        assertThat(RobotsDirectives.fromHeader("unavailable_after: 25 Jun 2010 15:00:00 PST")).isEqualTo(RobotsDirectives.NONE);
        assertThat(RobotsDirectives.fromHeader("none")).isEqualTo(new RobotsDirectives(true, true));
        assertThat(RobotsDirectives.fromHeader(null)).isEqualTo(RobotsDirectives.NONE);
    }

    @Test
    void htmlIsSniffedByTypeAndABinaryBodyLabeledHtmlIsNotParsed() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] html = "<!DOCTYPE html><a href=x>".getBytes(StandardCharsets.US_ASCII);
        assertThat(ContentSniffer.isHtml("text/html; charset=utf-8", html, html.length)).isTrue();
        assertThat(ContentSniffer.isHtml("application/xhtml+xml", html, html.length)).isTrue();
        assertThat(ContentSniffer.isHtml("text/html", png, png.length)).isFalse();
        assertThat(ContentSniffer.isHtml("image/png", html, html.length)).isFalse();
        assertThat(ContentSniffer.isHtml(null, html, html.length)).isTrue();
        assertThat(ContentSniffer.isHtml(null, png, png.length)).isFalse();
        byte[] utf16 = "\uFEFF<html><a href=x>".getBytes(StandardCharsets.UTF_16BE);
        assertThat(ContentSniffer.isHtml("text/html", utf16, utf16.length)).as("UTF-16 has zero bytes").isTrue();
    }
}
