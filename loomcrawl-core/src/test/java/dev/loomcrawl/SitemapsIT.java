package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sitemaps named by robots.txt, through an index and a gzipped file: their orphans are crawled and counted. */
class SitemapsIT {

    private SiteServer server;

    @BeforeEach
    void start() throws Exception {
        server = SiteServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String urlset(String... urls) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for (String u : urls) {
            b.append("<url><loc>").append(u).append("</loc></url>\n");
        }
        return b.append("</urlset>\n").toString();
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void orphansComeAfterTheLinkCrawlAndEveryPageSaysWhetherTheSitemapListsIt() throws Exception {
        String index = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                + "<sitemap><loc>" + server.url("/sm1.xml") + "</loc></sitemap>"
                + "<sitemap><loc>" + server.url("/sm2.xml.gz") + "</loc></sitemap></sitemapindex>";
        server.serve(Map.of(
                "/robots.txt", Resource.of(200, "text/plain", ("Sitemap: " + server.url("/index.xml") + "\n").getBytes()),
                "/index.xml", Resource.of(200, "application/xml", index.getBytes(StandardCharsets.UTF_8)),
                "/sm1.xml", Resource.of(200, "application/xml", urlset(server.url("/"), server.url("/a"),
                        server.url("/orphan1"), "http://localhost:" + server.port() + "/out").getBytes(StandardCharsets.UTF_8)),
                "/sm2.xml.gz", Resource.of(200, "application/gzip", gzip(urlset(server.url("/orphan2")))),
                "/", Resource.html("<a href=/a>a</a><a href=/b>b</a>"),
                "/a", Resource.html("a"),
                "/b", Resource.html("b"),
                "/orphan1", Resource.html("<a href=/orphan1child>child</a>"),
                "/orphan1child", Resource.html("child"),
                "/orphan2", Resource.html("o2")));
        List<PageResult> pages = new ArrayList<>();
        CrawlSummary summary = Crawler.builder().concurrency(8).sitemaps(true).build().crawl(server.url("/"), pages::add);
        assertThat(pages).extracting(PageResult::url, PageResult::depth, PageResult::source, PageResult::inSitemap)
                .containsExactly(
                        Tuple.tuple(server.url("/"), 0, PageResult.Source.START, true),
                        Tuple.tuple(server.url("/a"), 1, PageResult.Source.LINK, true),
                        Tuple.tuple(server.url("/b"), 1, PageResult.Source.LINK, false),
                        Tuple.tuple(server.url("/orphan1"), 0, PageResult.Source.SITEMAP, true),
                        Tuple.tuple(server.url("/orphan2"), 0, PageResult.Source.SITEMAP, true),
                        Tuple.tuple(server.url("/orphan1child"), 1, PageResult.Source.LINK, false));
        assertThat(summary.sitemaps()).isEqualTo(new CrawlSummary.Sitemaps(3, 0, 4, 2, 2));
        assertThat(server.requestCounts().values()).allMatch(n -> n == 1);
    }

    @Test
    void withoutASitemapLineSitemapXmlIsReadAndAMissingOneIsCountedAsFailed() {
        server.serve(Map.of(
                "/sitemap.xml", Resource.of(200, "text/xml", urlset(server.url("/lost")).getBytes(StandardCharsets.UTF_8)),
                "/", Resource.html("home"),
                "/lost", Resource.html("lost")));
        List<PageResult> pages = new ArrayList<>();
        CrawlSummary summary = Crawler.builder().sitemaps(true).build().crawl(server.url("/"), pages::add);
        assertThat(pages).extracting(PageResult::url).containsExactly(server.url("/"), server.url("/lost"));
        assertThat(summary.sitemaps()).isEqualTo(new CrawlSummary.Sitemaps(1, 0, 1, 1, 1));

        server.serve(Map.of("/", Resource.html("home")));
        summary = Crawler.builder().sitemaps(true).build().crawl(server.url("/"), p -> { });
        assertThat(summary.sitemaps()).isEqualTo(new CrawlSummary.Sitemaps(0, 1, 0, 0, 1));
    }
}
