package dev.loomcrawl.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loomcrawl submit --kafka HOST:PORT URL ... | --sites FILE [site options]}: publishes sites to a cluster's
 * sites topic, keyed by host, each with the site's options, for workers to crawl. Prints the submission's id.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Publish sites to a Kafka cluster for loomcrawl workers to crawl. A site's options (limits, "
                + "scope, --content, headers for its host) travel with it: --max-pages, --max-depth, --max-time, "
                + "--include, --exclude, --path-prefix, --subdomains, --ignore-robots, --respect-nofollow, "
                + "--sitemaps, --max-url-length, --max-per-pattern, -H, --cookie, -u, --content. How to fetch "
                + "(concurrency, timeouts, user agent) is each worker's.")
final class SubmitCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "Start URLs (http or https).")
    List<String> urls = new ArrayList<>();

    @CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--check", description = "Check each site's links (as loomcrawl check does) instead of listing "
            + "its pages; with --no-external, --resources and --fail-on.")
    boolean check;

    @Option(names = "--no-external", description = "With --check: do not check links to other hosts.")
    boolean noExternal;

    @Option(names = "--resources", description = "With --check: also check img, script, stylesheet, source, video "
            + "and audio URLs.")
    boolean resources;

    @Option(names = "--fail-on", paramLabel = "VERDICTS", split = ",", description = "With --check: verdicts that "
            + "fail a site besides broken, broken-anchor and invalid (as check's --fail-on).")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--content", paramLabel = "FORMAT", description = "Extract each HTML page's main content as "
            + "markdown or text, into each page's jsonl record.")
    String content;

    @CommandLine.Mixin
    CrawlOptions options;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        Cluster.Topics names;
        List<String> words = ClusterOptions.words(cli, ClusterOptions.SITE, Set.of("--sites", "--check"), "submit");
        try {
            names = kafka.names();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        if (!check && (noExternal || resources || !failOn.isEmpty())) {
            throw new CommandLine.ParameterException(cli, "--no-external, --resources and --fail-on go with --check");
        }
        List<SiteList.Site> sites = SiteList.of(urls, options.sites, System.in);
        String submission = Long.toString(System.currentTimeMillis(), 36) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        long now = System.currentTimeMillis();
        List<SiteRecord> records = new ArrayList<>();
        for (SiteList.Site site : sites) {
            if (site.problem() != null) {
                err.println("loomcrawl: " + site.given() + " (" + site.where() + "): " + site.problem() + "; not submitted");
                continue;
            }
            checkOptions(cli, words, site.start());
            records.add(new SiteRecord(submission + "-" + site.index(), submission, now, site.index(), site.start(),
                    check ? "check" : "crawl", words));
        }
        if (records.isEmpty()) {
            throw new Refused("no site to submit", ExitCode.USAGE);
        }
        kafka.ensureTopics(names);
        Properties p = Cluster.common(kafka.bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Cluster.TIMEOUT.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Cluster.TIMEOUT.toMillis() * 3);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Cluster.TIMEOUT.toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (SiteRecord r : records) {
                sent.add(producer.send(new ProducerRecord<>(names.sites(), r.key(), r.toJson())));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(Cluster.TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw Cluster.unavailable(kafka.bootstrap, e);
        }
        cli.getOut().println(submission);
        err.println(String.format(Locale.ROOT, "loomcrawl: submitted %,d site%s to %s as %s", records.size(),
                records.size() == 1 ? "" : "s", names.sites(), submission));
        return ExitCode.OK;
    }

    /** Parses a site's options as a worker will, with {@code crawl}'s or {@code check}'s parser: a bad one is a usage error now. */
    private void checkOptions(CommandLine cli, List<String> words, String start) {
        List<String> args = new ArrayList<>(words);
        args.add(start);
        try {
            ClusterOptions.plan(check ? "check" : "crawl", args).crawler().build();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, CrawlOptions.inOptionWords(e.getMessage()));
        }
    }
}
