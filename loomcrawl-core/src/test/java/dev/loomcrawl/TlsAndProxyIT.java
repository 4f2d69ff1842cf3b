package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with the caller's trust (a certificate made by keytool), and proxies, which go through java.net.http. */
class TlsAndProxyIT {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keys;

    /** A self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("test.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "site", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
    }

    private static SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("site", keys.getCertificate("site"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
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
            CrawlSummary summary = Crawler.builder().sslContext(clientContext()).concurrency(4).build()
                    .crawl(server.url("/"), pages::add);
            assertThat(pages).extracting(PageResult::url).containsExactly(
                    server.url("/"), server.url("/a"), server.url("/b"), server.url("/c"));
            assertThat(pages).extracting(PageResult::status).containsOnly(200);
            assertThat(summary.errors()).isZero();
            // the JDK client's own threads end with the crawl too
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
