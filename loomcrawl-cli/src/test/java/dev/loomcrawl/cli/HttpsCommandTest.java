package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.CertificateAuthority.Leaf;
import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        // answers whatever comes as a plain http server answers a TLS handshake: 400, in plain text
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket s = plain.accept()) {
                        s.getInputStream().read(new byte[512]);
                        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String url = "https://127.0.0.1:" + plain.getLocalPort() + "/";
            Run r = run("crawl", url, "-q");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.START_UNREACHABLE);
            assertThat(r.err().lines().filter(l -> !l.isBlank())).singleElement().isEqualTo(
                    "loomcrawl: start URL unreachable: " + url + ": tls: the server does not speak TLS "
                            + "(plain http on an https URL?)");
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
