package dev.loomcrawl.cli;

import dev.loomcrawl.testkit.CertificateAuthority;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code loomcrawl train} (hidden): the launcher's training run for its startup cache. The launcher runs it once per
 * build with {@code -XX:AOTCacheOutput}, and the JVM then starts every later run with the classes this run loaded
 * already parsed and linked (see docs/benchmarks.md). It runs {@code crawl} and {@code check}, each with a store, on a
 * generated site served on loopback (no external link is checked), then {@code crawl} of a site served over TLS
 * with a certificate made for the run and trusted through {@code --ca-cert}, and leaves nothing behind.
 */
@Command(name = "train", hidden = true, description = "The launcher's training run for its startup cache.")
final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("loomcrawl-train");
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 1), server.baseUrl());
            server.serve(site.resources());
            int crawl = Main.run(new String[] {"crawl", site.startUrl(), "--state", dir.resolve("crawl").toString(),
                "--format", "jsonl", "-o", dir.resolve("crawl.jsonl").toString()}, none, none);
            int check = Main.run(new String[] {"check", site.startUrl(), "--no-external", "--state",
                dir.resolve("check").toString(), "-o", dir.resolve("check.txt").toString()}, none, none);
            return crawl == ExitCode.OK && (check == ExitCode.OK || check == ExitCode.LINKS_FAILING)
                    && crawlOverTls(dir, none) == ExitCode.OK ? ExitCode.OK : ExitCode.FAILURE;
        } finally {
            delete(dir);
        }
    }

    private static int crawlOverTls(Path dir, PrintStream none) throws IOException {
        CertificateAuthority ca = CertificateAuthority.create("loomcrawl training CA");
        Path pem = Files.writeString(dir.resolve("ca.pem"), ca.pem());
        try (SiteServer server = SiteServer.startHttps(ca.serverContext(ca.issue(CertificateAuthority.Leaf.forLoopback())))) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(100, 2), server.baseUrl());
            server.serve(site.resources());
            return Main.run(new String[] {"crawl", site.startUrl(), "--ca-cert", pem.toString(), "--state",
                dir.resolve("tls").toString(), "--format", "jsonl", "-o", dir.resolve("tls.jsonl").toString()}, none, none);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
