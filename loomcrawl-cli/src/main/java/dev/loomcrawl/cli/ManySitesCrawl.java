package dev.loomcrawl.cli;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.output.OutputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code loomcrawl crawl URL URL ...} and {@code crawl --sites FILE}: every site crawled on its own, the output one
 * stream in list order (each record with its {@code site}) and, with {@code --output-dir}, one file per site.
 */
final class ManySitesCrawl {

    private final CommandLine cli;
    private final CrawlOptions options;
    private final List<String> urls;
    private final String format;
    private final Path output;
    private final Path outputDir;
    private final boolean quiet;

    ManySitesCrawl(CommandLine cli, CrawlOptions options, List<String> urls, String format, Path output, Path outputDir,
                   boolean quiet) {
        this.cli = cli;
        this.options = options;
        this.urls = urls;
        this.format = format;
        this.output = output;
        this.outputDir = outputDir;
        this.quiet = quiet;
    }

    int call() {
        PrintWriter err = cli.getErr();
        OutputFormat chosen;
        try {
            options.progressBar(quiet);
            chosen = OutputFormat.named(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        if (outputDir != null) {
            try {
                Files.createDirectories(outputDir);
            } catch (IOException e) {
                throw new Refused("cannot write to the output directory " + outputDir + ": " + e.getMessage(),
                        ExitCode.OUTPUT_ERROR);
            }
            if (!Files.isWritable(outputDir)) {
                throw new Refused("cannot write to the output directory " + outputDir + ": permission denied",
                        ExitCode.OUTPUT_ERROR);
            }
        }
        ManySites.Start start = ManySites.open(cli, options, urls, Collections.singletonList(output), "crawl",
                CrawlCommand::new, quiet);
        SitesState state = start.state();
        try {
            return crawl(start.sites(), state, chosen, err);
        } finally {
            if (state != null) {
                state.close();
            }
        }
    }

    private int crawl(List<SiteList.Site> sites, SitesState state, OutputFormat chosen, PrintWriter err) {
        options.warn(err);
        Writer stream = null;
        if (output != null || outputDir == null) {
            try {
                stream = CrawlOptions.output(cli, output);
            } catch (IOException e) {
                err.println("loomcrawl: cannot write output file '" + output + "': " + e.getMessage());
                return ExitCode.OUTPUT_ERROR;
            }
        }
        Path spool;
        try {
            spool = state != null ? Files.createDirectories(state.dir().resolve("spool"))
                    : Files.createTempDirectory("loomcrawl-sites-");
            clear(spool, Spool.FILES);
        } catch (IOException e) {
            err.println("loomcrawl: cannot make a spool directory: " + e.getMessage());
            return ExitCode.STATE_ERROR;
        }
        SiteFiles files = SiteFiles.of(sites);
        String ext = chosen == OutputFormat.TEXT ? "txt" : "jsonl";
        OrderedOutput ordered = new OrderedOutput(stream, spool, outputDir, files, ext, sites.size());
        try (CtrlC ctrlC = CtrlC.install();
             Progress progress = new Progress(err, options.progressBar(quiet), Long.MAX_VALUE)) {
            ManySites run = new ManySites(cli, options, sites, state, files, progress);
            long began = run.now();
            ManySites.Outcome[] outcomes = run.run((site, crawler, store, finished) -> {
                PageResult[] startPage = new PageResult[1];
                CrawlSummary summary;
                try (Writer w = Files.newBufferedWriter(ordered.file(site.index()), StandardCharsets.UTF_8)) {
                    PageSink records = chosen.sink(w, site.start());
                    PageSink sink = progress.counting(page -> {
                        if (page.depth() == 0 && startPage[0] == null) {
                            startPage[0] = page;
                        }
                        records.accept(page);
                    });
                    if (finished) {
                        store.pages(sink);
                        summary = store.summary();
                    } else {
                        summary = crawler.build().crawl(site.start(), sink, store);
                    }
                }
                return ManySites.outcome(site, summary, startPage[0]);
            }, o -> ordered.finished(o.site().index(), ManySites.whole(o) ? OrderedOutput.Ended.WHOLE
                    : OrderedOutput.Ended.CUT_SHORT));
            boolean interrupted = Thread.interrupted(); // writing what was crawled must not see Ctrl-C's interrupt
            CrawlSummary totals = run.totals(outcomes, run.elapsedSince(began), interrupted);
            progress.close();
            String failure = ordered.close();
            failure = closeStream(stream, failure);
            if (state != null) {
                try {
                    state.write(ManySites.finished(outcomes, interrupted));
                } catch (UncheckedIOException e) {
                    failure = failure != null ? failure : e.getMessage();
                }
            }
            if (failure != null) {
                err.println("loomcrawl: " + (failure.startsWith("cannot ") ? failure : "cannot write output"
                        + (output == null ? "" : " file '" + output + "'") + ": " + failure));
                return ExitCode.OUTPUT_ERROR;
            }
            if (quiet) {
                ManySites.failures(err, outcomes);
            } else {
                ManySites.summary(err, outcomes, totals);
            }
            if (interrupted) {
                err.println(CrawlOptions.interrupted(state != null));
                err.flush();
                return ExitCode.INTERRUPTED;
            }
            err.flush(); // before Ctrl-C's hook, waiting for this command, lets the JVM exit
            return run.exitCode(outcomes, ExitCode.OK);
        } finally {
            if (state == null) {
                try {
                    clear(spool, Spool.ALL);
                } catch (IOException e) {
                    err.println("loomcrawl: cannot delete the spool directory " + spool + ": " + e.getMessage());
                }
            }
        }
    }

    /** Flushes stdout, or closes the output file; the first failure of the output, or {@code null}. */
    private String closeStream(Writer stream, String failure) {
        if (stream == null) {
            return failure;
        }
        try {
            if (output == null) {
                stream.flush();
            } else {
                stream.close();
            }
        } catch (IOException e) {
            failure = failure != null ? failure : e.getMessage();
        }
        if (output == null && cli.getOut().checkError() && failure == null) {
            failure = "stdout is closed";
        }
        return failure;
    }

    /** What of a spool directory is deleted. */
    private enum Spool { FILES, ALL }

    /** Deletes the spool files in {@code dir}, and with {@link Spool#ALL} {@code dir} itself. */
    private static void clear(Path dir, Spool what) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                if (what == Spool.ALL || !p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
