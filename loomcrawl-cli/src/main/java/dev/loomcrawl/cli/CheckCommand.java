package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.LinkChecker;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.output.CheckFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code loomcrawl check URL}: crawls a site, checks every link on it, and reports what is broken and where. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Crawl the site from URL and check every link on it (external ones too, without crawling "
                + "them). Exits 5 when links fail: broken, broken-anchor or invalid, and what --fail-on adds.")
final class CheckCommand implements Callable<Integer> {

    /** What fails a check unless --fail-on adds more. */
    static final Set<Verdict> ALWAYS_FAILING = EnumSet.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR, Verdict.INVALID);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The start URL (http or https).")
    String url;

    @CommandLine.Mixin
    CrawlOptions options;

    @Option(names = "--no-external", description = "Do not check links to other hosts.")
    boolean noExternal;

    @Option(names = "--resources", description = "Also check img, script, stylesheet, source, video and audio URLs.")
    boolean resources;

    @Option(names = "--fail-on", paramLabel = "VERDICTS", split = ",",
            description = "Verdicts that fail the check besides broken, broken-anchor and invalid: blocked, timeout, "
                    + "excluded, redirected.")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, jsonl, csv, markdown, junit, sarif, sitemap or html; repeat "
            + "it, each with its --output, for several reports (default: text).")
    List<String> formats = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where the --format of the same position "
            + "goes (default: stdout).")
    List<Path> outputs = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        String start = CrawlOptions.start(cli, url);
        ReportOutputs chosen;
        Set<Verdict> failing;
        java.nio.file.Path stateDir;
        try {
            chosen = ReportOutputs.of(formats, outputs);
            failing = failing(failOn);
            options.builder(cli).build(); // settings out of range fail here, as a usage error
            stateDir = options.stateDirectory(start);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        PrintWriter err = cli.getErr();
        CrawlStore store = stateDir == null ? null
                : StateDirectory.open(cli, CheckCommand::new, stateDir, options.fresh, "check", start, err, quiet);
        try {
            return check(start, chosen, failing, err, store);
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    /** What fails the check: broken, broken-anchor and invalid, and the verdicts {@code --fail-on} names. */
    static Set<Verdict> failing(List<String> failOn) {
        Set<Verdict> failing = EnumSet.copyOf(ALWAYS_FAILING);
        for (String v : failOn) {
            failing.add(Verdict.ofLabel(v));
        }
        return failing;
    }

    private int check(String start, ReportOutputs chosen, Set<Verdict> failing, PrintWriter err, CrawlStore store) {
        CommandLine cli = spec.commandLine();
        dev.loomcrawl.Crawler.Builder crawl = options.builder(cli); // with the settings of a resumed check
        options.warn(err);
        List<Writer> writers = chosen.open(cli, err);
        if (writers == null) {
            return ExitCode.OUTPUT_ERROR;
        }
        CheckReport report;
        try (CtrlC ctrlC = CtrlC.install();
             Progress progress = new Progress(err, !quiet && Progress.stderrIsTerminal(), options.pageBound())) {
            try {
                LinkChecker checker = LinkChecker.builder().crawler(crawl.inspector(progress.discovering()).build())
                        .externalLinks(!noExternal).resources(resources).build();
                report = checker.check(start, progress.counting(page -> { }), store);
            } catch (dev.loomcrawl.crawl.CrawlFailedException e) {
                if (!(e.getCause() instanceof java.io.UncheckedIOException io)) {
                    throw e;
                }
                err.println("loomcrawl: " + io.getMessage()); // the WARC archive or the state could not be written
                return ExitCode.OUTPUT_ERROR;
            }
            Thread.interrupted(); // writing the report must not see Ctrl-C's interrupt; the exit code tells of it
            progress.close(); // the bar ends before the report is written
            if (!chosen.write(report, failing, writers, err)) {
                return ExitCode.OUTPUT_ERROR;
            }
        }
        if (!quiet) {
            err.println(Progress.summaryLine(report.crawl()));
            Progress.detailLines(report.crawl()).forEach(err::println);
            err.println("loomcrawl: " + CheckFormat.headline(report, failing));
        }
        if (report.crawl().stopReason() == StopReason.CANCELLED) {
            return ExitCode.INTERRUPTED;
        }
        dev.loomcrawl.crawl.PageResult first = report.pages().isEmpty() ? null : report.pages().getFirst();
        if (first == null || !first.hasResponse()) {
            err.println(first == null ? "loomcrawl: start URL excluded by robots.txt (" + report.crawl().robotsOutcome()
                    + "; --ignore-robots checks anyway)" : CrawlOptions.unreachable(start, first.error()));
            return ExitCode.START_UNREACHABLE;
        }
        return report.failing(failing).isEmpty() ? ExitCode.OK : ExitCode.LINKS_FAILING;
    }
}
