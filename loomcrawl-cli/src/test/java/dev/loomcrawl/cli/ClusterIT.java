package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster mode on a real Kafka broker ({@code scripts/kafka-local.sh}) with workers as separate processes: one
 * killed with SIGKILL mid-crawl, one added mid-run, and every site's output that of one machine's run, no URL asked
 * more than twice, no site done twice; and bad input met with one line and an exit code.
 */
@Timeout(300)
class ClusterIT {

    private static final int SITES = 30;
    private static final int PER_SITE = 2;
    /** A worker's --concurrency: also its processing slots, a page's each between its response and its record. */
    private static final int WORKER_CONCURRENCY = 8;
    private static final Duration LATENCY = Duration.ofMillis(20);

    @TempDir
    static Path brokerDir;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void workersKilledAndAddedMidRunGiveEachSiteTheOutputOfOneMachine(@TempDir Path tmp) throws Exception {
        List<SiteServer> servers = new ArrayList<>();
        List<Process> workers = new ArrayList<>();
        try {
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < SITES; i++) {
                SiteServer server = SiteServer.start();
                servers.add(server);
                SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(40 + 7 * i, 100 + i),
                        server.baseUrl());
                server.serve(site.resources()).latency(LATENCY);
                list.append(site.startUrl()).append('\n');
            }
            Path sites = tmp.resolve("sites.txt");
            Files.writeString(sites, list);
            String topics = "kill";
            // this test's first call has met a broker that did not answer within 10 s, now and then, after the
            // unreachable-broker test (cause not found): its topics are made first, with a few tries
            Await.until("the broker answers", () -> Run.run("results", "--kafka", broker.bootstrap(), "--topics", topics,
                    "--partitions", "12", "-q").code() == 0);
            Run submitted = Run.run("submit", "--kafka", broker.bootstrap(), "--topics", topics, "--partitions", "12",
                    "--sites", sites.toString(), "--max-depth", "20");
            assertThat(submitted.code()).as(submitted.err()).isZero();

            // the first worker owns every partition; two more join and take their share of its sites mid-crawl
            workers.add(worker(topics, tmp.resolve("worker0.err")));
            Await.until("the first worker crawls", () -> totalRequests(servers) >= 200);
            workers.add(worker(topics, tmp.resolve("worker1.err")));
            workers.add(worker(topics, tmp.resolve("worker2.err")));
            Path firstLog = tmp.resolve("worker0.err");
            Await.until("the first worker hands partitions over", () -> read(firstLog).contains("handed back"));
            Process killed = workers.getFirst();
            killed.destroyForcibly(); // SIGKILL mid-crawl: no handover, its sites move after its session times out
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log0 = read(firstLog);
            String killedName = log0.substring(log0.indexOf("worker ") + 7, log0.indexOf(" joined"));
            String kept = log0.substring(log0.lastIndexOf("now [") + 5, log0.indexOf(']', log0.lastIndexOf("now [")));
            java.util.Set<Integer> killedOwned = new java.util.HashSet<>();
            for (String n : kept.split(", ")) {
                if (!n.isBlank()) {
                    killedOwned.add(Integer.parseInt(n.trim()));
                }
            }
            long atKill = totalRequests(servers);
            Await.until("the crawl goes on", () -> totalRequests(servers) >= atKill + 200);
            workers.add(worker(topics, tmp.resolve("worker3.err"))); // joins: partitions are handed over to it

            Run results = runWithin(Duration.ofSeconds(180), "results", "--kafka", broker.bootstrap(), "--topics", topics,
                    "--format", "jsonl", "--wait");
            assertThat(results.code()).as(results.err()).isZero();
            assertThat(results.err()).contains("30 of 30 sites done");

            Map<String, Map<String, Long>> clusterCounts = new HashMap<>();
            for (SiteServer s : servers) {
                clusterCounts.put(s.baseUrl(), new HashMap<>(s.requestCounts()));
                s.resetStats();
            }
            Run local = Run.run("crawl", "--sites", sites.toString(), "--max-depth", "20", "--format", "jsonl", "-q");
            assertThat(local.code()).as(local.err()).isZero();
            assertThat(withoutFetchTimes(results.out())).isEqualTo(withoutFetchTimes(local.out()));

