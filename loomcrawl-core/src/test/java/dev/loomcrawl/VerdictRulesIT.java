package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The verdict of every kind of href that real sites hold, on one page: what the HTML and URL standards make of it
 * decides. A same-document reference ({@code ""}, {@code "#"}, {@code "?"}) is the page itself; a link of another
 * scheme is listed as excluded, never dropped and never failing; a fragment is found as a browser finds it
 * (decoded, {@code top}), on the page a redirect chain ends on. Only a link that a browser could not follow fails.
 * Where LinkChecker and linkinator judge this page otherwise, and why, is in {@code docs/benchmarks.md}.
 */
@Timeout(60)
class VerdictRulesIT {

    private FaultServer site;

    @BeforeEach
    void start() throws Exception {
        site = FaultServer.start();
        String origin = "127.0.0.1:" + site.port();
        site.serve(Map.of(
                "/", Resource.html("""
                        <!doctype html><title>verdicts</title>
                        <link rel="canonical" href="file:///usr/share/doc/python3/html/index.html">
                        <h2 id="caf\u00e9">Caf\u00e9</h2><h2 id="a.b">A.b</h2><h2 id="a b">A b</h2>
                        <a href="">empty</a>
                        <a href=" ">space</a>
                        <a href="#">hash</a>
                        <a href="?">query mark</a>
                        <a href="?page=2">only a query</a>
                        <a href="#caf%C3%A9">encoded fragment</a>
                        <a href="#a%2Eb">encoded dot</a>
                        <a href="#a%20b">encoded space</a>
                        <a href="#TOP">top</a>
                        <a href="#nothere">missing anchor</a>
                        <a href="javascript:void(0)">script</a>
                        <a href="mailto:docs@example.com">mail</a>
                        <a href="MAILTO:DOCS@EXAMPLE.COM">mail, upper case</a>
                        <a href="tel:+15551234">phone</a>
                        <a href="news://comp.ai.genetic">news</a>
                        <a href="ftp://ftp.example.com/pub/">ftp</a>
                        <a href="data:text/plain,hi">data</a>
                        <a href="blob:https://example.com/1">blob</a>
                        <a href="about:blank">blank</a>
                        <a href="//ORIGIN/ok">protocol-relative</a>
                        <a href="HTTP://ORIGIN/ok">upper-case scheme</a>
                        <a href="http://b\u00fccher.example/">IDN host</a>
                        <a href="/sub#here">fragment behind a redirect</a>
                        <a href="/sub#nothere">missing anchor behind a redirect</a>
                        <a href="http://[bad">bad</a>
                        <a href="http://127.0.0.1:99999/">bad port</a>
                        """.replace("ORIGIN", origin)),
                "/ok", Resource.html("ok"),
                "/sub", Resource.redirect(301, "/sub/"),
                "/sub/", Resource.html("<p id=here>here</p>")));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    @Test
    void eachHrefGetsTheVerdictTheStandardsGiveIt() {
        CheckReport report = LinkChecker.builder().crawler(Crawler.builder().concurrency(4).retries(0).build())
                .externalLinks(false).build().check(site.url("/"));
        Map<String, Verdict> byText = new LinkedHashMap<>();
        report.links().stream().filter(l -> l.source().equals(site.url("/")))
                .forEach(l -> byText.put(l.text().isEmpty() ? l.element() : l.text(), l.verdict()));
        Map<String, Verdict> expected = new LinkedHashMap<>();
        expected.put("link[href]", Verdict.EXCLUDED);
        for (String same : List.of("empty", "space", "hash", "query mark", "only a query", "encoded fragment",
                "encoded dot", "encoded space", "top")) {
            expected.put(same, Verdict.OK);
        }
        expected.put("missing anchor", Verdict.BROKEN_ANCHOR);
        for (String other : List.of("script", "mail", "mail, upper case", "phone", "news", "ftp", "data", "blob",
                "blank")) {
            expected.put(other, Verdict.EXCLUDED);
        }
        expected.put("protocol-relative", Verdict.OK);
        expected.put("upper-case scheme", Verdict.OK);
        expected.put("IDN host", Verdict.EXCLUDED); // external, and external links are not checked here
        expected.put("fragment behind a redirect", Verdict.REDIRECTED);
        expected.put("missing anchor behind a redirect", Verdict.BROKEN_ANCHOR);
        expected.put("bad", Verdict.INVALID);
        expected.put("bad port", Verdict.INVALID);
        assertThat(byText).containsExactlyEntriesOf(expected);

        assertThat(detail(report, "news")).isEqualTo("not checked: news link");
        assertThat(detail(report, "link[href]")).isEqualTo("not checked: file link");
        assertThat(detail(report, "mail, upper case")).isEqualTo("not checked: mailto link");
        assertThat(detail(report, "missing anchor behind a redirect"))
                .isEqualTo(site.url("/sub") + " -> " + site.url("/sub/") + ": no id or name 'nothere'");
        assertThat(report.links()).filteredOn(l -> l.source().equals(site.url("/")) && l.text().equals("only a query"))
                .singleElement()
                .extracting(LinkCheck::url).isEqualTo(site.url("/?page=2"));
    }

    private static String detail(CheckReport report, String textOrElement) {
        return report.links().stream()
                .filter(l -> l.text().equals(textOrElement) || l.text().isEmpty() && l.element().equals(textOrElement))
                .findFirst().orElseThrow().detail();
    }
}
