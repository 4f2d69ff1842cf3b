package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.fetch.FetchSettings;
import dev.loomcrawl.internal.fetch.HttpFetcher;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nofollow and noindex from every source, and the headers that go to the start host and nowhere else. */
class DirectivesAndHeadersIT {

    private FaultServer server;
    private FaultServer other;

    @BeforeEach
    void start() throws Exception {
        server = FaultServer.start();
        other = FaultServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        other.close();
    }

    private void site() {
        server.serve(Map.of(
                "/", Resource.html("<a href=/f>f</a> <a rel='external nofollow' href=/nf>nf</a> <a href=/meta>m</a>"
                        + " <a href=/hdr>h</a> <a href=/bot>b</a>"),
                "/meta", Resource.html("<meta name=robots content='noindex, nofollow'><a href=/m1>m1</a>"),
                "/hdr", new Resource(200, "text/html", "<a href=/h1>h1</a>".getBytes(), Map.of("X-Robots-Tag", "loomcrawl: none")),
                "/bot", new Resource(200, "text/html", "<a href=/b1>b1</a>".getBytes(), Map.of("X-Robots-Tag", "googlebot: noindex"))));
    }

    private List<PageResult> crawl(Crawler crawler) {
        List<PageResult> pages = new ArrayList<>();
        crawler.crawl(server.url("/"), pages::add);
        return pages;
    }

    private PageResult page(List<PageResult> pages, String path) {
        return pages.stream().filter(p -> p.url().equals(server.url(path))).findFirst().orElseThrow();
    }

    @Test
    void directivesAreRecordedAndLinksStillFollowedByDefault() {
        site();
        List<PageResult> pages = crawl(Crawler.builder().build());
        assertThat(pages).extracting(PageResult::url).contains(server.url("/nf"), server.url("/m1"), server.url("/h1"),
                server.url("/b1"));
        assertThat(page(pages, "/").nofollowLinks()).containsExactly(server.url("/nf"));
        assertThat(page(pages, "/meta")).extracting(PageResult::noindex, PageResult::nofollow).containsExactly(true, true);
        assertThat(page(pages, "/hdr")).extracting(PageResult::noindex, PageResult::nofollow).containsExactly(true, true);
        assertThat(page(pages, "/bot")).extracting(PageResult::noindex, PageResult::nofollow).containsExactly(false, false);
    }

    @Test
    void respectNofollowSkipsMarkedLinksAndNofollowPages() {
        site();
        List<PageResult> pages = crawl(Crawler.builder().respectNofollow(true).build());
        assertThat(pages).extracting(PageResult::url).containsExactly(server.url("/"), server.url("/f"),
                server.url("/meta"), server.url("/hdr"), server.url("/bot"), server.url("/b1"));
        assertThat(server.requests("/nf") + server.requests("/m1") + server.requests("/h1")).isZero();
    }

    @Test
    void privateHeadersGoToEveryRequestOfTheStartHost() {
        site();
        crawl(Crawler.builder().header("X-Token", "t0k3n").header("Cookie", "session=abc; theme=dark")
                .basicAuth("ann", "s3cret").build());
        assertThat(server.requestLog()).hasSizeGreaterThan(5).allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("x-token", "t0k3n").containsEntry("cookie", "session=abc; theme=dark")
                    .containsEntry("authorization", "Basic YW5uOnMzY3JldA==");
            assertThat(r.headers().get("user-agent")).startsWith("loomcrawl/");
        });
    }

    @Test
    void aRedirectToAnotherHostTakesNoHeadersThereBecauseNothingIsRequestedThere() {
        server.serve(Map.of("/", Resource.html("<a href=/away>away</a>"), "/away", Resource.redirect(302, other.url("/landing"))));
        List<PageResult> pages = crawl(Crawler.builder().header("X-Token", "t0k3n").build());
        assertThat(page(pages, "/away").redirect()).isEqualTo(other.url("/landing"));
        assertThat(other.requestLog()).isEmpty();
    }

    /** The fetchers themselves: a URL on another host never gets the private headers, on either HTTP path. */
    @ParameterizedTest(name = "via java.net.http: {0}")
    @ValueSource(booleans = {false, true})
    void fetchersSendPrivateHeadersOnlyWhereTheyMayGo(boolean viaJdk) throws Exception {
        server.serve(Map.of("/", Resource.html("x")));
        other.serve(Map.of("/", Resource.html("x")));
        FetchSettings settings = new FetchSettings("loomcrawl-test", Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20, viaJdk ? ProxySelector.of(null) : null, null,
                new FetchSettings.PrivateHeaders(url -> url.startsWith(server.baseUrl()), List.of("Authorization", "Bearer x")));
        try (HttpFetcher fetcher = HttpFetcher.create(settings)) {
            fetcher.get(server.url("/"));
            fetcher.get(other.url("/"));
        }
        assertThat(server.requestLog()).singleElement().satisfies(r -> assertThat(r.headers()).containsEntry("authorization", "Bearer x"));
        assertThat(other.requestLog()).singleElement().satisfies(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
    }
}
