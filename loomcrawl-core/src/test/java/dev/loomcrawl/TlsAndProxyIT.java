package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** TLS with the caller's trust, and proxies, which go through java.net.http. */
class TlsAndProxyIT {

    private static final CertificateAuthority CA = CertificateAuthority.create("loomcrawl test CA");

    private static SSLContext serverContext() {
        return CA.serverContext(CA.issue(CertificateAuthority.Leaf.forLoopback()));
    }

    private static final Map<String, Resource> SITE = Map.of(
            "/", Resource.html("<a href=/a>a</a><a href=/b>b</a>"),
            "/a", Resource.html("<a href=/b>b</a><a href=/c>c</a>"),
            "/b", Resource.html("<p>b"),
            "/c", Resource.of(200, "text/plain", "c".getBytes()));

    @Test
    void crawlsOverHttpsWithTheCallersTrust() throws Exception {
        try (SiteServer server = SiteServer.startHttps(serverContext())) {
            server.serve(SITE);
            List<PageResult> pages = new ArrayList<>();
            CrawlSummary summary = Crawler.builder().trustCertificates(List.of(CA.pemFile())).concurrency(4).build()
                    .crawl(server.url("/"), pages::add);
            assertThat(pages).extracting(PageResult::url).containsExactly(
                    server.url("/"), server.url("/a"), server.url("/b"), server.url("/c"));
            assertThat(pages).extracting(PageResult::status).containsOnly(200);
            assertThat(summary.errors()).isZero();
            // no client thread outlives the crawl (java.net.http's would be named HttpClient-...)
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("HttpClient-"));
            assertThat(server.requestCounts()).containsOnlyKeys("/robots.txt", "/", "/a", "/b", "/c")
                    .allSatisfy((path, n) -> assertThat(n).isEqualTo(1));
        }
    }

    @Test
    void anUntrustedCertificateIsAPageErrorNotAnException() throws Exception {
        try (SiteServer server = SiteServer.startHttps(serverContext())) {
            server.serve(SITE);
            List<PageResult> pages = new ArrayList<>();
            Crawler.builder().respectRobots(false).build().crawl(server.url("/"), pages::add);
            assertThat(pages).singleElement().satisfies(p -> {
                assertThat(p.status()).isZero();
                assertThat(p.error()).isEqualTo("tls: untrusted certificate");
            });
            assertThat(server.totalRequests()).isZero();
        }
    }

    @Test
    void everyRequestGoesThroughTheProxyWhenOneIsSet() throws Exception {
        // the proxy is a loopback server that answers absolute-form requests itself; the crawled host does not
        // exist, so any request that bypassed the proxy would fail
        try (SiteServer proxy = SiteServer.start()) {
            proxy.serve(SITE);
            List<PageResult> pages = new ArrayList<>();
            Crawler.builder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build()
                    .crawl("http://site.invalid/", pages::add);
            assertThat(pages).extracting(PageResult::url).containsExactly("http://site.invalid/",
                    "http://site.invalid/a", "http://site.invalid/b", "http://site.invalid/c");
            assertThat(pages).extracting(PageResult::status).containsOnly(200);
            assertThat(proxy.requestCounts().keySet()).isEqualTo(Set.of("/robots.txt", "/", "/a", "/b", "/c"));
        }
    }
}
