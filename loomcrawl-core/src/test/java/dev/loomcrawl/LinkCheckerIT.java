package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A fixture site with a link of every verdict, and external stubs on another loopback host. */
class LinkCheckerIT {

    private FaultServer site;
    private FaultServer stub;

    @BeforeEach
    void start() throws Exception {
        site = FaultServer.start();
        stub = FaultServer.start();
        String ext = "http://localhost:" + stub.port();
        site.serve(Map.of(
                "/robots.txt", Resource.of(200, "text/plain", "User-agent: *\nDisallow: /secret/\n".getBytes()),
                "/", Resource.html("""
                        <!doctype html><title>home</title>
                        <a href="/ok">Fine page</a>
                        <a href="/missing">Gone page</a>
                        <a href="/moved">Moved</a>
                        <a href="/ok#section">Section</a>
                        <a href="/ok#nowhere">Nowhere</a>
                        <a href="/private">Private</a>
                        <a href="/slow">Slow</a>
                        <a href="/secret/x">Robots</a>
                        <a href="http://[bad">Bad</a>
                        <a href="%s/page">Stub</a>
                        <a href="%s/forbidden">Ext 403</a>
                        <a href="%s/gone">Ext gone</a>
                        <a id=top href="#top"><img alt="Top"></a>
                        <a href="mailto:web@example.com">mail</a>
                        """.formatted(ext, ext, ext)),
                "/ok", Resource.html("<h2 id=section>s</h2>\n<a href='" + ext + "/gone'>again</a>"),
                "/moved", Resource.redirect(301, "/ok"),
                "/private", Resource.of(403, "text/html", "no".getBytes())));
        site.route("/slow", Fault.stallBeforeHeaders());
        stub.route("/page", Fault.refusingHead(Fault.serve(Resource.html("stub"))));
        stub.route("/forbidden", Fault.status(403, Map.of()));
    }

    @AfterEach
    void stop() {
        site.close();
        stub.close();
    }

    private CrawlerBuilder crawl() {
        return Crawler.builder().concurrency(8).retries(0).firstByteTimeout(Duration.ofMillis(400))
                .header("Authorization", "Bearer secret");
    }

