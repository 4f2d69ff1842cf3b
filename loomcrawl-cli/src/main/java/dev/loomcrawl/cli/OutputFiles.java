package dev.loomcrawl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks that every output file of a run can be written before the run creates its state or opens (and so empties)
 * any output: a run that cannot write one of its outputs changes nothing.
 */
final class OutputFiles {

    private OutputFiles() {}

    /**
     * @param files the output files ({@code null} entries, stdout, are skipped)
     * @param warc the first WARC file, or {@code null}
     * @throws Refused with {@link ExitCode#OUTPUT_ERROR}, naming the first file that cannot be written and why
     */
    static void checkWritable(List<Path> files, Path warc) {
        for (Path file : files) {
            String problem = file == null ? null : problem(file);
            if (problem != null) {
                throw new Refused("cannot write output file '" + file + "': " + problem, ExitCode.OUTPUT_ERROR);
            }
        }
        String problem = warc == null ? null : problem(warc);
        if (problem != null) {
            throw new Refused("cannot write WARC file '" + warc + "': " + problem, ExitCode.OUTPUT_ERROR);
        }
    }

    /**
     * Checks that files can be written in {@code dir}, made if missing; nothing is created.
     *
     * @throws Refused (exit code 4) naming the directory and the problem
     */
    static void checkDirectory(Path dir, String what) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String problem = existing == null ? "no such directory"
                : !Files.isDirectory(existing) ? (existing.equals(dir.toAbsolutePath()) ? "it is a file" : existing + " is a file")
                : Files.isWritable(existing) ? null : "permission denied in " + existing;
        if (problem != null) {
            throw new Refused("cannot write " + what + " '" + dir + "': " + problem, ExitCode.OUTPUT_ERROR);
        }
    }

    /** Why {@code file} cannot be written, or {@code null} when it can; nothing is created. */
    private static String problem(Path file) {
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        if (Files.exists(file)) {
            return Files.isWritable(file) ? null : "permission denied";
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "no such directory " + dir;
        }
        return Files.isWritable(dir) ? null : "permission denied in " + dir;
    }
}
