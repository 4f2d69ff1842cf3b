package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.Crawler;
import dev.loomcrawl.CrawlerBuilder;
import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.output.OutputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loomcrawl crawl URL}: crawls a site and writes one line per requested URL. */
@Command(name = "crawl", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Crawl every page reachable from URL on its host and list what was requested, in "
                + "breadth-first order (the same at any concurrency). Several URLs, or --sites FILE, crawl each site "
                + "on its own, written in list order.")
final class CrawlCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "The start URL (http or https); several for many sites.")
    List<String> urls = new ArrayList<>();

    @CommandLine.Mixin
    CrawlOptions options;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (one URL per line) or jsonl (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write results to FILE instead of stdout.")
    Path output;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "With many sites: write each site to a file of "
            + "its own in DIR, HOST[_PORT].txt or .jsonl, as it finishes (stdout gets nothing unless -o is given too).")
    Path outputDir;

    @Option(names = {"-q", "--quiet"}, description = "No progress line and no summary on stderr.")
    boolean quiet;

    @Option(names = "--content", paramLabel = "FORMAT", description = "Extract each HTML page's main content as "
            + "markdown or text: with --format jsonl, each page's record gets title, description, lang, canonical, "
            + "author, published, site_name, the content, words and content_error.")
    String content;

    @Option(names = "--content-dir", paramLabel = "DIR", description = "Write each page's main content to DIR as "
            + "Markdown with YAML front matter, the path mirroring the URL (/docs/intro/ is DIR/docs/intro/index.md). "
            + "Implies --content markdown.")
    Path contentDir;

    @Option(names = "--llms-txt", paramLabel = "FILE", description = "Write the site as an llms.txt index to FILE, "
            + "and every page's Markdown to llms-full.txt beside it. Implies --content markdown.")
    Path llmsTxt;

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        try {
            ContentFormat chosen = content == null ? null : ContentFormat.named(content);
            if (contentDir != null || llmsTxt != null) {
                if (chosen == ContentFormat.TEXT) {
                    throw new IllegalArgumentException("--content-dir and --llms-txt write Markdown; leave out --content text");
                }
                content = ContentFormat.MARKDOWN.label(); // implied: kept with the crawl's settings as if given
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
        // read when the crawl is built: a resumed crawl's --content is taken from its store by then
        options.content = () -> content == null ? null : ContentFormat.named(content);
        if (options.manySites(urls)) {
            if (contentDir != null || llmsTxt != null) {
                throw new CommandLine.ParameterException(cli, "--content-dir and --llms-txt are for one site");
            }
            return new ManySitesCrawl(cli, options, urls, format, output, outputDir, quiet).call();
        }
        if (urls.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "give a start URL, several, or --sites FILE");
        }
        if (outputDir != null) {
            throw new CommandLine.ParameterException(cli, "--output-dir is for many sites (several URLs, or --sites FILE)");
        }
        String url = urls.getFirst();
        if (contentDir != null) {
            OutputFiles.checkDirectory(contentDir, "content directory");
        }
        Path llmsFull = llmsTxt == null ? null : LlmsTxt.fullBeside(llmsTxt);
        CommandStart<OutputFormat> run = CommandStart.open(cli, url, options, () -> {
            options.progressBar(quiet); // a bad --progress is a usage error
            return OutputFormat.named(format);
        }, chosen -> Arrays.asList(output, llmsTxt, llmsFull), "crawl", CrawlCommand::new, quiet);
        String start = run.start();
        CrawlStore store = run.store();
        PrintWriter err = cli.getErr();
        CrawlerBuilder crawler = options.builder(cli); // with the settings of a resumed crawl
        options.warn(err);
        Writer out;
        try {
            out = CrawlOptions.output(cli, output);
        } catch (IOException e) {
            err.println("loomcrawl: cannot write output file '" + output + "': " + e.getMessage());
            if (store != null) {
                store.close();
            }
            return ExitCode.OUTPUT_ERROR;
        }
        ContentFiles files = null;
        LlmsTxt llms = null;
        try {
            if (contentDir != null) {
                Files.createDirectories(contentDir);
                files = new ContentFiles(contentDir);
            }
            if (llmsTxt != null) {
                llms = new LlmsTxt(llmsTxt);
            }
        } catch (IOException e) {
            err.println("loomcrawl: cannot write content: " + e.getMessage());
            if (store != null) {
                store.close();
            }
            return ExitCode.OUTPUT_ERROR;
        }
        PageSink sink = run.choices().sink(out);
        for (PageSink more : new PageSink[] {files, llms}) {
            if (more != null) {
                PageSink before = sink;
                sink = page -> {
                    before.accept(page);
                    more.accept(page);
                };
            }
        }
        int code = ExitCode.FAILURE;
        try (CtrlC ctrlC = CtrlC.install()) {
            code = crawl(crawler, run, sink, out, err);
        } finally {
            if (llms != null) { // what was crawled is written, whatever ended the crawl
                try {
                    llms.close();
                } catch (IOException e) {
                    err.println("loomcrawl: cannot write " + llmsTxt + ": " + e.getMessage());
                    code = ExitCode.OUTPUT_ERROR;
                }
            }
        }
        return code;
    }

    /**
     * The crawl of one site of a cluster, as this command's parsed options describe it, {@code --content}
     * included ({@link ClusterOptions}).
     *
     * @throws IllegalArgumentException naming the option when a value is out of range
     */
    CrawlerBuilder siteBuilder(CommandLine cli) {
        ContentFormat chosen = content == null ? null : ContentFormat.named(content);
        options.content = () -> chosen;
        return options.builder(cli);
    }

    private int crawl(CrawlerBuilder crawler, CommandStart<OutputFormat> run, PageSink sink, Writer out, PrintWriter err) {
        CommandLine cli = spec.commandLine();
        String start = run.start();
        CrawlStore store = run.store();
        PageResult[] startPage = new PageResult[1];
        CrawlSummary summary = null;
        String writeError = null;
        try (Progress progress = new Progress(err, options.progressBar(quiet), options.pageBound())) {
            summary = crawler.inspector(progress.discovering()).build().crawl(start, progress.counting(page -> {
                if (page.depth() == 0 && startPage[0] == null) {
                    startPage[0] = page;
                }
                sink.accept(page);
            }), store);
        } catch (CrawlFailedException e) {
            if (!(e.getCause() instanceof UncheckedIOException io)) {
                throw e; // not the output's fault: an internal error (exit 1), after the output is closed below
            }
            writeError = CrawlOptions.writeFailure(io);
        } finally {
            if (store != null) {
                try {
                    store.close();
                } catch (UncheckedIOException io) {
                    writeError = writeError == null ? CrawlOptions.writeFailure(io) : writeError;
                }
            }
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
            err.println("loomcrawl: " + (writeError.startsWith("cannot ") ? ""
                    : "cannot write output" + (output == null ? "" : " file '" + output + "'") + ": ") + writeError);
            return ExitCode.OUTPUT_ERROR;
        }
        StringWriter failure = new StringWriter();
        int code = run.exitCode(summary, startPage[0], "crawls", new PrintWriter(failure, true));
        if (!quiet && code != ExitCode.START_UNREACHABLE) { // a start that failed is told in its one line, not as a crawl
            err.println(Progress.summaryLine(summary));
            Progress.detailLines(summary).forEach(err::println);
        }
        err.print(failure);
        err.flush(); // before Ctrl-C's hook, waiting for this command, lets the JVM exit
        return code;
    }
}
