package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real loomcrawl process crawling a list of sites, killed (SIGKILL) again and again at random moments and resumed
 * from its state directory each time: the last run's output is that of one uninterrupted run, and no run asks for a
 * page that a site's store recorded before the kill.
 */
@Timeout(300)
class ManySitesKilledIT {

    private static final int SITES = 8;
    private static final int KILLS = 6;

    @Test
    void aManySiteRunKilledSixTimesResumesToTheUninterruptedOutput(@TempDir Path tmp) throws Exception {
        SplittableRandom random = new SplittableRandom(20261202);
        List<SiteServer> servers = new ArrayList<>();
        try {
            StringBuilder list = new StringBuilder();
            long pages = 0;
            for (int i = 0; i < SITES; i++) {
                SiteServer server = SiteServer.start();
                servers.add(server);
                SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(100 + 30 * i, 40 + i),
                        server.baseUrl());
                server.serve(site.resources()).latency(Duration.ofMillis(2));
                list.append(site.startUrl()).append('\n');
                pages += site.expected().size();
            }
            Path sites = tmp.resolve("sites.txt");
            Files.writeString(sites, list);
            Path state = tmp.resolve("state");
            List<Map<String, Long>> before = counts(servers);
            List<Set<String>> recorded = new ArrayList<>();
            for (int i = 0; i < SITES; i++) {
                recorded.add(Set.of());
            }
            Path lastOutput = null;
            for (int run = 1; ; run++) {
                boolean kill = run <= KILLS;
                lastOutput = tmp.resolve("run" + run + ".jsonl");
                Process p = start(sites, state, lastOutput, tmp.resolve("run" + run + ".err"));
                if (kill) {
                    long target = total(servers) + 20 + random.nextInt((int) (pages / KILLS));
                    Await.until("request " + target + " served, or the run ended",
                            () -> total(servers) >= target || !p.isAlive());
                    if (!p.isAlive()) {
                        fail("run %d ended before its kill: %s", run, Files.readString(tmp.resolve("run" + run + ".err")));
                    }
                    p.destroyForcibly();
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                } else {
                    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the last run completes").isTrue();
                    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("run" + run + ".err"))).isZero();
                }
                List<Map<String, Long>> after = counts(servers);
                for (int i = 0; i < SITES; i++) {
                    Set<String> again = ResumeAfterKillIT.requestedBetween(before.get(i), after.get(i));
                    again.retainAll(recorded.get(i));
                    assertThat(again).as("run %d, site %d: nothing its store recorded before is asked again", run, i)
                            .isEmpty();
                }
                if (!kill) {
                    break;
                }
                for (int i = 0; i < SITES; i++) {
                    Set<String> now = ResumeAfterKillIT.recorded(state.resolve(String.format("site-%06d", i + 1)),
                            servers.get(i).baseUrl());
                    assertThat(now).containsAll(recorded.get(i));
                    recorded.set(i, now);
                }
                before = after;
            }
            assertThat(recorded.stream().mapToInt(Set::size).sum()).as("the kills came mid-run").isPositive();
            Path uninterrupted = tmp.resolve("uninterrupted.jsonl");
            Run r = Run.run("crawl", "--sites", sites.toString(), "--format", "jsonl", "-o", uninterrupted.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readString(lastOutput).replaceAll("\"fetch_ms\":\\d+", ""))
                    .isEqualTo(Files.readString(uninterrupted).replaceAll("\"fetch_ms\":\\d+", ""));
        } finally {
            servers.forEach(SiteServer::close);
        }
    }

    private static Process start(Path sites, Path state, Path output, Path err) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "crawl", "--sites",
                sites.toString(), "--state", state.toString(), "--concurrency", "4", "--per-host", "4", "--format",
                "jsonl", "--output", output.toString(), "--quiet"));
        return new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long total(List<SiteServer> servers) {
        return servers.stream().mapToLong(SiteServer::totalRequests).sum();
    }

    private static List<Map<String, Long>> counts(List<SiteServer> servers) {
        List<Map<String, Long>> out = new ArrayList<>();
        servers.forEach(s -> out.add(new HashMap<>(s.requestCounts())));
        return out;
    }
}
