package dev.loomcrawl.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The output of a crawl over many sites. Each site writes its records to a file of its own while it runs: with
 * {@code --output-dir}, {@code NAME.EXT.part}, renamed to {@code NAME.EXT} when the site finishes; else a spool file.
 * The stream (stdout or {@code -o}) gets the sites in list order: one writer thread copies each finished site's file
 * to it once every site before it is written, so a finished site waits on disk, not in memory, and the stream is
 * the same bytes at any concurrency.
 */
final class OrderedOutput {

    private static final int DONE = -1;

    private final Writer stream;
    private final Path spoolDir;
    private final Path outputDir;
    private final SiteFiles files;
    private final String ext;
    private final int sites;
    private final LinkedBlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
    /** The sites that ended in this run: only their files are this run's. */
    private final Set<Integer> ended = ConcurrentHashMap.newKeySet();
    /** The sites whose file was renamed into the output directory in this run. */
    private final Set<Integer> renamed = ConcurrentHashMap.newKeySet();
    private final Thread writer;
    private volatile String failure;

    /** How a site's run ended, for its file. */
    enum Ended {
        /** It ran to its end: its file takes its final name. */
        WHOLE,
        /** Interrupted, stopped at a time limit, or failed: its file keeps the name of a part. */
        CUT_SHORT
    }

    /**
     * @param stream where the sites go in list order, or {@code null} for none ({@code --output-dir} alone)
     * @param spoolDir where sites wait without {@code --output-dir}
     * @param outputDir one file per site, or {@code null}
     * @param ext the files' extension: {@code txt} or {@code jsonl}
     */
    OrderedOutput(Writer stream, Path spoolDir, Path outputDir, SiteFiles files, String ext, int sites) {
        this.stream = stream;
        this.spoolDir = spoolDir;
        this.outputDir = outputDir;
        this.files = files;
        this.ext = ext;
        this.sites = sites;
        this.writer = Thread.ofVirtual().name("loomcrawl-output").start(this::write);
    }

    /** The file the site at {@code index} writes its records to while it runs. */
    Path file(int index) {
        return outputDir != null && files.name(index) != null ? outputDir.resolve(files.name(index) + "." + ext + ".part")
                : spoolDir.resolve(String.format(Locale.ROOT, "%06d.part", index + 1));
    }

    /** Where a site's file ends up in {@code --output-dir}. */
    private Path finalFile(int index) {
        return outputDir.resolve(files.name(index) + "." + ext);
    }

    /**
     * The site at {@code index} has ended and closed its file, if it wrote one (a site not crawled has none). Any
     * thread; fast.
     */
    void finished(int index, Ended how) {
        Path file = file(index);
        if (outputDir != null && how == Ended.WHOLE && files.name(index) != null && Files.exists(file)) {
            try {
                Files.move(file, finalFile(index), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                renamed.add(index);
            } catch (IOException e) {
                failure = failure != null ? failure : "cannot write " + finalFile(index) + ": " + e.getMessage();
            }
        }
        ended.add(index);
        finished.add(index);
    }

    private void write() {
        int next = 0;
        try {
            while (next < sites) {
                int index = finished.take();
                if (index == DONE) {
                    break;
                }
                while (next < sites && ended.contains(next)) { // added before its index was queued
                    copy(next++);
                }
            }
            for (; next < sites; next++) { // a stopped run: what each site has, in list order, so nothing is lost
                copy(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = failure != null ? failure : e.getMessage();
        }
    }

    private void copy(int index) throws IOException {
        if (!ended.contains(index)) {
            return; // not started in this run: a file of its name is an earlier run's
        }
        Path file = renamed.contains(index) ? finalFile(index) : file(index);
        if (!Files.exists(file)) {
            return;
        }
        if (stream != null && failure == null) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                in.transferTo(stream);
            }
        }
        if (outputDir == null) {
            Files.delete(file);
        }
    }

    /**
     * Waits until every site that ended is written: in list order, and when the run stopped before every site ended
     * (Ctrl-C, --max-time), what the sites that ended wrote, in list order too, the sites between them missing.
     *
     * @return why the output could not be written, or {@code null}
     */
    String close() {
        finished.add(DONE);
        boolean interrupted = false;
        while (true) {
            try {
                writer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // Ctrl-C again: what was crawled is still written
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }

    /** Why the output could not be written so far, or {@code null}. */
    String failure() {
        return failure;
    }
}
