package dev.loomcrawl.cli;

import dev.loomcrawl.RequestLimit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code loomcrawl worker --kafka HOST:PORT [options]}: joins a cluster's workers and crawls the sites of the
 * partitions the group gives it ({@link ClusterWorker}) until Ctrl-C or SIGTERM, then hands them back and exits 0.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Join a Kafka cluster's loomcrawl workers and crawl the sites of the partitions the group gives "
                + "this one, until Ctrl-C or SIGTERM hands them back. How to fetch is the worker's: --concurrency "
                + "(over all its sites), --per-host (per site), timeouts, --retries, --delay, --rate, -A, --proxy, "
                + "--ca-cert, -k, --exclude-private, --max-body; --state DIR holds its sites' stores while they run. "
                + "What to crawl comes with each site (loomcrawl submit).")
final class WorkerCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @Option(names = "--sites-at-once", paramLabel = "N", description = "Sites crawled at once, 1..1024 (default: "
            + ManySites.SITES_PER_SLOT + " for each --per-host worth of --concurrency).")
    Integer sitesAtOnce;

    @Option(names = {"-q", "--quiet"}, description = "Tell nothing on stderr but failures.")
    boolean quiet;

    @CommandLine.Mixin
    CrawlOptions options;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        List<String> words = ClusterOptions.words(cli, ClusterOptions.WORKER,
                Set.of("--sites-at-once", "--state", "--quiet"), "worker");
        Cluster.Topics names;
        int perSite;
        int atOnce;
        try {
            names = kafka.names();
            options.builder(cli).build();
            perSite = Math.min(options.perHost != null ? options.perHost : ManySites.DEFAULT_PER_SITE,
                    options.concurrency);
            atOnce = sitesAtOnce != null ? sitesAtOnce
                    : Math.max(1, options.concurrency / perSite) * ManySites.SITES_PER_SLOT;
            if (atOnce < 1 || atOnce > ManySites.MOST_AT_ONCE) {
                throw new IllegalArgumentException("--sites-at-once must be 1..1024; was " + atOnce);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, CrawlOptions.inOptionWords(e.getMessage()));
        }
        Path workDir;
        try {
            workDir = options.state != null ? Files.createDirectories(options.state)
                    : Files.createTempDirectory("loomcrawl-worker-");
        } catch (IOException e) {
            throw new Refused("cannot make the worker's state directory: " + e.getMessage(), ExitCode.STATE_ERROR);
        }
        kafka.ensureTopics(names);
        options.warn(err);
        RequestLimit limit = RequestLimit.of(options.concurrency);
        int share = perSite;
        ClusterWorker.Sites sites = (site, slots) -> {
            ClusterOptions.checkSiteWords(site.args()); // a record may set a site's options only
            List<String> args = new ArrayList<>(words);
            args.addAll(site.args());
            args.add(site.url());
            ClusterWorker.Plan plan = ClusterOptions.plan(site.command(), args);
            plan.crawler().concurrency(share).perHost(share).requestLimit(slots);
            return plan;
        };
        try (CtrlC ctrlC = CtrlC.install()) {
            ClusterWorker worker;
            try {
                worker = new ClusterWorker(kafka.bootstrap, names, sites, limit, atOnce, workDir, err, quiet);
            } catch (org.apache.kafka.common.KafkaException e) {
                throw Cluster.unavailable(kafka.bootstrap, e);
            }
            if (!quiet) {
                err.println("loomcrawl: worker " + worker.name() + " joined " + names.group() + " at " + kafka.bootstrap
                        + String.format(Locale.ROOT, " (concurrency %d, %d per site, %d sites at once)",
                        options.concurrency, perSite, atOnce));
            }
            try {
                worker.run();
            } finally {
                worker.close();
                if (options.state == null) {
                    ClusterWorker.delete(workDir);
                }
            }
            if (!quiet) {
                err.println(String.format(Locale.ROOT, "loomcrawl: worker %s stopped: %,d sites done, the rest handed back%s",
                        worker.name(), worker.sitesDone(), worker.journalTooLarge() == 0 ? "" : String.format(Locale.ROOT,
                                "; %,d pages too large for the journal", worker.journalTooLarge())));
            }
            err.flush();
        }
        return ExitCode.OK;
    }
}
