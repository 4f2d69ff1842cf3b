package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a real loomcrawl process: in-flight requests are cancelled, what was crawled is written, exit 130. */
class CtrlCIT {

    @Test
    void sigintWritesWhatWasCrawledAndExits130(@TempDir Path dir) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, 2), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(100));
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "crawl", site.startUrl(), "--concurrency", "4", "--output", out.toString(), "--no-state")
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.totalRequests() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited promptly").isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
            List<String> written = Files.readAllLines(out);
            assertThat(written).isNotEmpty().hasSizeLessThan(site.expected().size());
            // the pages fetched before the interrupt, each once (their order is breadth-first over what was fetched)
            assertThat(written).doesNotHaveDuplicates().startsWith(site.startUrl());
            assertThat(site.expectedUrls()).containsAll(written);
            assertThat(Files.readString(err)).contains("interrupted").doesNotContain("Exception");
        }
    }
}
