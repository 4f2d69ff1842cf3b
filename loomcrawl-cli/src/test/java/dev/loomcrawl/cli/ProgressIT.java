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
    void aLiveProgressBarOnlyWhenStderrIsATerminal() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(60, 8), server.baseUrl());
        server.serve(site.resources()).latency(Duration.ofMillis(30));
        try {
            System.setProperty("loomcrawl.stderr.tty", "true");
            Run onTerminal = run("crawl", site.startUrl(), "--concurrency", "2");
            assertThat(onTerminal.err()).contains("\r\033[K")
                    .containsPattern("\\[[#\\u001b\\[0-9m.]+\\] \\d+/\\d+ pages  \\d+/s  \\d+ errors");
            Run bounded = run("crawl", site.startUrl(), "--concurrency", "2", "--max-pages", "40");
            assertThat(bounded.err()).containsPattern("/\\d+ pages .* ETA \\d\\d:\\d\\d");
            Run checking = run("check", site.startUrl(), "--concurrency", "2", "--no-external");
            assertThat(checking.err()).containsPattern("\\d+/\\d+ pages");
            Run quiet = run("crawl", site.startUrl(), "--concurrency", "2", "--quiet");
            assertThat(quiet.err()).isEmpty();
            System.setProperty("loomcrawl.stderr.tty", "false");
            Run piped = run("crawl", site.startUrl(), "--concurrency", "2");
            assertThat(piped.err()).doesNotContain("\033").hasLineCount(1);
        } finally {
            System.clearProperty("loomcrawl.stderr.tty");
        }
    }
}
