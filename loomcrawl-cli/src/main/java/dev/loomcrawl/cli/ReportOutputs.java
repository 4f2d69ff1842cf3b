package dev.loomcrawl.cli;

import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.check.Verdict;
import dev.loomcrawl.output.CheckFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * The reports of a link check: each {@code --format} goes to the {@code --output} of the same position, and at most
 * one, the last without an output, to stdout.
 *
 * @param formats the formats, in the order given
 * @param files their files; shorter than {@code formats} by one when the last goes to stdout
 * @param shown the verdicts the reports list besides the failing ones
 */
record ReportOutputs(List<CheckFormat> formats, List<Path> files, Set<Verdict> shown) {

    ReportOutputs {
        formats = List.copyOf(formats);
        files = List.copyOf(files);
        shown = Set.copyOf(shown);
    }

    /**
     * @throws IllegalArgumentException when a format is unknown, or formats and outputs do not pair up
     */
    static ReportOutputs of(List<String> formats, List<Path> outputs, Set<Verdict> shown) {
        List<CheckFormat> chosen = new ArrayList<>();
        for (String f : formats.isEmpty() ? List.of("text") : formats) {
            chosen.add(CheckFormat.named(f));
        }
        pair(chosen.size(), outputs.size());
        return new ReportOutputs(chosen, outputs, shown);
    }

    /**
     * @throws IllegalArgumentException when there are more outputs than formats, or more than one format lacks one
     */
    static void pair(int formats, int outputs) {
        if (outputs > formats) {
            throw new IllegalArgumentException("--output given " + outputs + " times for " + formats
                    + " --format; give each --output after its --format");
        }
        if (formats - outputs > 1) {
            throw new IllegalArgumentException("only one --format can go to stdout; give the others an --output");
        }
    }

    /** Opens every output; {@code null} when one cannot be written (and the user was told). */
    List<Writer> open(CommandLine cli, PrintWriter err) {
        List<Writer> writers = new ArrayList<>();
        for (int i = 0; i < formats.size(); i++) {
            Path file = i < files.size() ? files.get(i) : null;
            try {
                writers.add(CrawlOptions.output(cli, file));
            } catch (IOException e) {
                err.println("loomcrawl: cannot write output file '" + file + "': " + e.getMessage());
                return null;
            }
        }
        return writers;
    }

    /** Writes every report and closes its file; false when one could not be written (and the user was told). */
    boolean write(CheckReport report, Set<Verdict> failing, List<Writer> writers, PrintWriter err) {
        return write((format, w) -> format.write(report, failing, shown, w), writers, err);
    }

    /**
     * As {@link #write(CheckReport, Set, List, PrintWriter)}, for a check over many sites: each site's report, and all
     * of them in one ({@link CheckFormat#write(List, CheckReport, Set, Set, Writer)}).
     */
    boolean write(List<CheckReport> sites, CheckReport combined, Set<Verdict> failing, List<Writer> writers,
                  PrintWriter err) {
        return write((format, w) -> format.write(sites, combined, failing, shown, w), writers, err);
    }

    /** How one format is written. */
    private interface Writing {
        void write(CheckFormat format, Writer out) throws IOException;
    }

    private boolean write(Writing writing, List<Writer> writers, PrintWriter err) {
        for (int i = 0; i < formats.size(); i++) {
            Writer w = writers.get(i);
            try {
                writing.write(formats.get(i), w);
                if (i < files.size()) {
                    w.close();
                } else {
                    w.flush();
                }
            } catch (IOException e) {
                err.println("loomcrawl: cannot write output" + (i < files.size() ? " file '" + files.get(i) + "'" : "")
                        + ": " + e.getMessage());
                return false;
            }
        }
        return true;
    }
}
