package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory from the command line: a crawl or check keeps its state there, an unfinished one resumes
 * with its own settings, {@code report} writes its outputs again, and a directory that is not a crawl's is refused
 * with exit code 6, never overwritten.
 */
class StateCommandTest {

    private SiteServer server;
    private SiteGenerator.Site site;

    @BeforeEach
    void start() throws Exception {
        server = SiteServer.start();
        site = SiteGenerator.generate(SiteGenerator.Settings.of(150, 3), server.baseUrl());
        server.serve(site.resources());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void reportWritesTheCrawlsOutputAgainByteForByte(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path crawled = dir.resolve("crawl.jsonl");
        Run r = run("crawl", site.startUrl(), "--state", state.toString(), "--format", "jsonl", "-o", crawled.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("loomcrawl: crawl state in " + state + "\n");
        Path reported = dir.resolve("report.jsonl");
        Run report = run("report", state.toString(), "--format", "jsonl", "-o", reported.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.err()).isEmpty();
        assertThat(Files.readString(reported)).isEqualTo(Files.readString(crawled));
        assertThat(run("report", state.toString()).out().lines().toList())
                .containsExactlyElementsOf(site.expected().stream().map(SiteGenerator.ExpectedPage::url).toList());
    }

    @Test
    void anUnfinishedCrawlResumesWithItsSettingsAndAConflictingOptionIsAnError(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        String reference = run("crawl", site.startUrl(), "--max-depth", "2").out();
        stopEarly(state, "crawl", "--max-depth", "2");
        assertThat(stored(state).state()).isEqualTo(CrawlStore.State.STOPPED);

        Run conflict = run("crawl", site.startUrl(), "--state", state.toString(), "--max-depth", "3");
        assertThat(conflict.code()).isEqualTo(2);
        assertThat(conflict.err()).startsWith("loomcrawl: --max-depth 3 conflicts with the unfinished crawl's --max-depth 2;")
                .doesNotContain("Exception");
        assertThat(stored(state).state()).as("a refusal changes nothing").isEqualTo(CrawlStore.State.STOPPED);

        Run resumed = run("crawl", site.startUrl(), "--state", state.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("loomcrawl: resuming the crawl in " + state).contains("settings from it: --max-depth 2");
        assertThat(resumed.out()).isEqualTo(reference);
        assertThat(stored(state).state()).isEqualTo(CrawlStore.State.FINISHED);
        assertThat(stored(state).runs()).isEqualTo(2);

        // the same setting given again is no conflict
        stopEarly(state, "crawl", "--max-depth", "2", "--fresh");
        assertThat(run("crawl", site.startUrl(), "--state", state.toString(), "--max-depth", "2").out()).isEqualTo(reference);
    }

    @Test
    void anUnfinishedCrawlOfAnotherUrlIsRefusedUnlessFresh(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        stopEarly(state, "crawl");
        String other = server.url("/other/");
        Run refused = run("crawl", other, "--state", state.toString());
        assertThat(refused.code()).isEqualTo(6);
        assertThat(refused.err()).startsWith("loomcrawl: " + state + " holds an unfinished crawl of " + site.startUrl())
                .contains("--fresh").hasLineCount(1);
        Run check = run("check", site.startUrl(), "--state", state.toString());
        assertThat(check.code()).as("a crawl is not resumed by check").isEqualTo(6);
        Run fresh = run("crawl", other, "--state", state.toString(), "--fresh");
        assertThat(fresh.code()).as(fresh.err()).isZero();
        assertThat(fresh.err()).contains("replacing the unfinished crawl of " + site.startUrl());
        assertThat(stored(state).startUrl()).isEqualTo(other);
    }

    @Test
    void aFinishedCrawlIsReplacedByTheNextOne(@TempDir Path dir) {
        Path state = dir.resolve("state");
        assertThat(run("crawl", site.startUrl(), "--state", state.toString(), "--max-depth", "1").code()).isZero();
        Run again = run("crawl", site.startUrl(), "--state", state.toString());
        assertThat(again.code()).isZero();
        assertThat(again.err()).contains("replacing the finished crawl of " + site.startUrl());
        assertThat(again.out().lines()).hasSize(site.expected().size());
    }

    @Test
    void aDirectoryThatIsNotACrawlsIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep");
        Run r = run("crawl", site.startUrl(), "--state", mine.toString());
        assertThat(r.code()).isEqualTo(6);
        assertThat(r.err()).isEqualTo("loomcrawl: state directory " + mine + " holds files but no loomcrawl crawl ("
                + CrawlStore.FILE + "); choose a new or empty directory\n");
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Files.writeString(damaged.resolve(CrawlStore.FILE), "not a database at all, just text ".repeat(200));
        for (String command : List.of("crawl", "check")) {
            Run d = run(command, site.startUrl(), "--state", damaged.toString());
            assertThat(d.code()).isEqualTo(6);
            assertThat(d.err()).contains("is damaged or not a loomcrawl crawl").hasLineCount(1);
        }
        Run report = run("report", damaged.toString());
        assertThat(report.code()).isEqualTo(6);
        assertThat(report.err()).contains("is damaged or not a loomcrawl crawl").hasLineCount(1);
        assertThat(run("report", mine.toString()).err()).isEqualTo("loomcrawl: " + mine + " holds no loomcrawl crawl (no "
                + CrawlStore.FILE + ")\n");
        Run unwritable = run("crawl", site.startUrl(), "--state", mine.resolve("notes.txt").resolve("state").toString());
        assertThat(unwritable.code()).isEqualTo(6);
        assertThat(unwritable.err()).startsWith("loomcrawl: cannot create state directory ")
                .endsWith("(--state DIR keeps it elsewhere, --no-state in memory)\n").hasLineCount(1);
        assertThat(Files.readString(mine.resolve("notes.txt"))).isEqualTo("keep");
        assertThat(Files.readString(damaged.resolve(CrawlStore.FILE))).startsWith("not a database");
    }

    @Test
    void noStateCannotGoWithStateOrFresh(@TempDir Path dir) {
        Run r = run("crawl", site.startUrl(), "--no-state", "--state", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--no-state keeps no state: it cannot go with --state");
        assertThat(run("crawl", site.startUrl(), "--no-state", "--fresh").code()).isEqualTo(2);
    }

    @Test
    void aStoppedCheckResumesToTheUninterruptedReportAndReportWritesItAgain(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        String reference = run("check", site.startUrl(), "--format", "jsonl").out();
        stopEarly(state, "check");
        Path resumed = dir.resolve("resumed.jsonl");
        Path csv = dir.resolve("resumed.csv");
        Run r = run("check", site.startUrl(), "--state", state.toString(), "--format", "jsonl", "-o", resumed.toString(),
                "--format", "csv", "-o", csv.toString());
        assertThat(r.err()).contains("resuming the check in " + state);
        assertThat(Files.readString(resumed)).isEqualTo(reference);
        assertThat(stored(state).state()).isEqualTo(CrawlStore.State.FINISHED);
        Run report = run("report", state.toString(), "--format", "jsonl");
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out()).isEqualTo(reference);
        Path reportCsv = dir.resolve("report.csv");
        assertThat(run("report", state.toString(), "--format", "csv", "-o", reportCsv.toString()).code()).isZero();
        assertThat(Files.readString(reportCsv)).isEqualTo(Files.readString(csv));
        assertThat(run("report", state.toString(), "--format", "junit").out()).contains("<testsuite");
    }

    @Test
    void theDefaultStateDirectoryIsNamedAfterTheHostInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "crawl", site.startUrl(), "--max-depth", "1")
                .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String name = "127.0.0.1_" + server.port() + ".loomcrawl";
        assertThat(Files.readString(dir.resolve("err.txt"))).startsWith("loomcrawl: crawl state in " + name + "\n");
        assertThat(dir.resolve(name).resolve(CrawlStore.FILE)).isRegularFile();
    }

