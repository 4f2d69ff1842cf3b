package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.CertificateAuthority.Leaf;
import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crawl} and {@code check} over https: {@code --ca-cert}, {@code --insecure}, and a TLS failure's one line. */
class HttpsCommandTest {

    private static final CertificateAuthority CA = CertificateAuthority.create("loomcrawl test CA");
    private static final Map<String, Resource> SITE = Map.of(
            "/", Resource.html("<a href=/a>a</a> <a href=/missing>m</a>"), "/a", Resource.html("<p>a"));
    private static SiteServer server;

    @BeforeAll
    static void serve() throws Exception {
        server = SiteServer.startHttps(CA.serverContext(CA.issue(Leaf.forLoopback())));
        server.serve(SITE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anUntrustedSiteFailsInOneLineThatNamesTheReasonAndTheOptions() {
        for (String command : new String[] {"crawl", "check"}) {
            Run r = run(command, server.url("/"), "-q");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.START_UNREACHABLE);
            assertThat(r.err().lines().filter(l -> !l.isBlank())).singleElement().isEqualTo(
                    "loomcrawl: start URL unreachable: " + server.url("/") + ": tls: untrusted certificate "
                            + "(--ca-cert FILE trusts a certificate authority; --insecure skips the check)");
            assertThat(r.err()).doesNotContain("PKIX", "sun.security", "robots");
        }
        assertThat(server.totalRequests()).isZero();
    }

    @Test
    void anHttpsUrlOnAPlainHttpServerSaysSoWithoutOfferingTheCertificateOptions() throws Exception {
        try (FaultServer plain = FaultServer.startFailingHandshakes(FaultServer.HandshakeFault.PLAIN_HTTP)) {
            String url = plain.url("/");
            Run r = run("crawl", url, "-q");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.START_UNREACHABLE);
            assertThat(r.err().lines().filter(l -> !l.isBlank())).singleElement().isEqualTo(
                    "loomcrawl: start URL unreachable: " + url + ": tls: the server does not speak TLS "
                            + "(plain http on an https URL?)");
        }
    }

    @Test
    void onlyACertificateThatIsNotTrustedGetsTheOptionsThatHelp() {
        String options = " (--ca-cert FILE trusts a certificate authority; --insecure skips the check)";
        for (String certificate : new String[] {"tls: untrusted certificate", "tls: certificate expired",
                "tls: certificate not yet valid", "tls: certificate revoked", "tls: hostname mismatch"}) {
            assertThat(CrawlOptions.because(certificate)).isEqualTo(certificate + options);
        }
        for (String other : new String[] {"tls: protocol version", "tls: the server does not speak TLS (plain http on "
                + "an https URL?)", "tls: cannot read the trusted roots: keystore password was incorrect",
                "tls: handshake failure (Received fatal alert: handshake_failure)", "tls handshake timeout",
                "connection refused"}) {
            assertThat(CrawlOptions.because(other)).isEqualTo(other);
        }
    }

