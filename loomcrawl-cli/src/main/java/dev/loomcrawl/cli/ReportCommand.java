package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StoreException;
import dev.loomcrawl.output.OutputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code loomcrawl report DIR}: writes the outputs of a stored crawl or check again, from its state directory,
 * without a request. A crawl's outputs are the same bytes its run wrote (text, jsonl); a check's are its reports.
 */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Write the results of the crawl or check kept in a state directory again, in any format, "
                + "without crawling. An unfinished one reports the pages it has placed so far.")
final class ReportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The state directory (see crawl --state).")
    Path dir;

    @CommandLine.Mixin
    ReportOptions reports;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        PrintWriter err = cli.getErr();
        if (Files.isRegularFile(dir.resolve(SitesState.MANIFEST))) {
            return sites(cli, err);
        }
        if (!Files.isRegularFile(dir.resolve(CrawlStore.FILE))) {
            err.println("loomcrawl: " + dir + " holds no loomcrawl crawl (no " + CrawlStore.FILE + ")");
            return ExitCode.STATE_ERROR;
        }
        CrawlStore store;
        try {
            store = CrawlStore.open(dir);
        } catch (StoreException e) {
            err.println("loomcrawl: " + e.getMessage());
            return ExitCode.STATE_ERROR;
        }
        try (store) {
            CrawlStore.Stored stored = store.stored().orElse(null);
            if (stored == null) {
                err.println("loomcrawl: " + dir + " holds no crawl yet");
                return ExitCode.STATE_ERROR;
            }
            store.checkIntact();
            if (stored.state() != CrawlStore.State.FINISHED) {
                err.println("loomcrawl: the " + stored.kind() + " in " + dir + " is unfinished (" + stored.state().name()
                        .toLowerCase(java.util.Locale.ROOT) + "); this reports what it has so far");
            }
            return stored.kind().equals("check") ? checkReports(cli, store, err) : crawlOutputs(cli, store, err);
        } catch (StoreException e) {
            err.println("loomcrawl: " + e.getMessage());
            return ExitCode.STATE_ERROR;
        } catch (UncheckedIOException e) {
            err.println("loomcrawl: " + CrawlOptions.writeFailure(e));
            return ExitCode.OUTPUT_ERROR;
        }
    }

    /** The state of a run over many sites: every site's outputs, in list order. */
    private int sites(CommandLine cli, PrintWriter err) {
        try {
            SitesReport run = new SitesReport(dir);
            if (!run.finished()) {
                err.println("loomcrawl: the " + run.kind() + " of many sites in " + dir
                        + " is unfinished; this reports what it has so far");
            }
            if (run.kind().equals("check")) {
                List<CheckReport> sites = run.checks();
                return write(cli, err, sites, run.combined(sites));
            }
            return crawlOutputs(cli, run::pages, err);
        } catch (StoreException e) {
            err.println("loomcrawl: " + e.getMessage());
            return ExitCode.STATE_ERROR;
        } catch (UncheckedIOException e) {
            err.println("loomcrawl: " + (e.getCause() instanceof java.nio.file.NoSuchFileException
                    || e.getMessage().contains("manifest") ? e.getMessage() : CrawlOptions.writeFailure(e)));
            return e.getMessage().contains("manifest") ? ExitCode.STATE_ERROR : ExitCode.OUTPUT_ERROR;
        }
    }

    private int crawlOutputs(CommandLine cli, CrawlStore store, PrintWriter err) {
        return crawlOutputs(cli, (format, out) -> store.pages(format.sink(out)), err);
    }

    private int crawlOutputs(CommandLine cli, java.util.function.BiConsumer<OutputFormat, Writer> pages, PrintWriter err) {
        List<OutputFormat> chosen = new ArrayList<>();
        try {
            for (String f : reports.formats.isEmpty() ? List.of("text") : reports.formats) {
                chosen.add(OutputFormat.named(f));
            }
            ReportOutputs.pair(chosen.size(), reports.outputs.size());
            if (!reports.failOn.isEmpty()) {
                throw new IllegalArgumentException("--fail-on is for a check; " + dir + " holds a crawl");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        for (int i = 0; i < chosen.size(); i++) {
            Path file = i < reports.outputs.size() ? reports.outputs.get(i) : null;
            try {
                Writer w = CrawlOptions.output(cli, file);
                pages.accept(chosen.get(i), w);
                if (file == null) {
                    w.flush();
                } else {
                    w.close();
                }
            } catch (IOException | UncheckedIOException e) {
                String why = e instanceof UncheckedIOException u ? CrawlOptions.writeFailure(u) : e.getMessage();
                err.println("loomcrawl: " + (why.startsWith("cannot ") ? why
                        : "cannot write output" + (file == null ? "" : " file '" + file + "'") + ": " + why));
                return ExitCode.OUTPUT_ERROR;
            }
        }
        return ExitCode.OK;
    }

    private int checkReports(CommandLine cli, CrawlStore store, PrintWriter err) {
        List<PageResult> pages = new ArrayList<>();
        store.pages(pages::add);
        CheckReport report = new CheckReport(store.summary(), pages, store.checks(), store.externalChecked());
        return write(cli, err, null, report);
    }

    /** Writes the reports of one site ({@code sites} null), or of many sites and {@code report}, all in one. */
    private int write(CommandLine cli, PrintWriter err, List<CheckReport> sites, CheckReport report) {
        ReportOutputs chosen;
        Set<Verdict> failing;
        try {
            chosen = reports.checkReports();
            failing = reports.failing();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        List<Writer> writers = chosen.open(cli, err);
        if (writers == null || !(sites == null ? chosen.write(report, failing, writers, err)
                : chosen.write(sites, report, failing, writers, err))) {
            return ExitCode.OUTPUT_ERROR;
        }
        return ExitCode.OK;
    }
}
