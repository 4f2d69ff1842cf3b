package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real loomcrawl process killed again and again (SIGKILL at random moments, with the store's writer committing
 * every few milliseconds, and SIGINT), each time resumed from its state directory: the last run's output is that of one
 * uninterrupted crawl, and across all runs no page is requested again once the store recorded it. A page requested
 * twice was in flight when its run died, or fetched and waiting for the store's next commit (there are never more
 * of those than twice the crawl's concurrency, for requests and pages being processed, plus
 * {@link CrawlStore#MAX_AWAITING_COMMIT}).
 */
@Timeout(300)
class ResumeAfterKillIT {

    private static final int KILLS = 24;
    private static final int CONCURRENCY = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Line(String url, int status, int depth, String parent) {}

    @Test
    void aCrawlKilledTwentyTimesResumesToTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        SplittableRandom random = new SplittableRandom(20261126);
        Path state = tmp.resolve("state");
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(1500, 11), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(3));
            Map<String, Long> before = Map.of();
            Set<String> recordedSoFar = Set.of();
            Set<String> inFlightSomeTime = new HashSet<>();
            int kills = 0;
            int sigints = 0;
            int run = 0;
            Path lastOutput;
            while (true) {
                run++;
                boolean kill = kills < KILLS;
                boolean sigint = kill && run % 6 == 0;
                lastOutput = tmp.resolve("run" + run + ".jsonl");
                Process p = start(site.startUrl(), state, lastOutput, tmp.resolve("run" + run + ".err"));
                if (kill) {
                    long target = server.totalRequests() + random.nextInt(60);
                    while (server.totalRequests() < target && p.isAlive()) {
                        Thread.sleep(1);
                    }
                    if (!p.isAlive()) {
                        fail("run %d ended before its kill; the site is too small for %d kills", run, KILLS);
                    }
                    if (sigint) {
                        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGINT").isTrue();
                        assertThat(p.exitValue()).as("run %d, SIGINT", run).isEqualTo(130);
                        sigints++;
                    } else {
                        p.destroyForcibly();
                        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    }
                    kills++;
                } else {
                    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the last run completes").isTrue();
                    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("run" + run + ".err"))).isZero();
                }
                Map<String, Long> after = server.requestCounts();
                Set<String> requested = requestedBetween(before, after);
                Set<String> again = new HashSet<>(requested);
                again.retainAll(recordedSoFar);
                assertThat(again).as("run %d requested nothing an earlier run recorded", run).isEmpty();
                if (!kill) {
                    break;
                }
                Set<String> recorded = recorded(state, server.baseUrl());
                assertThat(recorded).containsAll(recordedSoFar);
                Set<String> inFlight = new HashSet<>(requested);
                inFlight.removeAll(recorded);
                assertThat(inFlight.size()).as("run %d: requested, not recorded: in flight or awaiting commit when it died", run)
                        .isLessThanOrEqualTo(2 * CONCURRENCY + CrawlStore.MAX_AWAITING_COMMIT);
                inFlightSomeTime.addAll(inFlight);
                before = after;
                recordedSoFar = recorded;
            }
            assertThat(kills).as("kill points").isGreaterThanOrEqualTo(20);
            assertThat(sigints).isGreaterThanOrEqualTo(3);

            List<Line> resumed = lines(lastOutput);
            assertThat(resumed.stream().map(l -> l.url() + " " + l.depth() + " " + l.parent()).toList())
                    .containsExactlyElementsOf(site.expected().stream()
                            .map(e -> e.url() + " " + e.depth() + " " + e.parent()).toList());

            Map<String, Long> total = server.requestCounts();
            total.remove("/robots.txt");
            for (Map.Entry<String, Long> e : total.entrySet()) {
                if (e.getValue() > 1) {
                    assertThat(inFlightSomeTime).as("%s requested %d times", e.getKey(), e.getValue()).contains(e.getKey());
                }
            }
            assertThat(total.keySet()).hasSize(site.expected().size());
            Path uninterrupted = tmp.resolve("uninterrupted.jsonl");
            assertThat(Run.run("crawl", site.startUrl(), "--format", "jsonl", "-o", uninterrupted.toString()).code()).isZero();
            assertThat(resumed).containsExactlyElementsOf(lines(uninterrupted));
            // report gives the last run's output again, byte for byte
            Path report = tmp.resolve("report.jsonl");
            Run r = Run.run("report", state.toString(), "--format", "jsonl", "-o", report.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readString(report)).isEqualTo(Files.readString(lastOutput));
        }
    }

    private static Process start(String url, Path state, Path output, Path err) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "crawl", url,
                "--state", state.toString(), "--concurrency", Integer.toString(CONCURRENCY), "--format", "jsonl",
                "--output", output.toString(), "--quiet"));
        return new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static Set<String> requestedBetween(Map<String, Long> before, Map<String, Long> after) {
        Set<String> out = new HashSet<>();
        after.forEach((target, n) -> {
            if (n > before.getOrDefault(target, 0L) && !target.equals("/robots.txt")) {
                out.add(target);
            }
        });
        return out;
    }

    /** The request targets of the pages the store recorded, read as a user would, with SQL. */
    static Set<String> recorded(Path state, String baseUrl) throws Exception {
        Set<String> out = new HashSet<>();
        Path db = state.resolve(CrawlStore.FILE);
        if (!Files.exists(db)) {
            return out;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT url FROM pages WHERE (SELECT count(*) FROM sqlite_master WHERE name = 'pages') > 0")) {
            while (r.next()) {
                out.add(r.getString(1).substring(baseUrl.length()));
            }
        } catch (java.sql.SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no such table")) {
                throw e;
            }
        }
        return out;
    }

    private static List<Line> lines(Path jsonl) throws Exception {
        List<Line> out = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode n = JSON.readTree(line);
            out.add(new Line(n.get("url").asText(), n.get("status").asInt(), n.get("depth").asInt(),
                    n.get("parent").isNull() ? null : n.get("parent").asText()));
        }
        return out;
    }
}
