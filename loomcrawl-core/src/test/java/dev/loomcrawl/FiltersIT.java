package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** --include, --exclude, --path-prefix and --subdomains, on crawl and on check. */
class FiltersIT {

    private SiteServer server;

    @BeforeEach
    void start() throws Exception {
        server = SiteServer.start();
        server.serve(Map.of(
                "/", Resource.html("<a href=/docs/a>a</a><a href=/docs/b.pdf>b</a><a href=/blog/c>c</a><a href=/docs/d?print=1>d</a>"),
                "/docs/a", Resource.html("<a href=/blog/e>e</a>")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> paths(CrawlerBuilder builder) {
        List<String> paths = new ArrayList<>();
        builder.build().crawl(server.url("/"), p -> paths.add(p.url().substring(server.baseUrl().length())));
        return paths;
    }

    @Test
    void filtersDecideWhatIsCrawledAndTheStartIsAlwaysCrawled() {
        assertThat(paths(Crawler.builder())).containsExactly("/", "/docs/a", "/docs/b.pdf", "/blog/c", "/docs/d?print=1", "/blog/e");
        assertThat(paths(Crawler.builder().pathPrefix("/docs/"))).containsExactly("/", "/docs/a", "/docs/b.pdf", "/docs/d?print=1");
        assertThat(paths(Crawler.builder().exclude("\\.pdf$").exclude("print="))).containsExactly("/", "/docs/a", "/blog/c", "/blog/e");
        assertThat(paths(Crawler.builder().include("/blog/"))).containsExactly("/", "/blog/c");
        CrawlSummary summary = Crawler.builder().include("/blog/").build().crawl(server.url("/"), p -> { });
        assertThat(summary.excluded()).containsEntry("not --include", 3L);
    }

    @Test
    void checkReportsFilteredLinksAsExcluded() {
        CheckReport report = LinkChecker.builder().crawler(Crawler.builder().exclude("/blog/").build())
                .externalLinks(false).build().check(server.url("/"));
        assertThat(report.links()).filteredOn(l -> l.href().startsWith("/blog/"))
                .extracting(LinkCheck::verdict, LinkCheck::detail)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Verdict.EXCLUDED, "not requested: --exclude"));
    }

    @Test
    void subdomainsWidenTheScope() {
        // localhost and its subdomains resolve to loopback through the tests' hosts file
        String sub = "http://www.localhost:" + server.port();
        server.serve(Map.of("/", Resource.html("<a href=" + sub + "/x>x</a>"), "/x", Resource.html("x")));
        List<String> urls = new ArrayList<>();
        Crawler.builder().subdomains(true).build().crawl("http://localhost:" + server.port() + "/", p -> urls.add(p.url()));
        assertThat(urls).containsExactly("http://localhost:" + server.port() + "/", sub + "/x");
        urls.clear();
        Crawler.builder().build().crawl("http://localhost:" + server.port() + "/", p -> urls.add(p.url()));
        assertThat(urls).containsExactly("http://localhost:" + server.port() + "/");
    }

    @Test
    void badFiltersNameTheSetting() {
        assertThatThrownBy(() -> Crawler.builder().include("(")).hasMessageStartingWith("include must be a regular expression");
        assertThatThrownBy(() -> Crawler.builder().pathPrefix("docs").build()).hasMessage("path prefix must start with '/', was 'docs'");
    }
}