    @Test
    void caCertTrustsTheSiteAndInsecureSkipsTheCheckWithAWarning(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), CA.pem());
        Run trusted = run("crawl", server.url("/"), "--ca-cert", pem.toString(), "-q");
        assertThat(trusted.code()).as(trusted.err()).isZero();
        assertThat(trusted.out().lines()).containsExactly(server.url("/"), server.url("/a"), server.url("/missing"));
        assertThat(trusted.err()).isEmpty();

        Run insecure = run("check", server.url("/"), "-k", "-q");
        assertThat(insecure.code()).isEqualTo(ExitCode.LINKS_FAILING); // the missing page, not TLS
        assertThat(insecure.err().lines()).containsExactly(
                "loomcrawl: warning: --insecure: TLS certificates and host names are not checked");
    }

    /** On every command that fetches, with {@code --insecure} too: a mistyped file is said at once. */
    @Test
    void aCaCertFileThatCannotBeUsedIsAUsageError(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "no certificate here\n");
        Path missing = dir.resolve("none.pem");
        long before = server.totalRequests();
        for (String command : new String[] {"crawl", "check", "extract"}) {
            for (String[] options : new String[][] {{}, {"--insecure"}}) {
                for (Path file : new Path[] {text, missing}) {
                    List<String> args = new ArrayList<>(List.of(command, server.url("/"), "--ca-cert", file.toString()));
                    args.addAll(List.of(options));
                    Run r = run(args.toArray(String[]::new));
                    assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(ExitCode.USAGE);
                    assertThat(r.err().lines().findFirst()).as(args.toString()).hasValue("loomcrawl: --ca-cert: "
                            + "certificate file " + file + (file == missing ? ": no such file"
                            : ": holds no certificate (no -----BEGIN CERTIFICATE----- block)"));
                    assertThat(r.err()).doesNotContain("Exception", "internal error", "warning");
                }
            }
        }
        assertThat(server.totalRequests()).isEqualTo(before);
    }

    @Test
    void everyCaCertFileIsTrusted(@TempDir Path dir) throws Exception {
        Path other = Files.writeString(dir.resolve("other.pem"), CertificateAuthority.create("another CA").pem());
        Path pem = Files.writeString(dir.resolve("ca.pem"), CA.pem());
        for (String[] files : new String[][] {{other.toString(), pem.toString()}, {pem.toString(), other.toString()}}) {
            Run r = run("crawl", server.url("/"), "--ca-cert", files[0], "--ca-cert", files[1], "-q");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().lines()).hasSize(3);
        }
        Run alone = run("crawl", server.url("/"), "--ca-cert", other.toString(), "-q");
        assertThat(alone.code()).isEqualTo(ExitCode.START_UNREACHABLE);
    }

    /** {@code check} over https, on the native engine with {@code --ca-cert}, reports as over http. */
    @Test
    void theSameSiteCheckedOverHttpsGivesTheSameReportsAsOverHttp(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), CA.pem());
        try (SiteServer plain = SiteServer.start()) {
            plain.serve(SITE);
            for (String format : new String[] {"text", "jsonl", "csv"}) {
                Run overHttp = run("check", plain.url("/"), "--format", format);
                Run overHttps = run("check", server.url("/"), "--format", format, "--ca-cert", pem.toString());
                assertThat(overHttps.code()).isEqualTo(overHttp.code()).isEqualTo(ExitCode.LINKS_FAILING);
                assertThat(FETCH_MS.matcher(overHttps.out().replace(server.baseUrl(), "BASE")).replaceAll("0"))
                        .as(format).isEqualTo(FETCH_MS.matcher(overHttp.out().replace(plain.baseUrl(), "BASE"))
                                .replaceAll("0"));
            }
        }
    }

    private static final Pattern FETCH_MS = Pattern.compile("(?<=\"fetch_ms\":)\\d+");

    /** A link to a site whose certificate fails is broken, and says TLS; the crawl goes on. */
    @Test
    void aLinkToASiteWhoseCertificateFailsIsBrokenSayingWhy(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), CA.pem());
        CertificateAuthority selfSigned = CertificateAuthority.create("127.0.0.1");
        try (SiteServer untrusted = SiteServer.startHttps(selfSigned.serverContext(selfSigned.issue(Leaf.forLoopback())));
             SiteServer linking = SiteServer.startHttps(CA.serverContext(CA.issue(Leaf.forLoopback())))) {
            untrusted.serve(Map.of("/", Resource.html("<p>x")));
            linking.serve(Map.of("/", Resource.html("<a href=/a>a</a> <a href=" + untrusted.url("/") + ">there</a>"),
                    "/a", Resource.html("<p>a")));
            Run r = run("check", linking.url("/"), "--ca-cert", pem.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.LINKS_FAILING);
            assertThat(r.out()).contains("broken  " + untrusted.url("/") + "  (1 link; tls: untrusted certificate)");
            assertThat(untrusted.totalRequests()).isZero();
        }
    }

    @Test
    void insecureIsRecordedInTheCrawlsSettings(@TempDir Path dir) {
        Run r = run("crawl", server.url("/"), "--insecure", "--state", dir.resolve("state").toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        try (dev.loomcrawl.CrawlStore store = dev.loomcrawl.CrawlStore.open(dir.resolve("state"))) {
            assertThat(store.stored()).hasValueSatisfying(s -> assertThat(s.settings()).contains("--insecure"));
        }
    }
}
