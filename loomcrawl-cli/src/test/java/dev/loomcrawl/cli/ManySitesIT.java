package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.InFlight;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crawl} and {@code check} over a list of sites, each served by its own loopback server: the output holds the
 * sites in list order, each in its breadth-first order, the same bytes (but {@code fetch_ms}) at any concurrency; a
 * failing site among good ones is a result; a stopped run resumes; a shared external link is asked once.
 */
@Timeout(180)
class ManySitesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SITES = 5;

    @TempDir
    Path tmp;

    private final InFlight across = new InFlight();
    private final List<SiteServer> servers = new ArrayList<>();
    private final List<SiteGenerator.Site> sites = new ArrayList<>();
    private Path list;
    private String deadSite;

    @BeforeEach
    void serveSites() throws Exception {
        for (int i = 0; i < SITES; i++) {
            SiteServer server = SiteServer.start().alsoCounting(across);
            servers.add(server);
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(40 + 25 * i, 100 + i),
                    server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(1 + i % 3));
            sites.add(site);
        }
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        deadSite = "http://127.0.0.1:" + closed + "/";
        list = tmp.resolve("sites.txt");
        Files.writeString(list, "# the sites\n" + sites.get(0).startUrl() + "\n" + sites.get(1).startUrl() + "\n\n"
                + deadSite + "\n" + "not a url\n" + sites.get(2).startUrl() + "\n" + sites.get(0).startUrl() + "\n"
                + sites.get(3).startUrl() + "\n" + sites.get(4).startUrl() + "\n");
    }

    @AfterEach
    void stop() {
        servers.forEach(SiteServer::close);
    }

    @Test
    void theOutputHoldsTheSitesInListOrderTheSameAtEveryConcurrencyAndAFailingSiteIsAResult() throws Exception {
        String first = null;
        for (String[] c : List.of(new String[] {"1", "1"}, new String[] {"3", "1"}, new String[] {"8", "2"},
                new String[] {"64", "4"}, new String[] {"64", "64"})) {
            servers.forEach(SiteServer::resetStats);
            Path out = tmp.resolve("out-" + c[0] + "-" + c[1] + ".jsonl");
            Run r = Run.run("crawl", "--sites", list.toString(), "--format", "jsonl", "-o", out.toString(),
                    "--concurrency", c[0], "--per-host", c[1]);
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.START_UNREACHABLE); // one start failed; the others ran
            assertThat(r.err()).contains("loomcrawl: 8 sites: 5 crawled cleanly, 3 not")
                    .contains("loomcrawl:   " + deadSite + " (" + list + ":5): start URL unreachable: connection refused")
                    .contains("loomcrawl:   not a url (" + list + ":6): invalid URL")
                    .contains("loomcrawl:   " + sites.get(0).startUrl() + " (" + list + ":8): listed before, at " + list + ":2");
            List<JsonNode> records = records(out);
            List<String> expected = new ArrayList<>();
            List<String> expectedSites = new ArrayList<>();
            for (int i : new int[] {0, 1, -1, 2, 3, 4}) {
                if (i < 0) {
                    expected.add(deadSite + " " + deadSite + " 0 null");
                    expectedSites.add(deadSite);
                    continue;
                }
                String start = sites.get(i).startUrl();
                for (SiteGenerator.ExpectedPage p : sites.get(i).expected()) {
                    expected.add(start + " " + p.url() + " " + p.depth() + " " + p.parent());
                }
            }
            assertThat(records.stream().map(n -> n.get("site").asText() + " " + n.get("url").asText() + " "
                    + n.get("depth").asInt() + " " + n.get("parent").asText()).toList()).containsExactlyElementsOf(expected);
            for (SiteServer server : servers) {
                assertThat(server.requestCounts().values()).as("each URL asked once").allMatch(n -> n == 1);
                assertThat(server.peakInFlight()).isLessThanOrEqualTo(Integer.parseInt(c[1]));
            }
            String bytes = withoutFetchTimes(out);
            if (first == null) {
                first = bytes;
            } else {
                assertThat(bytes).as("concurrency %s, per host %s", c[0], c[1]).isEqualTo(first);
            }
        }
        assertThat(across.peak()).as("requests in flight over all sites at once").isLessThanOrEqualTo(64);
    }

    @Test
    void theRunsRequestsInFlightStayUnderConcurrencyAcrossAllSites() throws Exception {
        for (SiteServer s : servers) {
            s.latency(Duration.ofMillis(5));
        }
        Run r = Run.run("crawl", "--sites", list.toString(), "--concurrency", "3", "--per-host", "2", "-q");
        assertThat(r.code()).isEqualTo(ExitCode.START_UNREACHABLE);
        assertThat(across.peak()).isBetween(2, 3);
        assertThat(servers).allSatisfy(s -> assertThat(s.peakInFlight()).isLessThanOrEqualTo(2));
    }

    @Test
    void outputDirHoldsAFilePerSiteWithTheLinesTheStreamHasForIt() throws Exception {
        Path dir = tmp.resolve("per-site");
        Path out = tmp.resolve("all.txt");
        Run r = Run.run("crawl", sites.get(0).startUrl(), sites.get(3).startUrl(), sites.get(0).startUrl() + "?again",
                "--output-dir", dir.toString(), "-o", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String host0 = "127.0.0.1_" + servers.get(0).port();
        String host3 = "127.0.0.1_" + servers.get(3).port();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyInAnyOrder(host0 + ".txt", host0 + "-2.txt", host3 + ".txt");
        }
        String site0 = Files.readString(dir.resolve(host0 + ".txt"));
        assertThat(site0.lines().toList()).containsExactlyElementsOf(sites.get(0).expectedUrls());
        assertThat(Files.readString(out)).isEqualTo(site0 + Files.readString(dir.resolve(host3 + ".txt"))
                + Files.readString(dir.resolve(host0 + "-2.txt")));
        Run alone = Run.run("crawl", sites.get(1).startUrl(), sites.get(2).startUrl(), "--output-dir", dir.toString());
        assertThat(alone.out()).as("--output-dir alone writes nothing to stdout").isEmpty();
        assertThat(Run.run("crawl", sites.get(1).startUrl(), "--output-dir", dir.toString()).code()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anUnfinishedRunResumesFromItsStateAndAnotherListIsRefused() throws Exception {
        Path state = tmp.resolve("state");
        Path whole = tmp.resolve("whole.jsonl");
        assertThat(Run.run("crawl", "--sites", list.toString(), "--format", "jsonl", "-o", whole.toString()).code())
                .isEqualTo(ExitCode.START_UNREACHABLE);
        servers.forEach(SiteServer::resetStats);

        Path cut = tmp.resolve("cut.jsonl");
        Run stopped = Run.run("crawl", "--sites", list.toString(), "--state", state.toString(), "--format", "jsonl",
                "-o", cut.toString(), "--max-time", "30ms", "--concurrency", "2", "--per-host", "1");
        assertThat(stopped.err()).contains("stopped at --max-time");
        assertThat(Files.readString(state.resolve(SitesState.MANIFEST))).contains("state unfinished");
        long requestedBefore = servers.stream().mapToLong(SiteServer::totalRequests).sum();

        Run other = Run.run("crawl", sites.get(0).startUrl(), sites.get(1).startUrl(), "--state", state.toString());
        assertThat(other.code()).isEqualTo(ExitCode.STATE_ERROR);
        assertThat(other.err()).contains(state + " holds an unfinished crawl of another list of 8 sites");
        Run conflicting = Run.run("crawl", "--sites", list.toString(), "--state", state.toString(), "--max-pages", "3");
        assertThat(conflicting.code()).isEqualTo(ExitCode.USAGE);

        Path resumed = tmp.resolve("resumed.jsonl");
        Run again = Run.run("crawl", "--sites", list.toString(), "--state", state.toString(), "--format", "jsonl",
                "-o", resumed.toString());
        assertThat(again.code()).as(again.err()).isEqualTo(ExitCode.START_UNREACHABLE);
        assertThat(again.err()).contains("resuming the crawl of 8 sites in " + state + " (run 2)");
        assertThat(withoutFetchTimes(resumed)).isEqualTo(withoutFetchTimes(whole));
        long pages = sites.stream().mapToLong(s -> s.expected().size()).sum();
        assertThat(servers.stream().mapToLong(SiteServer::totalRequests).sum())
                .as("what the stopped run fetched is recalled, not asked again")
                .isLessThanOrEqualTo(pages + SITES + 2L * 2 + 2 * SITES); // robots.txt, and what was in flight
        assertThat(requestedBefore).isPositive();
        assertThat(Files.readString(state.resolve(SitesState.MANIFEST))).contains("state finished");
        Path report = tmp.resolve("report.jsonl");
        Run reported = Run.run("report", state.toString(), "--format", "jsonl", "-o", report.toString());
        assertThat(reported.code()).as(reported.err()).isZero();
        assertThat(Files.readString(report)).as("report writes the run's stream again").isEqualTo(Files.readString(resumed));

        Run replaced = Run.run("crawl", "--sites", list.toString(), "--state", state.toString(), "-o",
                tmp.resolve("third.txt").toString());
        assertThat(replaced.err()).contains("replacing the finished crawl of 8 sites");
    }

    @Test
    void checkOverManySitesAsksAnExternalLinkTheyShareOnceAndReportsThemAll() throws Exception {
        try (SiteServer external = SiteServer.start()) {
            external.serve(Map.of("/shared", Resource.html("shared"))).latency(Duration.ofMillis(10));
            List<String> starts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SiteServer s = servers.get(i);
                s.serve(Map.of("/", Resource.html("<a href='" + external.url("/shared") + "'>x</a><a href=/gone" + i
                        + ">y</a>")));
                starts.add(s.url("/"));
            }
            Path report = tmp.resolve("report.jsonl");
            List<String> args = new ArrayList<>(List.of("check"));
            args.addAll(starts);
            Path junit = tmp.resolve("report.xml");
            Path html = tmp.resolve("report.html");
            args.addAll(List.of("--format", "jsonl", "-o", report.toString(), "--format", "junit", "-o", junit.toString(),
                    "--format", "html", "-o", html.toString(), "--format", "csv", "-o", tmp.resolve("report.csv").toString()));
            Run r = Run.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.LINKS_FAILING);
            assertThat(external.requests("/shared")).isEqualTo(1);
            List<JsonNode> links = records(report);
            assertThat(links.stream().filter(n -> n.get("url").asText().endsWith("/shared"))
                    .map(n -> n.get("verdict").asText()).toList()).containsExactly("ok", "ok", "ok");
            assertThat(links.stream().filter(n -> n.get("verdict").asText().equals("broken"))
                    .map(n -> n.get("source").asText()).toList()).containsExactlyElementsOf(starts);
            assertThat(links.stream().map(n -> n.get("site").asText()).distinct().toList())
                    .as("each row names its site, in list order").containsExactlyElementsOf(starts);
            assertThat(Files.readString(html)).contains("<title>loomcrawl report: 3 sites</title>");
            List<String> csv = Files.readAllLines(tmp.resolve("report.csv"));
            assertThat(csv.getFirst()).startsWith("site,source,line");
            assertThat(csv.subList(1, csv.size())).hasSize(links.size()).allMatch(row -> row.startsWith("http://127.0.0.1:"));
            assertThat(r.err()).contains("loomcrawl: 3 sites: 3 crawled cleanly, 0 not");
            String xml = Files.readString(junit);
            assertThat(xml.split("<testsuite ", -1)).as("a suite per site").hasSize(4);
            for (String start : starts) {
                assertThat(xml).contains("name=\"" + start + "\"");
            }
        }
    }

    @Test
    void ctrlCCancelsTheSitesInFlightAndWritesWhatEachSiteHasInListOrder() throws Exception {
        for (SiteServer s : servers) {
            s.latency(Duration.ofMillis(40));
        }
        Path out = tmp.resolve("stopped.jsonl");
        Run[] result = new Run[1];
        Thread command = Thread.ofPlatform().start(() -> result[0] = Run.run("crawl", "--sites", list.toString(),
                "--format", "jsonl", "-o", out.toString(), "--concurrency", "4", "--per-host", "2"));
        Await.until("40 requests served", () -> servers.stream().mapToLong(SiteServer::totalRequests).sum() >= 40);
        command.interrupt();
        command.join(30_000);
        assertThat(command.isAlive()).isFalse();
        Run r = result[0];
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(r.err()).contains("loomcrawl: interrupted: nothing is kept with --no-state")
                .contains(": interrupted");
        List<JsonNode> records = records(out);
        assertThat(records).isNotEmpty();
        List<String> order = new ArrayList<>();
        for (SiteGenerator.Site site : sites) {
            order.add(site.startUrl());
        }
        List<Integer> places = records.stream().map(n -> n.get("site").asText()).distinct()
                .map(site -> site.equals(deadSite) ? 1 : order.indexOf(site)).toList();
        assertThat(places).as("sites in list order").isSorted();
    }

    private static List<JsonNode> records(Path jsonl) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static String withoutFetchTimes(Path jsonl) throws Exception {
        return Files.readString(jsonl).replaceAll("\"fetch_ms\":\\d+", "");
    }
}
