package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * What {@code crawl} and {@code check} share around their run: before it, the start URL normalized, every option
 * checked (a usage error, exit 2, before anything is written), every output file checked (exit 4, before anything
 * is written) and the state directory opened; after it, the exit code of how the start went.
 *
 * @param start the normalized start URL
 * @param store the run's state, or {@code null} with {@code --no-state}
 * @param choices what the command's own options chose (its output formats, say)
 * @param <T> the type of {@code choices}
 */
record CommandStart<T>(String start, CrawlStore store, T choices) {

    /**
     * Checks the options and opens the state directory (a new run, or a resumed one).
     *
     * @param ownChecks reads the command's own options; an {@link IllegalArgumentException} is a usage error
     * @param outputs the output files the command's options name ({@code null} for stdout)
     * @param kind {@code crawl} or {@code check}, as the state directory records it
     * @param fresh a new instance of the command, to read a resumed run's stored options with
     * @throws CommandLine.ParameterException when the URL or an option is not valid
     * @throws Refused when an output file cannot be written, or the state directory refuses the run
     */
    static <T> CommandStart<T> open(CommandLine cli, String url, CrawlOptions options, Supplier<T> ownChecks,
                                    Function<T, List<Path>> outputs, String kind, Supplier<Object> fresh,
                                    boolean quiet) {
        String start = CrawlOptions.start(cli, url);
        Path stateDir;
        T choices;
        try {
            choices = ownChecks.get();
            options.builder(cli).build(); // settings out of range fail here, as a usage error
            stateDir = options.stateDirectory(start);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, CrawlOptions.inOptionWords(e.getMessage()));
        }
        OutputFiles.checkWritable(outputs.apply(choices), options.warc);
        CrawlStore store = stateDir == null ? null
                : StateDirectory.open(cli, fresh, stateDir, options.fresh, kind, start, cli.getErr(), quiet);
        return new CommandStart<>(start, store, choices);
    }

    /**
     * The exit code of how the run went at its start: interrupted, the start excluded (by robots.txt, or by a
     * limit on URLs such as their length) or unreachable, each said on {@code err} in one line; or
     * {@link ExitCode#OK} when it was crawled.
     *
     * @param startPage the start URL's page, or {@code null} when it was not requested
     * @param verb what {@code --ignore-robots} would do: {@code crawls} or {@code checks}
     */
    int exitCode(CrawlSummary summary, PageResult startPage, String verb, PrintWriter err) {
        if (summary.stopReason() == StopReason.CANCELLED) {
            err.println(CrawlOptions.interrupted(store != null));
            return ExitCode.INTERRUPTED;
        }
        if (startPage == null && summary.excluded().containsKey("robots")) {
            err.println("loomcrawl: start URL excluded by robots.txt: " + start + " (" + summary.robotsOutcome()
                    + "; --ignore-robots " + verb + " anyway)");
            return ExitCode.START_UNREACHABLE;
        }
        if (startPage == null && summary.pages() == 0 && summary.stopReason() == StopReason.COMPLETED) {
            err.println("loomcrawl: start URL not requested: " + start + " ("
                    + String.join(", ", summary.excluded().keySet()) + ")");
            return ExitCode.START_UNREACHABLE;
        }
        if (startPage != null && !startPage.hasResponse()) {
            err.println(CrawlOptions.unreachable(start, startPage.error()));
            return ExitCode.START_UNREACHABLE;
        }
        return ExitCode.OK;
    }
}
