package dev.loomcrawl.cli;

import dev.loomcrawl.LinkChecker;
import dev.loomcrawl.SharedChecks;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.LinkCheck;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.output.CheckFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;

/**
 * {@code loomcrawl check URL URL ...} and {@code check --sites FILE}: every site checked on its own, in one report
 * of all their links, site after site in list order. An external URL linked from several sites is asked once for
 * the whole run ({@link SharedChecks}).
 */
final class ManySitesCheck {

    private final CommandLine cli;
    private final CrawlOptions options;
    private final List<String> urls;
    private final CheckCommand.Reports chosen;
    private final boolean external;
    private final boolean resources;
    private final boolean quiet;

    ManySitesCheck(CommandLine cli, CrawlOptions options, List<String> urls, CheckCommand.Reports chosen,
                   boolean external, boolean resources, boolean quiet) {
        this.cli = cli;
        this.options = options;
        this.urls = urls;
        this.chosen = chosen;
        this.external = external;
        this.resources = resources;
        this.quiet = quiet;
    }

    int call() {
        ManySites.Start start = ManySites.open(cli, options, urls, chosen.outputs().files(), "check",
                CheckCommand::new, quiet);
        try {
            return check(start.sites(), start.state());
        } finally {
            if (start.state() != null) {
                start.state().close();
            }
        }
    }

    private int check(List<SiteList.Site> sites, SitesState state) {
        PrintWriter err = cli.getErr();
        options.warn(err);
        List<Writer> writers = chosen.outputs().open(cli, err);
        if (writers == null) {
            return ExitCode.OUTPUT_ERROR;
        }
        SharedChecks shared = new SharedChecks();
        CheckReport[] reports = new CheckReport[sites.size()];
        try (CtrlC ctrlC = CtrlC.install();
             Progress progress = new Progress(err, options.progressBar(quiet), Long.MAX_VALUE)) {
            ManySites run = new ManySites(cli, options, sites, state, SiteFiles.of(sites), progress);
            long began = run.now();
            ManySites.Outcome[] outcomes = run.run((site, crawler, store, finished) -> {
                CheckReport report;
                if (finished) {
                    List<PageResult> pages = new ArrayList<>();
                    store.pages(progress.counting(pages::add));
                    report = new CheckReport(store.summary(), pages, store.checks(), store.externalChecked());
                } else {
                    report = LinkChecker.builder().crawler(crawler.build()).externalLinks(external)
                            .resources(resources).sharedChecks(shared).build()
                            .check(site.start(), progress.counting(page -> { }), store);
                }
                reports[site.index()] = report;
                return ManySites.outcome(site, report.crawl(), report.pages().isEmpty() ? null
                        : report.pages().getFirst());
            }, o -> { });
            boolean interrupted = Thread.interrupted(); // writing the report must not see Ctrl-C's interrupt
            CrawlSummary totals = run.totals(outcomes, run.elapsedSince(began), interrupted);
            progress.close(); // the bar ends before the report is written
            List<CheckReport> each = Arrays.stream(reports).filter(Objects::nonNull).toList();
            CheckReport combined = combined(each, totals, shared.size());
            if (!chosen.outputs().write(each, combined, chosen.failing(), writers, err)) {
                return ExitCode.OUTPUT_ERROR;
            }
            if (state != null) {
                try {
                    state.write(ManySites.finished(outcomes, interrupted));
                } catch (UncheckedIOException e) {
                    err.println("loomcrawl: " + e.getMessage());
                    return ExitCode.OUTPUT_ERROR;
                }
            }
            if (quiet) {
                ManySites.failures(err, outcomes);
            } else {
                ManySites.summary(err, outcomes, totals);
                err.println("loomcrawl: " + CheckFormat.headline(combined, chosen.failing()));
            }
            if (interrupted) {
                err.println(CrawlOptions.interrupted(state != null));
                err.flush();
                return ExitCode.INTERRUPTED;
            }
            err.flush();
            return run.exitCode(outcomes, combined.failing(chosen.failing()).isEmpty() ? ExitCode.OK
                    : ExitCode.LINKS_FAILING);
        }
    }

    /** One report of every site's pages and links, in list order, with the run's totals. */
    static CheckReport combined(List<CheckReport> reports, CrawlSummary totals, int externalChecked) {
        List<PageResult> pages = new ArrayList<>();
        List<LinkCheck> links = new ArrayList<>();
        for (CheckReport r : reports) {
            pages.addAll(r.pages());
            links.addAll(r.links());
        }
        return new CheckReport(totals, pages, links, externalChecked);
    }
}
