package dev.loomcrawl.cli;

import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.output.CheckFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The report options {@code check} and {@code report} share: each {@code --format} goes to the {@code --output} of
 * the same position, and {@code --fail-on} widens what counts as failing.
 */
final class ReportOptions {

    /** What fails a check unless --fail-on adds more. */
    static final Set<Verdict> ALWAYS_FAILING = EnumSet.of(Verdict.BROKEN, Verdict.BROKEN_ANCHOR, Verdict.INVALID);

    @Option(names = "--format", paramLabel = "FORMAT", description = "A link check's report: text, jsonl, csv, "
            + "markdown, junit, sarif, sitemap or html (a crawl's list, in report: text or jsonl); repeat it, each with "
            + "its --output, for several reports (default: text).")
    List<String> formats = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where the --format of the same position "
            + "goes (default: stdout).")
    List<Path> outputs = new ArrayList<>();

    @Option(names = "--fail-on", paramLabel = "VERDICTS", split = ",",
            description = "Verdicts that count as failing in the reports besides broken, broken-anchor and invalid: "
                    + "blocked, timeout, excluded, redirected.")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--show", paramLabel = "VERDICTS", split = ",",
            description = "Verdicts the text, markdown, html and sarif reports list besides the failing ones and "
                    + "redirected, blocked and timeout: excluded, ok (jsonl and csv always hold every link; junit only "
                    + "the failing ones).")
    List<String> show = new ArrayList<>();

    /**
     * A check's reports, as the options pair them.
     *
     * @throws IllegalArgumentException when a format or a verdict is unknown, or formats and outputs do not pair up
     */
    ReportOutputs checkReports() {
        Set<Verdict> shown = EnumSet.copyOf(CheckFormat.SHOWN);
        for (String v : show) {
            shown.add(Verdict.ofLabel(v));
        }
        return ReportOutputs.of(formats, outputs, shown);
    }

    /**
     * What fails: broken, broken-anchor and invalid, and the verdicts {@code --fail-on} names.
     *
     * @throws IllegalArgumentException naming a verdict that does not exist
     */
    Set<Verdict> failing() {
        Set<Verdict> failing = EnumSet.copyOf(ALWAYS_FAILING);
        for (String v : failOn) {
            failing.add(Verdict.ofLabel(v));
        }
        return failing;
    }
}
