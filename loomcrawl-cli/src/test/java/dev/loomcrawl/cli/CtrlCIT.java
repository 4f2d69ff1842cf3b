package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a real loomcrawl process: in-flight requests are cancelled, what was crawled is written with its
 * summary, the reports say they are partial, the user is told how to resume, exit 130.
 */
@Timeout(120)
class CtrlCIT {

    /** Starts loomcrawl with {@code args}, its stderr to {@code err}; Ctrl-C once {@code server} had 20 requests. */
    private static Process interruptedRun(SiteServer server, File err, String... args) throws Exception {
        Process p = new ProcessBuilder(command(args)).redirectError(err)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Await.until("20 requests", () -> server.totalRequests() >= 20 || !p.isAlive());
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited promptly").isTrue();
        return p;
    }

    @Test
    void sigintWritesWhatWasCrawledAndExits130(@TempDir Path dir) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, 2), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(100));
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            Process p = interruptedRun(server, err.toFile(), "crawl", site.startUrl(), "--concurrency", "4",
                    "--output", out.toString(), "--no-state");
            assertThat(p.exitValue()).isEqualTo(130);
            List<String> written = Files.readAllLines(out);
            assertThat(written).isNotEmpty().hasSizeLessThan(site.expected().size());
            // the pages fetched before the interrupt, each once (their order is breadth-first over what was fetched)
            assertThat(written).doesNotHaveDuplicates().startsWith(site.startUrl());
            assertThat(site.expectedUrls()).containsAll(written);
            assertThat(Files.readString(err)).contains("interrupted",
                    "loomcrawl: interrupted: nothing is kept with --no-state, so the same command starts over")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void anInterruptedCheckPrintsItsSummaryMarksItsReportsPartialAndResumes(@TempDir Path dir) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, 3), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(100));
            Path text = dir.resolve("report.txt");
            Path jsonl = dir.resolve("report.jsonl");
            Path err = dir.resolve("err.txt");
            String[] args = {"check", site.startUrl(), "--concurrency", "4", "--no-external", "--state",
                dir.resolve("state").toString(), "--format", "text", "-o", text.toString(), "--format", "jsonl", "-o",
                jsonl.toString()};
            Process p = interruptedRun(server, err.toFile(), args);
            assertThat(p.exitValue()).isEqualTo(130);
            assertThat(Files.readString(err)).as("the summary, then how to resume")
                    .containsPattern("loomcrawl: [0-9,]+ pages .*; interrupted")
                    .contains("links on", "loomcrawl: interrupted: run the same command again to resume")
                    .doesNotContain("Exception");
            assertThat(Files.readString(text)).startsWith(
                    "Partial report: the check was interrupted; links it did not reach are excluded.\n");
            List<String> rows = Files.readAllLines(jsonl);
            assertThat(rows).isNotEmpty().allMatch(row -> row.endsWith(",\"partial\":true}"));
            assertThat(rows).anyMatch(row -> row.contains("not requested: the check was interrupted"))
                    .noneMatch(row -> row.contains("not requested: a crawl limit"));

            Process resumed = new ProcessBuilder(command(args)).redirectError(err.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(resumed.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(resumed.exitValue()).as("the site has broken links").isEqualTo(5);
            assertThat(Files.readString(text)).doesNotContain("Partial report");
            assertThat(Files.readAllLines(jsonl)).noneMatch(row -> row.contains("\"partial\""));
        }
    }

    /** The loomcrawl command with {@code args}, run in a JVM of its own on the test's class path. */
    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
