package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.CrawlerBuilder;
import dev.loomcrawl.LinkChecker;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.output.CheckFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomcrawl check URL}: crawls a site, checks every link on it, and reports what is broken and where. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Crawl the site from URL and check every link on it (external ones too, without crawling "
                + "them). Exits 5 when links fail: broken, broken-anchor or invalid, and what --fail-on adds. Several "
                + "URLs, or --sites FILE, check each site on its own, in one report; an external link is asked once.")
final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "The start URL (http or https); several for many sites.")
    List<String> urls = new ArrayList<>();

    @CommandLine.Mixin
    CrawlOptions options;

    @Option(names = "--no-external", description = "Do not check links to other hosts.")
    boolean noExternal;

    @Option(names = "--resources", description = "Also check img, script, stylesheet, source, video and audio URLs.")
    boolean resources;

    @CommandLine.Mixin
    ReportOptions reports;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no summary on stderr.")
    boolean quiet;

    /** The reports the options chose, and what fails the check. */
    record Reports(ReportOutputs outputs, Set<Verdict> failing) {}

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        if (options.manySites(urls)) {
            Reports chosen;
            try {
                options.progressBar(quiet);
                chosen = new Reports(reports.checkReports(), reports.failing());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, e.getMessage());
            }
            return new ManySitesCheck(cli, options, urls, chosen, !noExternal, resources, quiet).call();
        }
        if (urls.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "give a start URL, several, or --sites FILE");
        }
        String url = urls.getFirst();
        CommandStart<Reports> run = CommandStart.open(cli, url, options,
                () -> {
                    options.progressBar(quiet); // a bad --progress is a usage error
                    return new Reports(reports.checkReports(), reports.failing());
                }, chosen -> chosen.outputs().files(), "check", CheckCommand::new, quiet);
        PrintWriter err = cli.getErr();
        CrawlStore store = run.store();
        try {
            return check(run, err);
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    private int check(CommandStart<Reports> run, PrintWriter err) {
        CommandLine cli = spec.commandLine();
        ReportOutputs chosen = run.choices().outputs();
        Set<Verdict> failing = run.choices().failing();
        String start = run.start();
        CrawlStore store = run.store();
        dev.loomcrawl.CrawlerBuilder crawl = options.builder(cli); // with the settings of a resumed check
        options.warn(err);
        List<Writer> writers = chosen.open(cli, err);
        if (writers == null) {
            return ExitCode.OUTPUT_ERROR;
        }
        CheckReport report;
        try (CtrlC ctrlC = CtrlC.install();
             Progress progress = new Progress(err, options.progressBar(quiet), options.pageBound())) {
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
            // still under Ctrl-C's hook, which waits for this before the JVM exits
            StringWriter failure = new StringWriter();
            int atStart = run.exitCode(report.crawl(), report.pages().isEmpty() ? null : report.pages().getFirst(),
                    "checks", new PrintWriter(failure, true));
            if (!quiet && atStart != ExitCode.START_UNREACHABLE) { // a start that failed is told in its one line
                err.println(Progress.summaryLine(report.crawl()));
                Progress.detailLines(report.crawl()).forEach(err::println);
                err.println("loomcrawl: " + CheckFormat.headline(report, failing));
            }
            err.print(failure);
            err.flush();
            if (atStart != ExitCode.OK) {
                return atStart;
            }
            return report.failing(failing).isEmpty() ? ExitCode.OK : ExitCode.LINKS_FAILING;
        }
    }
}
