package dev.loomcrawl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loomcrawl results --kafka HOST:PORT [--format text|jsonl] [--site URL] [--wait]}: prints the output of each
 * finished site of a cluster, in submission order: for each site, what {@code crawl --sites} gives for it. Reads
 * committed records only, and never joins the workers' group.
 */
@Command(name = "results", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Print the output of each finished site of a Kafka cluster, in submission order: for each site, "
                + "what crawl --sites (or check --sites) gives for it. With --wait, wait until every site submitted so "
                + "far is done. Exits 5 when a checked site has failing links.")
final class ResultsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (one URL per line: a crawl's pages, a "
            + "check's failing links) or jsonl (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = "--site", paramLabel = "URL", description = "Only the sites of this start URL.")
    String site;

    @Option(names = "--submission", paramLabel = "ID", description = "Only the sites of this submission (the id "
            + "submit prints).")
    String submission;

    @Option(names = "--wait", description = "Wait until every site submitted before this command started is done.")
    boolean await;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "Tell nothing on stderr but failures.")
    boolean quiet;

    /**
     * The pieces of one attempt's output, appended to a file in their order ({@code seq}): one seen again is
     * skipped, and one that skips ahead leaves the output broken.
     */
    private static final class Pieces {
        final Path file;
        int next;
        boolean broken;

        Pieces(Path file) {
            this.file = file;
        }

        void add(String seq, byte[] value) throws IOException {
            int n = seq == null ? next : Integer.parseInt(seq);
            if (n < next) {
                return;
            }
            if (n > next) {
                broken = true;
                return;
            }
            Files.write(file, value, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            next++;
        }

        /** Whether the output is its {@code chunks} pieces, in order; makes its (empty) file when it has none. */
        boolean whole(int chunks) throws IOException {
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return !broken && next == chunks;
        }
    }

    /** A site's finished output: its done record and the file of its output. */
    private record Finished(SiteRecord site, ResultRecords.Done done, Path output) {}

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        Cluster.Topics names;
        boolean text;
        String only = null;
        try {
            names = kafka.names();
            text = dev.loomcrawl.output.OutputFormat.named(format) == dev.loomcrawl.output.OutputFormat.TEXT;
            if (site != null) {
                only = SiteList.of(List.of(site), null, null).getFirst().start();
                if (only == null) {
                    throw new IllegalArgumentException("--site must be an http or https URL; was '" + site + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        kafka.ensureTopics(names);
        Writer out;
        try {
            out = CrawlOptions.output(cli, output);
        } catch (IOException e) {
            throw new Refused("cannot write output file '" + output + "': " + e.getMessage(), ExitCode.OUTPUT_ERROR);
        }
        Path spool = Files.createTempDirectory("loomcrawl-results-");
        try (KafkaConsumer<String, byte[]> consumer = Cluster.reader(kafka.bootstrap)) {
            List<SiteRecord> sites = submitted(consumer, names, only);
            Map<String, Integer> order = new HashMap<>();
            for (int i = 0; i < sites.size(); i++) {
                order.put(sites.get(i).id(), i);
            }
            Finished[] finished = new Finished[sites.size()];
            List<TopicPartition> results = Cluster.partitions(consumer, names.results());
            consumer.assign(results);
            consumer.seekToBeginning(results);
            Map<TopicPartition, Long> end = consumer.endOffsets(results);
            Map<String, Pieces> pieces = new HashMap<>();
            int printed = 0;
            int problems = 0;
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Integer index = order.get(r.key());
                    if (index == null || finished[index] != null) {
                        continue;
                    }
                    String type = ResultRecords.header(r.headers(), "type");
                    String attempt = ResultRecords.header(r.headers(), "attempt");
                    Pieces piece = pieces.computeIfAbsent(r.key() + " " + attempt,
                            k -> new Pieces(spool.resolve(index + "-" + pieces.size() + ".jsonl")));
                    if (ResultRecords.OUTPUT.equals(type)) {
                        piece.add(ResultRecords.header(r.headers(), "seq"), r.value());
                    } else if (ResultRecords.DONE.equals(type)) {
                        ResultRecords.Done done;
                        try {
                            done = ResultRecords.Done.fromJson(r.value());
                        } catch (IllegalArgumentException e) {
                            continue;
                        }
                        if (piece.whole(done.chunks())) {
                            finished[index] = new Finished(sites.get(index), done, piece.file);
                        } else if (!quiet) { // not seen in any test: a fenced attempt's pieces mixed in
                            err.println("loomcrawl: " + done.url() + ": the output of attempt " + attempt
                                    + " is not whole; waiting for another");
                        }
                    }
                }
                while (printed < sites.size() && finished[printed] != null) {
                    problems += print(finished[printed], text, out, err) ? 0 : 1;
                    Files.deleteIfExists(finished[printed].output());
                    printed++;
                }
                out.flush();
                if (printed == sites.size()) {
                    break;
                }
                if (!await && Cluster.caughtUp(consumer, end)) {
                    for (int i = printed; i < sites.size(); i++) { // without --wait: the finished ones, in order
                        if (finished[i] != null) {
                            problems += print(finished[i], text, out, err) ? 0 : 1;
                        }
                    }
                    break;
                }
            }
            long done = java.util.Arrays.stream(finished).filter(java.util.Objects::nonNull).count();
            long failing = java.util.Arrays.stream(finished).filter(java.util.Objects::nonNull)
                    .mapToLong(f -> f.done().failing()).sum();
            if (output != null) {
                out.close();
            } else if (cli.getOut().checkError()) {
                throw new Refused("cannot write output: stdout is closed", ExitCode.OUTPUT_ERROR);
            }
            if (!quiet) {
                err.println(String.format(Locale.ROOT, "loomcrawl: %,d of %,d sites done%s%s", done, sites.size(),
                        done < sites.size() ? String.format(Locale.ROOT, ", %,d not yet", sites.size() - done) : "",
                        problems == 0 ? "" : String.format(Locale.ROOT, ", %,d not cleanly", problems))
                        + (failing == 0 ? "" : String.format(Locale.ROOT, "; %,d failing links", failing)));
            }
            return failing > 0 ? ExitCode.LINKS_FAILING : ExitCode.OK;
        } catch (KafkaException e) {
            throw Cluster.unavailable(kafka.bootstrap, e);
        } finally {
            ClusterWorker.delete(spool);
        }
    }

    /**
     * Writes a site's output: its jsonl, or as text a crawl's URLs and a check's failing links (their URL, or the
     * href when it is not one). Tells on stderr why a site did not finish cleanly, and returns whether it did.
     */
    private boolean print(Finished f, boolean text, Writer out, PrintWriter err) throws IOException {
        boolean check = f.site().command().equals("check");
        if (text) {
            try (BufferedReader in = Files.newBufferedReader(f.output(), StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode record = SiteRecord.JSON.readTree(line);
                    if (check && !record.path("failing").asBoolean()) {
                        continue;
                    }
                    JsonNode url = record.get("url");
                    out.write(url == null || url.isNull() ? record.path("href").asText() : url.asText());
                    out.write('\n');
                }
            }
        } else {
            try (Reader in = Files.newBufferedReader(f.output(), StandardCharsets.UTF_8)) {
                in.transferTo(out);
            }
        }
        ResultRecords.Done d = f.done();
        if (d.problem() != null) {
            err.println("loomcrawl:   " + d.url() + ": " + d.problem());
            return false;
        }
        return true;
    }

    /** Every readable site record of the sites topic, of the chosen site or submission, in submission order. */
    private List<SiteRecord> submitted(KafkaConsumer<String, byte[]> consumer, Cluster.Topics names, String only) {
        List<SiteRecord> sites = new ArrayList<>();
        Cluster.readToEnd(consumer, Cluster.partitions(consumer, names.sites()), r -> {
            try {
                SiteRecord s = SiteRecord.fromJson(r.value());
                if ((only == null || s.url().equals(only)) && (submission == null || s.submission().equals(submission))) {
                    sites.add(s);
                }
            } catch (IllegalArgumentException e) {
                // in the errors topic, as the worker that met it reported it
            }
        });
        sites.sort(SiteRecord.SUBMITTED);
        Set<String> ids = new HashSet<>();
        sites.removeIf(s -> !ids.add(s.id())); // a record published twice is one site
        return sites;
    }
}