    /** Runs a crawl or check into {@code state} that stops at its time limit, well before its end. */
    @Test
    void theContentFormatIsASettingOfTheCrawlAndContentDirImpliesIt(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        stopEarly(state, "crawl", "--content-dir", dir.resolve("md").toString());

        Run text = run("crawl", site.startUrl(), "--state", state.toString(), "--content", "text");
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.err()).startsWith("loomcrawl: --content text conflicts with the unfinished crawl's --content markdown;");

        Run resumed = run("crawl", site.startUrl(), "--state", state.toString(), "--format", "jsonl");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("settings from it: --content markdown");
        List<String> html = resumed.out().lines().filter(l -> l.contains("\"status\":200,")
                && l.contains("\"content_type\":\"text/html")).toList();
        assertThat(html).as("the pages of both runs").hasSizeGreaterThan(100).allMatch(l -> l.contains("\"markdown\":\"") && !l.contains("\"text\":"));

        Path plain = dir.resolve("plain");
        stopEarly(plain, "crawl");
        Run implied = run("crawl", site.startUrl(), "--state", plain.toString(), "--llms-txt",
                dir.resolve("llms.txt").toString());
        assertThat(implied.code()).isEqualTo(2);
        assertThat(implied.err()).startsWith("loomcrawl: --content markdown (implied by another option) conflicts with "
                + "the unfinished crawl's --content (none);");
    }

    private void stopEarly(Path state, String command, String... options) {
        server.latency(Duration.ofMillis(100));
        try {
            List<String> args = new java.util.ArrayList<>(List.of(command, site.startUrl(), "--state", state.toString(),
                    "--max-time", "350ms", "--concurrency", "2", "-q"));
            args.addAll(List.of(options));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.err()).doesNotContain("Exception");
        } finally {
            server.latency(Duration.ZERO);
        }
        assertThat(stored(state).state()).isEqualTo(CrawlStore.State.STOPPED);
    }

    private static CrawlStore.Stored stored(Path state) {
        try (CrawlStore store = CrawlStore.open(state)) {
            return store.stored().orElseThrow();
        }
    }
}
