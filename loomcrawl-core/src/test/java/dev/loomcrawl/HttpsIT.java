package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.output.OutputFormat;
import dev.loomcrawl.testkit.CertificateAuthority.Leaf;
import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer.HandshakeFault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * https on the lean client: the caller's trust, session resumption, each certificate and handshake failure as a
 * page's result in words, {@code --insecure}'s context, and the same output as over http.
 */
@Timeout(60)
class HttpsIT {

    private static final CertificateAuthority CA = CertificateAuthority.create("loomcrawl test CA");
    private static final CertificateAuthority.Issued LOOPBACK = CA.issue(Leaf.forLoopback());

    private static final Map<String, Resource> SITE = Map.of(
            "/", Resource.html("<a href=/a>a</a><a href=/b>b</a>"),
            "/a", Resource.html("<a href=/b>b</a><a href=/c>c</a>"),
            "/b", Resource.html("<p>b"),
            "/c", Resource.of(200, "text/plain", "c".getBytes(StandardCharsets.US_ASCII)));

    private static CrawlerBuilder hardened() {
        return Crawler.builder().connectTimeout(Duration.ofSeconds(2)).firstByteTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5)).retries(1);
    }

    /** Trusting the test CA as {@code --ca-cert} does, over the default engine. */
    private static CrawlerBuilder trusting() {
        return hardened().trustCertificates(List.of(CA.pemFile()));
    }

    private static List<PageResult> crawl(CrawlerBuilder crawler, String start) {
        List<PageResult> pages = new ArrayList<>();
        crawler.build().crawl(start, pages::add);
        return pages;
    }

    @Test
    void crawlsOverTlsWithTheCallersTrustAndResumesSessionsOnNewConnections() throws Exception {
        try (FaultServer server = FaultServer.startTls(CA.serverContext(LOOPBACK))) {
            // every page closes its connection without close_notify, so each opens a new one (robots.txt's 404
            // keeps its connection for the start page): four connections
            SITE.forEach((path, r) -> server.route(path, Fault.closeWithoutCloseNotify(r)));
            List<PageResult> pages = crawl(trusting().concurrency(1), server.url("/"));
            assertThat(pages).extracting(PageResult::url).containsExactly(
                    server.url("/"), server.url("/a"), server.url("/b"), server.url("/c"));
            assertThat(pages).extracting(PageResult::status).containsOnly(200);
            assertThat(pages).extracting(PageResult::error).containsOnlyNulls();
            assertThat(server.requestCounts()).containsOnlyKeys("/robots.txt", "/", "/a", "/b", "/c")
                    .allSatisfy((path, n) -> assertThat(n).isEqualTo(1));
            assertThat(server.handshakes()).hasSize(4);
            assertThat(server.fullHandshakes()).as("a truncated connection's session is resumed").isEqualTo(1);
        }
    }

    /**
     * Either version the server speaks, TLS 1.2 or 1.3: the host's name sent by SNI when the URL names one (none
     * for an IP address, which SNI cannot carry), http/1.1 offered by ALPN, and the session resumed on new
     * connections.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void speaksTheServersVersionNamesTheHostOffersHttp11AndResumes(String version) throws Exception {
        try (FaultServer server = FaultServer.startTls(CA.serverContext(LOOPBACK), version)) {
            // each page closes its connection, cleanly (robots.txt's 404 keeps it for the start page): four connections
            SITE.forEach((path, r) -> server.route(path, (request, socket, out) -> {
                Fault.serve(new Resource(r.status(), r.contentType(), r.body(), Map.of("Connection", "close")))
                        .respond(request, socket, out);
                return false;
            }));
            String byName = server.url("/").replace("//127.0.0.1:", "//localhost:");
            assertThat(crawl(trusting().concurrency(1), byName)).extracting(PageResult::status)
                    .containsExactly(200, 200, 200, 200);
            assertThat(server.handshakes()).hasSize(4).allSatisfy(h -> {
                assertThat(h.protocol()).isEqualTo(version);
                assertThat(h.serverNames()).containsExactly("localhost");
                assertThat(h.offeredProtocols()).containsExactly("http/1.1");
            });
            assertThat(server.fullHandshakes()).as("four connections, one session").isEqualTo(1);

            assertThat(crawl(trusting().concurrency(1), server.url("/"))).extracting(PageResult::status)
                    .containsExactly(200, 200, 200, 200);
            assertThat(server.handshakes()).hasSize(8);
            assertThat(server.handshakes().subList(4, 8)).allSatisfy(h -> {
                assertThat(h.protocol()).isEqualTo(version);
                assertThat(h.serverNames()).isEmpty();
            });
        }
    }

    /** Over the default engine, trusting the CA's file; and over a TLS context the caller made, used as it is. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"trusted file", "caller's context"})
    void keepAliveConnectionsCarryManyRequestsOverTls(String trust) throws Exception {
        try (FaultServer server = FaultServer.startTls(CA.serverContext(LOOPBACK))) {
            server.serve(SITE);
            CrawlerBuilder crawler = trust.equals("trusted file") ? trusting()
                    : hardened().sslContext(CA.clientContext());
            List<PageResult> pages = crawl(crawler.concurrency(1), server.url("/"));
            assertThat(pages).extracting(PageResult::status).containsOnly(200);
            assertThat(server.requestCounts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
            assertThat(server.handshakes()).hasSize(1);
        }
    }

    /** The start page of a site whose certificate fails, with robots.txt obeyed: the reason is TLS's, in words. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"untrusted", "expired", "other host", "self-signed"})
    void aCertificateFailureIsThePagesResultInWords(String kind) throws Exception {
        CertificateAuthority.Issued leaf = switch (kind) {
            case "expired" -> CA.issue(Leaf.expired());
            case "other host" -> CA.issue(Leaf.forHost("elsewhere.example"));
            default -> LOOPBACK;
        };
        CertificateAuthority selfSigned = CertificateAuthority.create("127.0.0.1");
        try (FaultServer server = FaultServer.startTls(kind.equals("self-signed")
                ? selfSigned.serverContext(selfSigned.issue(Leaf.forLoopback())) : CA.serverContext(leaf))) {
            server.serve(SITE);
            CrawlerBuilder crawler = kind.equals("untrusted") || kind.equals("self-signed") ? hardened()
                    : trusting();
            List<PageResult> pages = crawl(crawler, server.url("/"));
            String expected = switch (kind) {
                case "expired" -> "tls: certificate expired";
                case "other host" -> "tls: hostname mismatch";
                default -> "tls: untrusted certificate";
            };
            assertThat(pages).singleElement().satisfies(p -> {
                assertThat(p.status()).isZero();
                assertThat(p.error()).isEqualTo(expected);
                assertThat(p.attempts()).as("a TLS failure is not retried").isEqualTo(1);
            });
            assertThat(server.requestCounts()).isEmpty();

            // --insecure's context checks neither the certificate nor the name
            List<PageResult> anyway = crawl(hardened().insecureTls(), server.url("/"));
            assertThat(anyway).extracting(PageResult::status).containsExactly(200, 200, 200, 200);
        }
    }

    @Test
    void certificatesFromAPemFileAreTrustedBesidesTheJdksOwn(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        CertificateAuthority other = CertificateAuthority.create("another CA");
        Files.writeString(pem, "subject=CN=another CA\n" + other.pem() + "\n" + CA.pem()); // two, with text between
        try (FaultServer server = FaultServer.startTls(CA.serverContext(LOOPBACK))) {
            server.serve(SITE);
            assertThat(crawl(hardened().trustCertificates(List.of(pem)), server.url("/")))
                    .extracting(PageResult::status).containsExactly(200, 200, 200, 200);
        }
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> Crawler.builder().trustCertificates(List.of(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(empty.toString());
        assertThatThrownBy(() -> Crawler.builder().trustCertificates(List.of(dir.resolve("missing.pem"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no such file");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"STALL", "RESET", "TLS_1_0_ONLY", "PLAIN_HTTP"})
    void aHandshakeThatFailsIsThePagesResult(HandshakeFault fault) throws Exception {
        try (FaultServer server = FaultServer.startFailingHandshakes(fault)) {
            List<PageResult> pages = crawl(hardened().connectTimeout(Duration.ofMillis(500)).ticker(new dev.loomcrawl.internal.politeness.ManualTicker()),
                    server.url("/"));
            assertThat(pages).singleElement().satisfies(p -> {
                assertThat(p.status()).isZero();
                switch (fault) {
                    case STALL -> {
                        assertThat(p.error()).isEqualTo("tls handshake timeout");
                        assertThat(p.attempts()).isEqualTo(2);
                    }
                    case RESET -> assertThat(p.error()).isIn("connection reset", "connection closed during tls handshake");
                    case TLS_1_0_ONLY -> {
                        assertThat(p.error()).isEqualTo("tls: protocol version");
                        assertThat(p.attempts()).isEqualTo(1);
                    }
                    case PLAIN_HTTP -> {
                        assertThat(p.error()).isEqualTo("tls: the server does not speak TLS (plain http on an https URL?)");
                        assertThat(p.attempts()).isEqualTo(1);
                    }
                }
            });
        }
    }

    @Test
    void aBodyEndedByAConnectionCloseWithoutCloseNotifyIsWhole() throws Exception {
        try (FaultServer server = FaultServer.startTls(CA.serverContext(LOOPBACK))) {
            server.route("/", Fault.closeWithoutCloseNotify(Resource.html("<a href=/a>a</a>" + "x".repeat(50_000))));
            server.route("/a", Fault.serve(Resource.html("<p>a")));
            List<PageResult> pages = crawl(trusting().respectRobots(false), server.url("/"));
            assertThat(pages).extracting(PageResult::status).containsExactly(200, 200);
            assertThat(pages.getFirst().bytes()).isEqualTo(("<a href=/a>a</a>" + "x".repeat(50_000)).length());
            assertThat(pages.getFirst().truncated()).isFalse();
        }
    }

    /**
     * The same generated site over http and over https gives the same output, but for the scheme, fetch_ms and
     * bytes (the generated pages hold absolute links, one character longer over https).
     */
    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(ints = {1, 16})
    void theSameSiteOverHttpsGivesTheSameOutputAsOverHttp(int concurrency) throws Exception {
        try (SiteServer http = SiteServer.start(); SiteServer https = SiteServer.startHttps(CA.serverContext(LOOPBACK))) {
            SiteGenerator.Site plain = SiteGenerator.generate(SiteGenerator.Settings.of(300, 31), http.baseUrl());
            SiteGenerator.Site secure = SiteGenerator.generate(SiteGenerator.Settings.of(300, 31), https.baseUrl());
            http.serve(plain.resources());
            https.serve(secure.resources());
            String overHttp = jsonl(hardened().concurrency(concurrency), plain.startUrl()).replace(http.baseUrl(), "BASE");
            String overHttps = jsonl(hardened().concurrency(concurrency).sslContext(CA.clientContext()), secure.startUrl())
                    .replace(https.baseUrl(), "BASE");
            assertThat(overHttps.lines().count()).isEqualTo(secure.expected().size());
            assertThat(overHttps).isEqualTo(overHttp);
        }
    }

    private static final Pattern FETCH_MS_AND_BYTES = Pattern.compile("\"(fetch_ms|bytes)\":\\d+");

    private static String jsonl(CrawlerBuilder crawler, String start) {
        StringWriter out = new StringWriter();
        crawler.build().crawl(start, OutputFormat.named("jsonl").sink(out));
        return FETCH_MS_AND_BYTES.matcher(out.toString()).replaceAll("\"$1\":0");
    }
}
