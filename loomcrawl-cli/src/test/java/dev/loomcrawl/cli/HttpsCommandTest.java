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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crawl} and {@code check} over https: {@code --ca-cert}, {@code --insecure}, and a TLS failure's one line. */
class HttpsCommandTest {

    private static final CertificateAuthority CA = CertificateAuthority.create("loomcrawl test CA");
    private static SiteServer server;

    @BeforeAll
    static void serve() throws Exception {
        server = SiteServer.startHttps(CA.serverContext(CA.issue(Leaf.forLoopback())));
        server.serve(Map.of("/", Resource.html("<a href=/a>a</a> <a href=/missing>m</a>"), "/a", Resource.html("<p>a")));
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

    @Test
    void aCaCertFileThatCannotBeUsedIsAUsageError(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "no certificate here\n");
        Run r = run("crawl", server.url("/"), "--ca-cert", text.toString());
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--ca-cert: certificate file " + text).doesNotContain("Exception");
        Run missing = run("crawl", server.url("/"), "--ca-cert", dir.resolve("none.pem").toString());
        assertThat(missing.code()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("no such file");
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