            long recalled = 0;
            long recalledFromKilled = 0;
            Map<String, Integer> doneRecords = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : readAll(topics + ".results")) {
                if (ResultRecords.DONE.equals(ResultRecords.header(r.headers(), "type"))) {
                    doneRecords.merge(r.key(), 1, Integer::sum);
                    ResultRecords.Done done = ResultRecords.Done.fromJson(r.value());
                    recalled += done.recalled();
                    if (killedOwned.contains(r.partition()) && !done.worker().equals(killedName)) {
                        recalledFromKilled += done.recalled();
                    }
                }
            }
            assertThat(doneRecords).hasSize(SITES);
            assertThat(doneRecords.values()).as("no site done twice").allMatch(n -> n == 1);
            assertThat(recalledFromKilled).as("the killed worker's sites %s resumed from its journal, not from scratch",
                    killedOwned).isPositive();

            // in flight, or fetched within the last commit interval and not yet published, when a site moved:
            // each move requests again at most its requests in flight and a commit interval's worth of pages
            long perMove = PER_SITE + (ClusterWorker.COMMIT_MILLIS / LATENCY.toMillis() + 2) * PER_SITE;
            long again = 0;
            for (SiteServer s : servers) {
                Map<String, Long> counts = clusterCounts.get(s.baseUrl());
                counts.remove("/robots.txt");
                assertThat(counts.values()).as("%s: no URL asked more than twice", s.baseUrl()).allMatch(n -> n <= 2);
                long twice = counts.values().stream().filter(n -> n == 2).count();
                assertThat(twice).as("%s: URLs asked twice", s.baseUrl()).isLessThanOrEqualTo(2 * perMove);
                again += twice;
            }
            String log = Files.readString(tmp.resolve("worker3.err"));
            assertThat(log).as("the added worker took partitions").contains("assigned partitions [");
            System.out.printf("cluster: %d URLs asked twice over %d sites; %d pages recalled, %d of them from the killed "
                    + "worker's partitions%n", again, SITES, recalled, recalledFromKilled);
        } finally {
            workers.forEach(Process::destroyForcibly);
            for (Process p : workers) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
            servers.forEach(SiteServer::close);
        }
    }

    @Test
    void aWorkerStoppedBySigtermHandsItsSitesBack(@TempDir Path tmp) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(400, 7), server.baseUrl());
            server.serve(site.resources()).latency(LATENCY);
            String topics = "term";
            assertThat(Run.run("submit", "--kafka", broker.bootstrap(), "--topics", topics, site.startUrl()).code())
                    .isZero();
            Process first = worker(topics, tmp.resolve("first.err"));
            Await.until("the site is crawled", () -> server.totalRequests() >= 60);
            first.destroy(); // SIGTERM
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(tmp.resolve("first.err"))).isEqualTo(143); // 128 + SIGTERM
            assertThat(Files.readString(tmp.resolve("first.err"))).contains("handed back partitions");
            Map<String, Long> before = new HashMap<>(server.requestCounts());
            server.resetStats();
            Process second = worker(topics, tmp.resolve("second.err"));
            try {
                Run results = runWithin(Duration.ofSeconds(120), "results", "--kafka", broker.bootstrap(), "--topics",
                        topics, "--wait");
                assertThat(results.code()).as(results.err()).isZero();
                assertThat(results.out().lines().toList()).hasSize(site.expected().size());
                Map<String, Long> after = server.requestCounts();
                long again = before.keySet().stream().filter(t -> !t.equals("/robots.txt") && after.containsKey(t)).count();
                // a stop cancels the requests in flight, and the pages whose responses were read but not yet
                // recorded (being processed, a processing slot each): only those are asked again
                assertThat(again).as("asked again after a handover: at most those in flight or being processed")
                        .isLessThanOrEqualTo(PER_SITE + WORKER_CONCURRENCY);
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCheckedSiteGivesTheRowsOfOneMachinesCheckAndResultsExitsFive(@TempDir Path tmp) throws Exception {
        try (SiteServer a = SiteServer.start(); SiteServer b = SiteServer.start()) {
            List<String> starts = new ArrayList<>();
            for (SiteServer server : List.of(a, b)) {
                SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(120, server.port()),
                        server.baseUrl());
                server.serve(site.resources());
                starts.add(site.startUrl());
            }
            String topics = "check";
            Run submitted = Run.run("submit", "--kafka", broker.bootstrap(), "--topics", topics, "--check",
                    "--no-external", "--fail-on", "redirected", starts.get(0), starts.get(1));
            assertThat(submitted.code()).as(submitted.err()).isZero();
            Process worker = worker(topics, tmp.resolve("worker.err"));
            try {
                Run results = runWithin(Duration.ofSeconds(60), "results", "--kafka", broker.bootstrap(), "--topics",
                        topics, "--wait", "--format", "jsonl");
                Run local = Run.run("check", starts.get(0), starts.get(1), "--no-external", "--fail-on", "redirected",
                        "--format", "jsonl", "-q");
                assertThat(local.code()).as("the sites have broken links").isEqualTo(ExitCode.LINKS_FAILING);
                assertThat(results.code()).as(results.err()).isEqualTo(ExitCode.LINKS_FAILING);
                assertThat(results.out()).isEqualTo(local.out());
                Run text = Run.run("results", "--kafka", broker.bootstrap(), "--topics", topics);
                long failingRows = local.out().lines().filter(l -> l.contains("\"failing\":true")).count();
                assertThat(text.out().lines().toList()).hasSize((int) failingRows);
            } finally {
                worker.destroy();
                worker.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aMalformedSiteRecordGoesToTheErrorsTopicAndTheWorkerGoesOn(@TempDir Path tmp) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(20, 3), server.baseUrl());
            server.serve(site.resources());
            String topics = "bad";
            assertThat(Run.run("submit", "--kafka", broker.bootstrap(), "--topics", topics, "--partitions", "1",
                    site.startUrl()).code()).isZero();
            Properties p = Cluster.common(broker.bootstrap());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topics + ".sites", "x", "{not json".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topics + ".sites", "y",
                        "{\"v\":1,\"id\":\"a\",\"submission\":\"s\",\"submitted_ms\":1,\"index\":0,\"url\":\"http://127.0.0.1:1/\",\"command\":\"crawl\",\"args\":[\"--max-pages\",\"lots\"]}"
                                .getBytes(StandardCharsets.UTF_8)));
                // a site's record may not set how a worker fetches
                producer.send(new ProducerRecord<>(topics + ".sites", "z",
                        "{\"v\":1,\"id\":\"b\",\"submission\":\"s\",\"submitted_ms\":1,\"index\":1,\"url\":\"http://127.0.0.1:2/\",\"command\":\"crawl\",\"args\":[\"--insecure\"]}"
                                .getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(Run.run("submit", "--kafka", broker.bootstrap(), "--topics", topics, site.startUrl()).code())
                    .isZero();
            // a worker option given twice takes the last, as on the command line
            Process worker = worker(topics, tmp.resolve("worker.err"), "--retries", "1", "--retries", "2");
            try {
                Run results = runWithin(Duration.ofSeconds(60), "results", "--kafka", broker.bootstrap(), "--topics",
                        topics, "--wait");
                assertThat(results.code()).as(results.err()).isZero();
                assertThat(results.err()).contains("4 of 4 sites done, 2 not cleanly")
                        .contains("http://127.0.0.1:1/: options: ")
                        .contains("http://127.0.0.1:2/: options: --insecure is a worker's option");
                assertThat(results.out().lines().toList()).hasSize(2 * site.expected().size());
                List<ConsumerRecord<String, byte[]>> errors = readAll(topics + ".errors");
                assertThat(errors).hasSize(3);
                assertThat(new String(errors.get(0).value(), StandardCharsets.UTF_8)).contains("not JSON");
                assertThat(new String(errors.get(1).value(), StandardCharsets.UTF_8)).contains("--max-pages");
                assertThat(new String(errors.get(2).value(), StandardCharsets.UTF_8)).contains("--insecure");
                assertThat(worker.isAlive()).isTrue();
            } finally {
                worker.destroy();
                worker.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitCodeSeven() {
        for (String[] args : List.of(new String[] {"submit", "--kafka", "127.0.0.1:1", "http://127.0.0.1:9/"},
                new String[] {"results", "--kafka", "127.0.0.1:1"},
                new String[] {"worker", "--kafka", "127.0.0.1:1"})) {
            Run r = Run.run(args);
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.CLUSTER_UNAVAILABLE);
            assertThat(r.err().lines().toList()).containsExactly(
                    "loomcrawl: cannot reach Kafka at 127.0.0.1:1: no broker answered within 10 s");
        }
        Run unresolvable = Run.run("results", "--kafka", "no-such-host.invalid:9092");
        assertThat(unresolvable.code()).as(unresolvable.err()).isEqualTo(ExitCode.CLUSTER_UNAVAILABLE);
        assertThat(unresolvable.err().lines().toList()).singleElement().asString()
                .startsWith("loomcrawl: cannot reach Kafka at no-such-host.invalid:9092: ");
        Run malformed = Run.run("results", "--kafka", "localhost");
        assertThat(malformed.code()).isEqualTo(ExitCode.USAGE);
        assertThat(malformed.err()).contains("--kafka must be HOST:PORT, comma-separated; was 'localhost'");
    }

    @Test
    void optionsGoWhereTheyBelong() {
        Run r = Run.run("submit", "--kafka", broker.bootstrap(), "--concurrency", "8", "http://127.0.0.1:9/");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--concurrency is a worker's option: give it to loomcrawl worker, not to submit");
        r = Run.run("worker", "--kafka", broker.bootstrap(), "--max-pages", "8");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--max-pages is a site's option: give it to loomcrawl submit, not to worker");
        r = Run.run("submit", "--kafka", broker.bootstrap(), "--include", "(", "http://127.0.0.1:9/");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("include must be a regular expression");
        r = Run.run("submit", "--kafka", broker.bootstrap(), "--check", "--fail-on", "nonsense", "http://127.0.0.1:9/");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("nonsense");
        r = Run.run("submit", "--kafka", broker.bootstrap(), "--no-external", "http://127.0.0.1:9/");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("--no-external, --resources and --fail-on go with --check");
    }

    @Test
    void missingTopicsAreCreatedWithTheDocumentedPartitions() throws Exception {
        Run r = Run.run("results", "--kafka", broker.bootstrap(), "--topics", "fresh");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("0 of 0 sites done");
        try (KafkaConsumer<String, byte[]> c = Cluster.reader(broker.bootstrap())) {
            assertThat(c.partitionsFor("fresh.sites")).hasSize(Cluster.DEFAULT_PARTITIONS);
            assertThat(c.partitionsFor("fresh.results")).hasSize(Cluster.DEFAULT_PARTITIONS);
            assertThat(c.partitionsFor("fresh.errors")).hasSize(1);
        }
    }

    private static Process worker(String topics, Path err, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "worker", "--kafka",
                broker.bootstrap(), "--topics", topics, "--concurrency", Integer.toString(WORKER_CONCURRENCY), "--per-host",
                Integer.toString(PER_SITE)));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Runs a command in this JVM, interrupting it (as Ctrl-C would) after {@code limit}. */
    private static Run runWithin(Duration limit, String... args) throws Exception {
        Run[] result = new Run[1];
        Thread t = Thread.ofPlatform().start(() -> result[0] = Run.run(args));
        t.join(limit.toMillis());
        if (t.isAlive()) {
            t.interrupt();
            t.join();
            throw new AssertionError("still running after " + limit + ": " + String.join(" ", args));
        }
        return result[0];
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long totalRequests(List<SiteServer> servers) {
        return servers.stream().mapToLong(SiteServer::totalRequests).sum();
    }

    private static String withoutFetchTimes(String jsonl) {
        return jsonl.replaceAll("\"fetch_ms\":\\d+", "");
    }

    /** Every committed record of a topic, partition by partition. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = Cluster.reader(broker.bootstrap())) {
            Cluster.readToEnd(c, Cluster.partitions(c, topic), out::add);
        }
        return out;
    }
}
