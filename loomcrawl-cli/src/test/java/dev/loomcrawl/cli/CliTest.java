package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class CliTest {

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
    void versionPrintsTheVersion() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("loomcrawl \\d+\\.\\d+\\.\\d+\\s*");
        assertThat(run("crawl", "--version").out()).isEqualTo(r.out());
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        Run r = run("crawl", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--concurrency", "--max-pages", "--max-depth", "--timeout", "--max-time",
                "--ignore-robots", "--format", "--output");
        assertThat(run("--help").out()).contains("Exit codes:", "130", "crawl", "check", "report", "demo")
                .doesNotContain("train");
        Run mistyped = run("crwal", "http://127.0.0.1/");
        assertThat(mistyped.code()).isEqualTo(2);
        assertThat(mistyped.err()).contains("crawl");
    }

    @Test
    void theLaunchersTrainingRunCrawlsAndChecksAGeneratedSiteAndLeavesNothingBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = trainingDirectories(tmp);
        Run r = run("train");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(trainingDirectories(tmp)).isEqualTo(before);
    }

    private static List<Path> trainingDirectories(Path tmp) throws java.io.IOException {
        try (var paths = Files.list(tmp)) {
            return paths.filter(p -> p.getFileName().toString().startsWith("loomcrawl-train")).sorted().toList();
        }
    }

    @Test
    void textListsEveryRequestedUrlInBreadthFirstOrderTheSameAtAnyConcurrency() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(300, 21), server.baseUrl());
        server.serve(site.resources());
        Run serial = run("crawl", site.startUrl(), "--concurrency", "1");
        Run wide = run("crawl", site.startUrl(), "--concurrency", "64");
        assertThat(serial.code()).isZero();
        assertThat(serial.out().lines().toList()).containsExactlyElementsOf(
                site.expected().stream().map(SiteGenerator.ExpectedPage::url).toList());
        assertThat(wide.out()).isEqualTo(serial.out());
        assertThat(serial.err()).startsWith("loomcrawl: " + String.format("%,d", site.expected().size()) + " pages")
                .contains("completed");
    }

    @Test
    void jsonlHasEveryFieldAndIsIdenticalAtAnyConcurrencyButForTimings(@TempDir Path dir) throws Exception {
        server.serve(Map.of(
                "/", Resource.html("<a href=/a>a</a><a href=/moved>m</a><a href=/gone>g</a><a href='/q?x=\"'>q</a>"),
                "/a", Resource.html("<a href=/>home</a>"),
                "/moved", Resource.redirect(301, "/a")));
        Path one = dir.resolve("one.jsonl");
        Path many = dir.resolve("many.jsonl");
        assertThat(run("crawl", server.url("/"), "--format", "jsonl", "--output", one.toString(), "--concurrency", "1").code()).isZero();
        assertThat(run("crawl", server.url("/"), "--format", "jsonl", "-o", many.toString(), "--concurrency", "64").code()).isZero();
        List<String> lines = Files.readAllLines(one);
        String b = server.baseUrl();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).matches("\\{\"url\":\"" + b + "/\",\"status\":200,\"depth\":0,\"parent\":null,"
                + "\"content_type\":\"text/html; charset=utf-8\",\"bytes\":\\d+,\"fetch_ms\":\\d+,\"redirect\":null,"
                + "\"error\":null,\"links\":4,\"truncated\":false,\"attempts\":1,\"noindex\":false,\"nofollow\":false,"
                + "\"nofollow_links\":0,\"source\":\"start\",\"in_sitemap\":null}");
        assertThat(lines.get(2)).contains("\"url\":\"" + b + "/moved\",\"status\":301,\"depth\":1,\"parent\":\"" + b + "/\"")
                .contains("\"redirect\":\"" + b + "/a\"").contains("\"source\":\"link\"");
        assertThat(lines.get(3)).contains("\"url\":\"" + b + "/gone\",\"status\":404");
        assertThat(lines.get(4)).contains("\"url\":\"" + b + "/q?x=%22\"");
        assertThat(Files.readAllLines(many).stream().map(CliTest::withoutTiming).toList())
                .isEqualTo(lines.stream().map(CliTest::withoutTiming).toList());
    }

    private static String withoutTiming(String line) {
        return line.replaceAll("\"fetch_ms\":\\d+", "\"fetch_ms\":0");
    }

    @Test
    void everySettingNamedInAMessageHasTheOptionItIsCalledBy() {
        CommandLine cli = Main.commandLine(List.of("crawl", "check"));
        CrawlOptions.OPTION_OF_SETTING.forEach((setting, option) -> assertThat(
                cli.getSubcommands().get("crawl").getCommandSpec().findOption(option)).as(setting + " -> " + option)
                .isNotNull());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "crawl not-a-url | invalid URL 'not-a-url'",
        "crawl ftp://example.com/ | invalid URL 'ftp://example.com/'",
        "crawl | give a start URL, several, or --sites FILE",
        "crawl --sites /nonexistent/sites.txt | cannot read the site list /nonexistent/sites.txt: no such file",
        "check not-a-url ftp://x.example/ | no site to crawl: not-a-url (argument 1): invalid URL: it must be an absolute http or https URL, and the other 1 likewise",
        "crawl http://127.0.0.1:1/ --output-dir out | --output-dir is for many sites",
        "crawl http://127.0.0.1:1/ --concurrency 0 | --concurrency must be 1..4096",
        "crawl http://127.0.0.1:1/ --concurrency many | '--concurrency'",
        "crawl http://127.0.0.1:1/ --max-pages 0 | --max-pages must be 1 or more",
        "crawl http://127.0.0.1:1/ --max-depth -1 | --max-depth must be 0 or more",
        "crawl http://127.0.0.1:1/ --timeout 5x | '5x' is not a duration; write it like 500ms, 5s, 2m or 1h",
        "crawl http://127.0.0.1:1/ --max-time 0s | '0s' must be more than zero",
        "crawl http://127.0.0.1:1/ --format xml | format must be one of text, jsonl",
        "crawl http://127.0.0.1:1/ --bogus | Unknown option: '--bogus'",
        "crawl http://127.0.0.1:1/ --max-body 5XB | '5XB' is not a size; write it like 500000, 512KB, 5MB or 1GB",
        "crawl http://127.0.0.1:1/ --max-body 3GB | '3GB' must be between 1 byte and 2GB",
        "crawl http://127.0.0.1:1/ --retries 101 | --retries must be 0..100",
        "crawl http://127.0.0.1:1/ --per-host 0 | --per-host must be 1..4096",
        "crawl http://127.0.0.1:1/ --rate -2 | --rate must be 0 (no cap) or a positive number",
        "crawl http://127.0.0.1:1/ --max-url-length 3 | --max-url-length must be 16 or more",
        "crawl http://127.0.0.1:1/ --max-per-pattern -1 | --max-per-pattern must be 1 or more",
        "crawl http://127.0.0.1:1/ --header NoColon | --header must be written 'Name: value'",
        "crawl http://127.0.0.1:1/ --header Bad@Name:x | header name must be a token",
        "crawl http://127.0.0.1:1/ --user nopassword | --user must be written USER:PASSWORD",
        "crawl http://127.0.0.1:1/ --proxy ftp://proxy:21 | --proxy must be a URL like http://proxy:3128",
        "crawl http://127.0.0.1:1/ --idle-timeout 0ms | '0ms' must be more than zero",
        "crawl http://127.0.0.1:1/ --exclude-private --proxy http://127.0.0.1:3128 | --exclude-private cannot be kept through a proxy",
        "frobnicate | Unmatched argument",
        "\"\" | missing command",
    })
    void badInputGetsOneClearLineAndExitCode2(String args, String message) {
        Run r = run(args.isEmpty() ? new String[0] : args.split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("loomcrawl: ").contains(message).doesNotContain("Exception", "\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aStartUrlThatALimitOnUrlsRefusesIsExitCode3AndSaysWhyForCrawlAndCheck() {
        server.serve(Map.of("/a-start-page-with-a-long-name", Resource.html("home")));
        String start = server.url("/a-start-page-with-a-long-name");
        Run crawl = run("crawl", start, "--max-url-length", "20");
        assertThat(crawl.code()).isEqualTo(3);
        assertThat(crawl.err()).contains("loomcrawl: start URL not requested: " + start + " (url too long)");
        Run check = run("check", start, "--max-url-length", "20", "--no-external");
        assertThat(check.code()).isEqualTo(3);
        assertThat(check.err()).contains("loomcrawl: start URL not requested: " + start + " (url too long)");
    }

    @Test
    void aStartUrlThatRobotsTxtForbidsIsExitCode3AndSaysWhy() {
        server.serve(Map.of("/robots.txt", Resource.of(503, "text/plain", new byte[0]), "/", Resource.html("home")));
        Run r = run("crawl", server.url("/"), "--retries", "0");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("loomcrawl: start URL excluded by robots.txt: " + server.url("/")
                + " (robots.txt answered 503: nothing allowed; --ignore-robots crawls anyway)\n");
        assertThat(run("crawl", server.url("/"), "--ignore-robots").code()).isZero();
    }

    @Test
    void slowdownsAndSitemapsAreToldAfterTheSummary() {
        server.serve(Map.of("/", Resource.html("<a href=/busy>b</a>"),
                "/busy", new Resource(503, "text/html", "busy".getBytes(), Map.of("Retry-After", "0")),
                "/sitemap.xml", Resource.of(200, "application/xml", ("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                        + "<url><loc>" + server.url("/lonely") + "</loc></url></urlset>").getBytes()),
                "/lonely", Resource.html("lonely")));
        Run r = run("crawl", server.url("/"), "--sitemaps", "--retries", "1");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).containsExactly(server.url("/"), server.url("/busy"), server.url("/lonely"));
        assertThat(r.err()).contains("loomcrawl: slowed down 2 times:", "overloaded (429/503): concurrency 16 -> 8",
                "loomcrawl: sitemaps: 1 read, 1 URLs listed, 1 orphans (listed, linked from nowhere), 1 linked pages not listed");
    }

    @Test
    void headersCookiesAndCredentialsReachTheStartHost() throws Exception {
        try (dev.loomcrawl.testkit.FaultServer recording = dev.loomcrawl.testkit.FaultServer.start()) {
            recording.serve(Map.of("/", Resource.html("home")));
            Run r = run("crawl", recording.url("/"), "-H", "X-Api-Key: k1", "--cookie", "a=1", "--cookie", "b=2",
                    "--user", "ann:pw:with:colons", "--max-body", "64KB", "--delay", "10ms", "--per-host", "2");
            assertThat(r.code()).isZero();
            assertThat(recording.requestLog()).allSatisfy(req -> assertThat(req.headers())
                    .containsEntry("x-api-key", "k1").containsEntry("cookie", "a=1; b=2")
                    .containsEntry("authorization", "Basic " + java.util.Base64.getEncoder()
                            .encodeToString("ann:pw:with:colons".getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void theUserAgentIsOneHeaderAndRobotsTxtIsReadForItsName() throws Exception {
        try (dev.loomcrawl.testkit.FaultServer site = dev.loomcrawl.testkit.FaultServer.start()) {
            site.serve(Map.of(
                    "/robots.txt", Resource.of(200, "text/plain",
                            "User-agent: mybot\nDisallow: /only-others/\n\nUser-agent: *\nDisallow:\n".getBytes()),
                    "/", Resource.html("<a href=/only-others/page>p</a>"),
                    "/only-others/page", Resource.html("p")));
            Run mine = run("crawl", site.url("/"), "--user-agent", "MyBot/2.0 (+https://example.com/bot)", "--no-state");
            assertThat(mine.code()).isZero();
            assertThat(site.requestLog()).extracting(req -> req.headers().get("user-agent"))
                    .containsOnly("MyBot/2.0 (+https://example.com/bot)");
            assertThat(site.requests("/only-others/page")).as("robots.txt's group for mybot").isZero();

            Run header = run("crawl", site.url("/"), "-H", "User-Agent: MyBot/3.0", "--no-state");
            assertThat(header.code()).isZero();
            assertThat(site.requestLog()).extracting(req -> req.headers().get("user-agent"))
                    .as("-H replaces the default: one User-Agent, never two")
                    .containsOnly("MyBot/2.0 (+https://example.com/bot)", "MyBot/3.0");

            Run ours = run("crawl", site.url("/"), "--no-state");
            assertThat(ours.code()).isZero();
            assertThat(site.requests("/only-others/page")).as("the default agent is not mybot").isEqualTo(1);
            assertThat(site.requestLog().getLast().headers().get("user-agent")).startsWith("loomcrawl/");

            Run blank = run("crawl", site.url("/"), "--user-agent", " ");
            assertThat(blank.code()).isEqualTo(2);
            assertThat(blank.err()).startsWith("loomcrawl: --user-agent must be one line of text\n");
        }
    }

    @Test
    void aStallIsReportedOnStderrWithTheUrlInFlight() throws Exception {
        try (dev.loomcrawl.testkit.FaultServer stalling = dev.loomcrawl.testkit.FaultServer.start()) {
            stalling.serve(Map.of("/", Resource.html("<a href=/stuck>s</a>")));
            stalling.route("/stuck", dev.loomcrawl.testkit.Fault.stallBeforeHeaders());
            Run r = run("crawl", stalling.url("/"), "--stall-timeout", "200ms", "--first-byte-timeout", "1s",
                    "--retries", "0");
            assertThat(r.code()).isZero();
            assertThat(r.err()).contains("loomcrawl: stalled: nothing completed for ", "1 in flight",
                    "  " + stalling.url("/stuck") + " (");
            assertThat(r.out().lines()).containsExactly(stalling.url("/"), stalling.url("/stuck"));
        }
    }

    @Test
    void anUnwritableWarcFileIsExitCode4AndAWritableOneIsWritten(@TempDir Path dir) throws Exception {
        server.serve(Map.of("/", Resource.html("<a href=/a>a</a>"), "/a", Resource.html("a")));
        Run r = run("crawl", server.url("/"), "--warc", dir.resolve("no/such/dir/site.warc.gz").toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("cannot write WARC file").doesNotContain("Exception:");
        Path warc = dir.resolve("site.warc.gz");
        assertThat(run("crawl", server.url("/"), "--warc", warc.toString(), "--warc-max-size", "10MB").code()).isZero();
        assertThat(warc).isNotEmptyFile();
    }

    @Test
    void anUnwritableOutputFileIsExitCode4(@TempDir Path dir) {
        server.serve(Map.of("/", Resource.html("hi")));
        Run r = run("crawl", server.url("/"), "--output", dir.resolve("no/such/dir/out.txt").toString());
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).startsWith("loomcrawl: cannot write output file").doesNotContain("Exception");
        assertThat(server.totalRequests()).isZero();
    }

    @Test
    void aWriteFailureMidCrawlIsExitCode4AndStopsTheCrawl() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(2000, 12), server.baseUrl());
        server.serve(site.resources()).latency(java.time.Duration.ofMillis(5));
        // /dev/full accepts the open and fails every write with "No space left on device"
        Run r = run("crawl", site.startUrl(), "--format", "jsonl", "--output", "/dev/full");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).startsWith("loomcrawl: cannot write output file '/dev/full': No space left on device")
                .doesNotContain("Exception");
        assertThat(server.totalRequests()).isLessThan(site.expected().size());
    }

    @Test
    void anUnreachableStartUrlIsExitCode3() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Run r = run("crawl", "http://127.0.0.1:" + closedPort + "/", "--ignore-robots");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).as("one line, and no summary that says the crawl completed")
                .isEqualTo("loomcrawl: start URL unreachable: http://127.0.0.1:" + closedPort + "/: connection refused\n");
        assertThat(r.out()).isEqualTo("http://127.0.0.1:" + closedPort + "/\n");
    }

    @Test
    void limitsApplyFromTheCommandLine() {
        SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(200, 4), server.baseUrl());
        server.serve(site.resources());
        Run pages = run("crawl", site.startUrl(), "--max-pages", "7");
        assertThat(pages.out().lines()).hasSize(7);
        assertThat(pages.err()).contains("stopped at --max-pages");
        Run depth = run("crawl", site.startUrl(), "--max-depth", "1", "-q");
        assertThat(depth.out().lines().toList()).containsExactlyElementsOf(site.expected().stream()
                .filter(p -> p.depth() <= 1).map(SiteGenerator.ExpectedPage::url).toList());
        assertThat(depth.err()).isEmpty();
    }

    @Test
    void theProgressBarCountsDoneAgainstDiscoveredAndHonorsNoColor() {
        String colored = Progress.bar(50, 200, 3, 2.0, Long.MAX_VALUE, true, 120);
        assertThat(colored).startsWith("[\033[32m######\033[0m..................] 50/200 pages  25/s  \033[31m3 errors\033[0m  00:02");
        String plain = Progress.bar(50, 200, 0, 2.0, 100, false, 120);
        assertThat(plain).isEqualTo("[############............] 50/100 pages  25/s  0 errors  ETA 00:02").doesNotContain("\033");
        assertThat(Progress.colorWanted(Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(Progress.colorWanted(Map.of("NO_COLOR", ""))).isTrue();
        assertThat(Progress.colorWanted(Map.of())).isTrue();
    }

    @Test
    void theProgressBarFitsANarrowTerminalSoItNeverWraps() {
        String wide = Progress.bar(12_345, 67_890, 12, 61.0, Long.MAX_VALUE, false, 120);
        assertThat(wide).isEqualTo("[####....................] 12,345/67,890 pages  202/s  12 errors  01:01");
        for (int columns = 1; columns <= 120; columns++) {
            String frame = Progress.bar(12_345, 67_890, 12, 61.0, Long.MAX_VALUE, true, columns);
            String visible = frame.replaceAll("\033\\[[0-9;]*m", "");
            assertThat(visible.length()).as("%d columns", columns).isLessThan(Math.max(2, columns));
            assertThat(visible).doesNotContain("\n", "\r");
        }
        assertThat(Progress.bar(12_345, 67_890, 12, 61.0, Long.MAX_VALUE, false, 40))
                .isEqualTo("12,345/67,890 pages  202/s  12 errors");
        assertThat(Progress.bar(12_345, 67_890, 12, 61.0, Long.MAX_VALUE, false, 60))
                .isEqualTo("[##..........] 12,345/67,890 pages  202/s  12 errors  01:01");
        assertThat(Progress.bar(12_345, 67_890, 12, 61.0, Long.MAX_VALUE, false, 12)).isEqualTo("12,345/67,8");
    }

    @Test
    void demoChecksItsCrawlAgainstTheGroundTruth() {
        Run r = run("demo", "--pages", "300", "--latency", "1", "--concurrency", "8");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Ground truth: MATCH")
                .containsPattern("The [0-9,]+ URLs are [0-9,]+ pages \\([0-9,]+ of them a page again under a query string\\), "
                        + "[0-9,]+ files they link to \\(PDFs, images\\) and [0-9,]+ missing pages they link to \\(404\\)");
        assertThat(run("demo", "--pages", "0").code()).isEqualTo(2);
    }
}
