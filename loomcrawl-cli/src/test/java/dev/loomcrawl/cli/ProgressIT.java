package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live progress bar, drawn while crawls at latency run. */
class ProgressIT {

    private SiteServer server;

    @BeforeEach
    void start() throws Exception {
        server = SiteServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theLiveProgressBarIsDrawnAsProgressSaysAndNeverWithQuiet() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(60, 8), server.baseUrl());
        server.serve(site.resources()).latency(Duration.ofMillis(30));
        Run always = run("crawl", site.startUrl(), "--concurrency", "2", "--progress", "always");
        assertThat(always.err()).contains("\r\033[K")
                .containsPattern("\\[[#\\u001b\\[0-9m.]+\\] \\d+/\\d+ pages  \\d+/s  \\d+ errors");
        Run bounded = run("crawl", site.startUrl(), "--concurrency", "2", "--max-pages", "40", "--progress", "always");
        assertThat(bounded.err()).containsPattern("/\\d+ pages .* ETA \\d\\d:\\d\\d");
        Run checking = run("check", site.startUrl(), "--concurrency", "2", "--no-external", "--progress", "always");
        assertThat(checking.err()).containsPattern("\\d+/\\d+ pages");
        Run quiet = run("crawl", site.startUrl(), "--concurrency", "2", "--quiet", "--progress", "always");
        assertThat(quiet.err()).isEmpty();
        Run never = run("crawl", site.startUrl(), "--concurrency", "2", "--progress", "never");
        assertThat(never.err()).doesNotContain("\033").hasLineCount(1);
        Run auto = run("crawl", site.startUrl(), "--concurrency", "2"); // stderr is not a terminal here
        assertThat(auto.err()).doesNotContain("\033").hasLineCount(1);
        Run wrong = run("crawl", site.startUrl(), "--progress", "sometimes");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("--progress must be auto, always or never, was 'sometimes'");
    }
}