    @Test
    void everyLinkGetsItsVerdictWithWhereItStands() {
        CheckReport report = LinkChecker.builder().crawler(crawl().build()).build().check(site.url("/"));
        String home = site.url("/");
        String ext = "http://localhost:" + stub.port();
        assertThat(report.links()).extracting(LinkCheck::source, LinkCheck::line, LinkCheck::text, LinkCheck::href,
                LinkCheck::verdict, LinkCheck::status).containsExactly(
                Tuple.tuple(home, 2, "Fine page", "/ok", Verdict.OK, 200),
                Tuple.tuple(home, 3, "Gone page", "/missing", Verdict.BROKEN, 404),
                Tuple.tuple(home, 4, "Moved", "/moved", Verdict.REDIRECTED, 200),
                Tuple.tuple(home, 5, "Section", "/ok#section", Verdict.OK, 200),
                Tuple.tuple(home, 6, "Nowhere", "/ok#nowhere", Verdict.BROKEN_ANCHOR, 200),
                Tuple.tuple(home, 7, "Private", "/private", Verdict.BLOCKED, 403),
                Tuple.tuple(home, 8, "Slow", "/slow", Verdict.TIMEOUT, 0),
                Tuple.tuple(home, 9, "Robots", "/secret/x", Verdict.EXCLUDED, 0),
                Tuple.tuple(home, 10, "Bad", "http://[bad", Verdict.INVALID, 0),
                Tuple.tuple(home, 11, "Stub", ext + "/page", Verdict.OK, 200),
                Tuple.tuple(home, 12, "Ext 403", ext + "/forbidden", Verdict.BLOCKED, 403),
                Tuple.tuple(home, 13, "Ext gone", ext + "/gone", Verdict.BROKEN, 404),
                Tuple.tuple(home, 14, "Top", "#top", Verdict.OK, 200),
                Tuple.tuple(home, 15, "mail", "mailto:web@example.com", Verdict.EXCLUDED, 0),
                Tuple.tuple(site.url("/ok"), 2, "again", ext + "/gone", Verdict.BROKEN, 404));
        assertThat(report.links().get(2).detail()).isEqualTo(site.url("/moved") + " -> " + site.url("/ok"));
        assertThat(report.links().get(4).detail()).isEqualTo("no id or name 'nowhere'");
        assertThat(report.links().get(6).detail()).isEqualTo("first byte timeout");
        assertThat(report.links().get(7).detail()).isEqualTo("not requested: robots");
        assertThat(report.links()).filteredOn(LinkCheck::external).hasSize(4);
        assertThat(report.externalChecked()).isEqualTo(3);
        assertThat(report.failing(Set.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR))).hasSize(4);
    }

    @Test
    void oneCheckerChecksTheSameSiteTwiceIntoTwoEqualIndependentReports() {
        AtomicInteger pagesSeen = new AtomicInteger();
        Crawler crawler = crawl().inspector(new PageInspector() {
            @Override
            public void page(String url, byte[] body, int length, String contentType) {
                pagesSeen.incrementAndGet();
            }
        }).build();
        LinkChecker checker = LinkChecker.builder().crawler(crawler).build();

        CheckReport first = checker.check(site.url("/"));
        List<LinkCheck> firstLinks = List.copyOf(first.links());
        int seenByFirst = pagesSeen.get();
        CheckReport second = checker.check(site.url("/"));

        assertThat(seenByFirst).isEqualTo(2); // the two HTML pages, once each
        assertThat(pagesSeen).hasValue(4); // the crawler's own inspector, once per page per check, and no other
        assertThat(second.links()).isEqualTo(first.links()).hasSize(15);
        assertThat(first.links()).isEqualTo(firstLinks);
        assertThat(second.pages()).extracting(PageResult::url, PageResult::status)
                .isEqualTo(first.pages().stream().map(p -> Tuple.tuple(p.url(), p.status())).toList());
        assertThat(second.externalChecked()).isEqualTo(first.externalChecked()).isEqualTo(3);
    }

    @Test
    void eachExternalUrlIsAskedOnceHeadFirstAndNeverGetsThePrivateHeaders() {
        LinkChecker.builder().crawler(crawl().build()).build().check(site.url("/"));
        assertThat(stub.requestLog()).extracting(FaultServer.Request::method, FaultServer.Request::target)
                .containsExactlyInAnyOrder(Tuple.tuple("HEAD", "/page"), Tuple.tuple("GET", "/page"),
                        Tuple.tuple("HEAD", "/forbidden"), Tuple.tuple("GET", "/forbidden"),
                        Tuple.tuple("HEAD", "/gone"), Tuple.tuple("GET", "/gone"));
        assertThat(stub.requestLog()).allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
        assertThat(site.requestLog()).filteredOn(r -> !r.target().equals("/robots.txt"))
                .allSatisfy(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer secret"));
    }

    @Test
    void withResourcesTheUrlsOfStylesheetsAreCheckedWhereTheyStandThroughTheirImports() {
        site.serve(Map.of(
                "/", Resource.html("<link rel=stylesheet href=/css/site.css><p>home"),
                "/css/site.css", Resource.of(200, "text/css", """
                        @import "more.css";
                        /* url(old.png) is a comment */
                        body { background: url('/img/ok.png') }
                        .logo { background: url(missing.png) }
                        """.getBytes()),
                "/css/more.css", Resource.of(200, "text/css; charset=utf-8", "@font-face { src: url(/gone.woff2) }".getBytes()),
                "/img/ok.png", Resource.of(200, "image/png", new byte[] {1})));
        CheckReport report = LinkChecker.builder().crawler(crawl().build()).resources(true).build().check(site.url("/"));
        assertThat(report.links()).extracting(LinkCheck::source, LinkCheck::line, LinkCheck::element, LinkCheck::href,
                LinkCheck::verdict).containsExactly(
                Tuple.tuple(site.url("/"), 1, "link[href]", "/css/site.css", Verdict.OK),
                Tuple.tuple(site.url("/css/site.css"), 1, "css[@import]", "more.css", Verdict.OK),
                Tuple.tuple(site.url("/css/site.css"), 3, "css[url]", "/img/ok.png", Verdict.OK),
                Tuple.tuple(site.url("/css/site.css"), 4, "css[url]", "missing.png", Verdict.BROKEN),
                Tuple.tuple(site.url("/css/more.css"), 1, "css[url]", "/gone.woff2", Verdict.BROKEN));
        assertThat(LinkChecker.builder().crawler(crawl().build()).build().check(site.url("/")).links())
                .as("without resources, no stylesheet is read").isEmpty();
    }

    @Test
    void aBotWallIsBlockedNotBroken() {
        stub.route("/wall", Fault.status(503, Map.of("cf-mitigated", "challenge")));
        stub.route("/linkedin", Fault.status(999, Map.of()));
        String ext = "http://localhost:" + stub.port();
        site.serve(Map.of("/", Resource.html("<a href=" + ext + "/wall>w</a><a href=" + ext + "/linkedin>l</a>")));
        CheckReport report = LinkChecker.builder().crawler(crawl().build()).build().check(site.url("/"));
        assertThat(report.links()).extracting(LinkCheck::verdict, LinkCheck::detail)
                .containsOnly(Tuple.tuple(Verdict.BLOCKED, "bot wall"));
    }

    @Test
    void withoutExternalChecksOtherHostsAreExcludedAndNeverAsked() {
        CheckReport report = LinkChecker.builder().crawler(crawl().build()).externalLinks(false).build()
                .check(site.url("/"));
        assertThat(report.links()).filteredOn(LinkCheck::external).extracting(LinkCheck::verdict)
                .containsOnly(Verdict.EXCLUDED);
        assertThat(stub.requestLog()).isEmpty();
    }

    @Test
    void resourcesAreCheckedWhenAskedFor() {
        site.serve(Map.of("/", Resource.html("<img src=/logo.png alt=Logo>\n<script src=/app.js></script>"
                + "\n<link rel=stylesheet href=/style.css>"),
                "/logo.png", Resource.of(200, "image/png", new byte[] {1})));
        assertThat(LinkChecker.builder().crawler(crawl().build()).build().check(site.url("/")).links()).isEmpty();
        CheckReport report = LinkChecker.builder().crawler(crawl().build()).resources(true).build().check(site.url("/"));
        assertThat(report.links()).extracting(LinkCheck::element, LinkCheck::text, LinkCheck::line, LinkCheck::verdict)
                .containsExactly(Tuple.tuple("img[src]", "Logo", 1, Verdict.OK), Tuple.tuple("script[src]", "", 2, Verdict.BROKEN),
                        Tuple.tuple("link[href]", "", 3, Verdict.BROKEN));
        assertThat(site.requests("/logo.png")).isEqualTo(1); // HEAD answered 200: no GET
    }
}
