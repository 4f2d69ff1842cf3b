package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlSummary;
import dev.loomcrawl.Crawler;
import dev.loomcrawl.PageResult;
import dev.loomcrawl.PageSink;
import dev.loomcrawl.engine.CrawlFailedException;
import dev.loomcrawl.engine.Limits;
import dev.loomcrawl.engine.StopReason;
import dev.loomcrawl.output.OutputFormat;
import dev.loomcrawl.url.UrlNormalizer;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomcrawl crawl URL}: crawls a site and writes one line per requested URL. */
@Command(name = "crawl", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Crawl every page reachable from URL on its host and list what was requested, in "
                + "breadth-first order (the same at any concurrency).")
final class CrawlCommand implements Callable<Integer> {

    private static volatile boolean stoppedBySignal;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The start URL (http or https).")
    String url;

    @Option(names = "--concurrency", paramLabel = "N", description = "Requests in flight at once, 1..4096 (default: ${DEFAULT-VALUE}).")
    int concurrency = Limits.DEFAULT_CONCURRENCY;

    @Option(names = "--max-pages", paramLabel = "N", description = "Request at most N URLs (default: no limit).")
    Long maxPages;

    @Option(names = "--max-depth", paramLabel = "N", description = "Follow links at most N levels from the start (default: no limit).")
    Integer maxDepth;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Limit on one request, like 500ms, 5s, 2m (default: 30s).")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--max-time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the crawl after this long, cancelling what is in flight (default: no limit).")
    Duration maxTime;

    @Option(names = "--ignore-robots", description = "Do not fetch or obey robots.txt.")
    boolean ignoreRobots;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (one URL per line) or jsonl (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write results to FILE instead of stdout.")
    Path output;

    @Option(names = {"-q", "--quiet"}, description = "No progress line and no summary on stderr.")
    boolean quiet;

    static boolean stoppedBySignal() {
        return stoppedBySignal;
    }

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        String start = UrlNormalizer.normalize(url);
        if (start == null) {
            throw new CommandLine.ParameterException(cli, "invalid URL '" + url + "': it must be an absolute http or https URL");
        }
        OutputFormat outputFormat;
        Crawler crawler;
        try {
            outputFormat = OutputFormat.named(format);
            Crawler.Builder builder = Crawler.builder().concurrency(concurrency).requestTimeout(timeout)
                    .maxTime(maxTime).respectRobots(!ignoreRobots);
            if (maxPages != null) {
                builder.maxPages(maxPages);
            }
            if (maxDepth != null) {
                builder.maxDepth(maxDepth);
            }
            crawler = builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        PrintWriter err = cli.getErr();
        Writer out;
        try {
            out = new BufferedWriter(output == null ? cli.getOut()
                    : new OutputStreamWriter(new FileOutputStream(output.toFile()), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            err.println("loomcrawl: cannot write output file '" + output + "': " + e.getMessage());
            return ExitCode.OUTPUT_ERROR;
        }
        CountDownLatch written = new CountDownLatch(1);
        Thread crawling = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stoppedBySignal = true;
            crawling.interrupt();
            try {
                written.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return crawl(crawler, start, outputFormat.sink(out), out, err);
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us
            }
        }
    }

    private int crawl(Crawler crawler, String start, PageSink sink, Writer out, PrintWriter err) {
        CommandLine cli = spec.commandLine();
        PageResult[] startPage = new PageResult[1];
        CrawlSummary summary = null;
        String writeError = null;
        try (Progress progress = new Progress(err, !quiet && Progress.stderrIsTerminal())) {
            summary = crawler.crawl(start, progress.counting(page -> {
                if (page.depth() == 0 && startPage[0] == null) {
                    startPage[0] = page;
                }
                sink.accept(page);
            }));
        } catch (CrawlFailedException e) {
            if (!(e.getCause() instanceof UncheckedIOException io)) {
                throw e; // not the output's fault: an internal error (exit 1), after the output is closed below
            }
            writeError = io.getCause().getMessage();
        } finally {
            Thread.interrupted(); // closing the output must not see Ctrl-C's interrupt; the summary tells of it
            try {
                if (output == null) {
                    out.flush(); // stdout stays open
                } else {
                    out.close();
                }
            } catch (IOException e) {
                writeError = writeError == null ? e.getMessage() : writeError;
            }
            if (output == null && cli.getOut().checkError() && writeError == null) {
                writeError = "stdout is closed";
            }
        }
        if (writeError != null) {
            err.println("loomcrawl: cannot write output" + (output == null ? "" : " file '" + output + "'") + ": " + writeError);
            return ExitCode.OUTPUT_ERROR;
        }
        if (!quiet) {
            err.println(Progress.summaryLine(summary));
        }
        if (summary.stopReason() == StopReason.CANCELLED) {
            return ExitCode.INTERRUPTED;
        }
        if (startPage[0] != null && !startPage[0].hasResponse()) {
            err.println("loomcrawl: start URL unreachable: " + start + ": " + startPage[0].error());
            return ExitCode.START_UNREACHABLE;
        }
        return ExitCode.OK;
    }
}
