package dev.loomcrawl.cli;

import dev.loomcrawl.Crawler;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.testkit.SiteGenerator;
import dev.loomcrawl.testkit.SiteServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code loomcrawl demo}: generates a seeded site, serves it on an ephemeral loopback port, crawls it and says
 * whether the result is exactly the ground truth (same URLs, same breadth-first order, depths and parents).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Generate a site, serve it on 127.0.0.1, crawl it, and check the result against its ground truth.")
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--pages", paramLabel = "N", description = "Pages in the generated site (default: ${DEFAULT-VALUE}).")
    int pages = 2000;

    @Option(names = "--latency", paramLabel = "MS", description = "Server delay per request in milliseconds (default: ${DEFAULT-VALUE}).")
    int latencyMs = 20;

    @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency = Crawler.DEFAULT_CONCURRENCY;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the generated site (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() throws IOException {
        CommandLine cli = spec.commandLine();
        if (pages < 1 || pages > 1_000_000) {
            throw new CommandLine.ParameterException(cli, "--pages must be 1..1000000, was " + pages);
        }
        if (latencyMs < 0 || latencyMs > 60_000) {
            throw new CommandLine.ParameterException(cli, "--latency must be 0..60000 ms, was " + latencyMs);
        }
        Crawler crawler;
        try {
            crawler = Crawler.builder().concurrency(concurrency).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        PrintWriter out = cli.getOut();
        try (SiteServer server = SiteServer.start()) {
            SiteGenerator.Site site = SiteGenerator.generate(SiteGenerator.Settings.of(pages, seed), server.baseUrl());
            server.serve(site.resources()).latency(Duration.ofMillis(latencyMs));
            out.printf(Locale.ROOT, "Serving a generated site of %,d pages (seed %d) at %s with %d ms latency.%n",
                    pages, seed, server.baseUrl(), latencyMs);
            out.printf(Locale.ROOT, "Crawling with concurrency %d...%n", concurrency);
            out.flush();
            List<PageResult> results = new ArrayList<>();
            CrawlSummary summary = crawler.crawl(site.startUrl(), results::add);
            out.println(Progress.summaryLine(summary));
            long ideal = Math.max((long) (site.bfsDepth() + 1) * latencyMs,
                    (long) site.expected().size() * latencyMs / concurrency);
            out.printf(Locale.ROOT, "Peak requests in flight: %d (server saw %d). Lower bound for this site: %.2f s.%n",
                    summary.peakInFlight(), server.peakInFlight(), ideal / 1000.0);
            String verdict = compare(site, results);
            long html = results.stream().filter(r -> r.status() == 200 && r.isHtml()).count();
            long missing = results.stream().filter(r -> r.status() == 404).count();
            long queries = results.stream().filter(r -> r.status() == 200 && r.isHtml() && r.url().contains("?")).count();
            out.println(verdict == null
                    ? String.format(Locale.ROOT, "Ground truth: MATCH (%,d URLs, depth %d, same breadth-first order, "
                            + "each requested once: %s).", site.expected().size(), site.bfsDepth(), eachOnce(server))
                    : "Ground truth: MISMATCH: " + verdict);
            out.printf(Locale.ROOT, "The %,d URLs are %,d pages (%,d of them a page again under a query string), %,d "
                    + "files they link to (PDFs, images) and %,d missing pages they link to (404).%n",
                    results.size(), html, queries, results.size() - html - missing, missing);
            return verdict == null && eachOnce(server) ? ExitCode.OK : ExitCode.FAILURE;
        }
    }

    private static boolean eachOnce(SiteServer server) {
        return server.requestCounts().values().stream().allMatch(n -> n == 1);
    }

    /** Null when the results are the expected ones in the expected order, else what differs first. */
    private static String compare(SiteGenerator.Site site, List<PageResult> results) {
        List<SiteGenerator.ExpectedPage> expected = site.expected();
        for (int i = 0; i < Math.min(expected.size(), results.size()); i++) {
            SiteGenerator.ExpectedPage e = expected.get(i);
            PageResult r = results.get(i);
            if (!e.url().equals(r.url()) || e.depth() != r.depth() || !java.util.Objects.equals(e.parent(), r.parent())) {
                return "line " + (i + 1) + ": expected " + e + ", got " + r.url() + " depth " + r.depth();
            }
        }
        if (expected.size() != results.size()) {
            return "expected " + expected.size() + " URLs, got " + results.size();
        }
        return null;
    }
}
