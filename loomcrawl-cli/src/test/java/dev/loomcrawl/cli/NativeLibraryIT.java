package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.CertificateAuthority.Leaf;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's jar with the library path the launcher gives it: Conscrypt's native library is loaded in place from
 * beside the jar ({@code target/native} on {@code java.library.path}); the jar holds no copy, which Conscrypt would
 * prefer and copy out into the temporary directory at every start.
 */
class NativeLibraryIT {

    private static final Path JAR = Path.of("target", "loomcrawl.jar");
    private static final Path NATIVE = Path.of("target", "native");

    @Test
    void theShadedJarCrawlsOverTheNativeEngineLoadedFromBesideItWithNoCopyInside(@TempDir Path dir) throws Exception {
        assertThat(JAR).isRegularFile();
        CertificateAuthority ca = CertificateAuthority.create("loomcrawl test CA");
        Path pem = Files.writeString(dir.resolve("ca.pem"), ca.pem());
        try (SiteServer server = SiteServer.startHttps(ca.serverContext(ca.issue(Leaf.forLoopback())))) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(20, 3), server.baseUrl());
            server.serve(site.resources());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-Djava.library.path=" + NATIVE.toAbsolutePath(),
                    "-Dloomcrawl.tls=native", // the native engine or an error on every page
                    "-jar", JAR.toString(), "crawl", site.startUrl(), "--ca-cert", pem.toString(), "--no-state")
                    .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                    .start();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).isTrue();
            String err = Files.readString(dir.resolve("err.txt"));
            assertThat(p.exitValue()).as(err).isZero();
            assertThat(err).contains(", 0 errors,");
            assertThat(Files.readAllLines(dir.resolve("out.txt")))
                    .containsExactlyInAnyOrderElementsOf(site.expectedUrls());
        }
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            assertThat(jar.stream().map(ZipEntry::getName)).as("what Conscrypt would copy out at every start")
                    .noneMatch(name -> name.contains("conscrypt_openjdk_jni"));
        }
    }
}
