package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.crawl.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The state directory of a run over many sites: one {@link CrawlStore} per site, in {@code site-NNNNNN} (its place in
 * the list, from 1), made when the site starts, and the run's manifest, {@value #MANIFEST}: the command, the
 * settings that decide what is crawled, the sites in order, and whether the run finished. As for one site, an
 * unfinished run of the same list and command resumes (each finished site is written again from its store, each
 * unfinished one resumes, the others start), a finished one is replaced, and another one is an error unless
 * {@code --fresh}. A lock file keeps a second process out.
 */
final class SitesState implements AutoCloseable {

    static final String MANIFEST = "sites.run";
    private static final String LOCK = "sites.lock";
    private static final String HEADER = "loomcrawl sites 1";

    private final Path dir;
    private final String kind;
    private final List<String> settings;
    private final List<String> sites;
    private final int runs;
    private final FileChannel lockFile;
    private final FileLock lock;

    private SitesState(Path dir, String kind, List<String> settings, List<String> sites, int runs, FileChannel lockFile,
                       FileLock lock) {
        this.dir = dir;
        this.kind = kind;
        this.settings = settings;
        this.sites = sites;
        this.runs = runs;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** The default state directory of a list: {@code NAME.loomcrawl} for {@code --sites NAME.txt}, else {@code sites.loomcrawl}. */
    static Path defaultFor(Path list) {
        if (list == null || list.toString().equals("-") || list.getFileName() == null) {
            return Path.of("sites.loomcrawl");
        }
        String name = list.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Path.of((dot > 0 ? name.substring(0, dot) : name) + ".loomcrawl");
    }

    /**
     * Opens the state of this run: resumes an unfinished run of the same sites and command (setting its stored
     * settings on the command's options), or starts a new one.
     *
     * @param names the sites' names in list order ({@link SiteList.Site#name()})
     * @throws Refused when the directory cannot be used, holds another unfinished run, or an option conflicts
     */
    static SitesState open(CommandLine cli, Supplier<Object> fresh, Path dir, boolean startOver, String kind,
                           List<String> names, PrintWriter err, boolean quiet) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Refused("cannot create the state directory " + dir + ": " + e.getMessage()
                    + " (--state DIR keeps it elsewhere, --no-state in memory)", ExitCode.STATE_ERROR);
        }
        if (Files.exists(dir.resolve(CrawlStore.FILE))) {
            throw new Refused(dir + " holds the state of one site's " + "crawl, not of a list; choose another --state",
                    ExitCode.STATE_ERROR);
        }
        FileChannel channel = null;
        FileLock lock;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new Refused(dir + " is in use by another loomcrawl process", ExitCode.STATE_ERROR);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Refused("cannot use the state directory " + dir + ": " + e.getMessage(), ExitCode.STATE_ERROR);
        }
        try {
            Path manifest = dir.resolve(MANIFEST);
            List<String> lines = Files.exists(manifest) ? Files.readAllLines(manifest, StandardCharsets.UTF_8) : null;
            if (lines == null) {
                try (Stream<Path> entries = Files.list(dir)) {
                    List<String> foreign = entries.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals(LOCK) && !n.equals(MANIFEST + ".tmp")).toList();
                    if (!foreign.isEmpty()) {
                        throw new Refused(dir + " holds files but no loomcrawl run (" + foreign.getFirst()
                                + "); choose another --state", ExitCode.STATE_ERROR);
                    }
                }
            } else if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
                throw new Refused(dir.resolve(MANIFEST) + " is not a loomcrawl run's manifest", ExitCode.STATE_ERROR);
            }
            Stored stored = lines == null ? null : Stored.parse(lines);
            boolean unfinished = stored != null && !stored.finished();
            if (unfinished && !startOver && (!stored.kind().equals(kind) || !stored.sites().equals(names))) {
                throw new Refused(dir + " holds an unfinished " + stored.kind() + " of another list of "
                        + stored.sites().size() + " sites; resume it with the same list, discard it with --fresh, "
                        + "or choose another --state", ExitCode.STATE_ERROR);
            }
            SitesState state;
            if (unfinished && !startOver) {
                List<String> taken = StateDirectory.applyStored(cli, fresh, stored.settings());
                state = new SitesState(dir, kind, stored.settings(), names, stored.runs() + 1, channel, lock);
                if (!quiet) {
                    err.println("loomcrawl: resuming the " + kind + " of " + names.size() + " sites in " + dir + " (run "
                            + state.runs + ")" + (taken.isEmpty() ? "" : "; settings from it: " + String.join(" ", taken)));
                }
            } else {
                if (stored != null) {
                    clear(dir);
                }
                state = new SitesState(dir, kind, StateDirectory.settingsOf(cli), names, 1, channel, lock);
                if (!quiet) {
                    err.println("loomcrawl: " + kind + " state of " + names.size() + " sites in " + dir + (stored == null
                            ? "" : " (replacing the " + (unfinished ? "unfinished" : "finished") + " " + stored.kind()
                            + " of " + stored.sites().size() + " sites)"));
                }
            }
            state.write(false);
            return state;
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            closeQuietly(channel);
            throw new Refused("cannot use the state directory " + dir + ": " + e.getMessage(), ExitCode.STATE_ERROR);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** What a manifest says. */
    private record Stored(String kind, boolean finished, int runs, List<String> settings, List<String> sites) {
        static Stored parse(List<String> lines) {
            String kind = null;
            boolean finished = false;
            int runs = 0;
            List<String> settings = new ArrayList<>();
            List<String> sites = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                int space = line.indexOf(' ');
                String key = space < 0 ? line : line.substring(0, space);
                String value = space < 0 ? "" : line.substring(space + 1);
                switch (key) {
                    case "kind" -> kind = value;
                    case "state" -> finished = value.equals("finished");
                    case "runs" -> runs = Integer.parseInt(value);
                    case "setting" -> settings.add(value);
                    case "site" -> sites.add(value);
                    default -> { } // a later version's line
                }
            }
            if (kind == null) {
                throw new UncheckedIOException(new IOException("the manifest names no command"));
            }
            return new Stored(kind, finished, runs, settings, sites);
        }
    }

    /** The store of the site at {@code index} (from 0), opened, made when there is none. */
    CrawlStore store(int index) {
        return CrawlStore.open(storeDir(dir, index));
    }

    /** Where the store of the site at {@code index} (from 0) is. */
    static Path storeDir(Path dir, int index) {
        return dir.resolve(String.format(Locale.ROOT, "site-%06d", index + 1));
    }

    /**
     * What the run in {@code dir} holds, read without taking it: its command, whether it finished, and its sites'
     * names in list order.
     *
     * @throws UncheckedIOException when the manifest cannot be read or is not one
     */
    static Listed read(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(MANIFEST), StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
                throw new IOException(dir.resolve(MANIFEST) + " is not a loomcrawl run's manifest");
            }
            Stored stored = Stored.parse(lines);
            return new Listed(stored.kind(), stored.finished(), stored.sites());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** A run's command ({@code crawl} or {@code check}), whether it finished, and its sites' names in list order. */
    record Listed(String kind, boolean finished, List<String> sites) {}

    /** The settings that decide what is crawled, as this run stored them. */
    List<String> settings() {
        return settings;
    }

    String kind() {
        return kind;
    }

    Path dir() {
        return dir;
    }

    /**
     * Records whether the run finished: a finished run is replaced by the next one, an unfinished one resumes.
     *
     * @throws UncheckedIOException when the manifest cannot be written
     */
    void write(boolean finished) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        b.append("kind ").append(kind).append('\n');
        b.append("state ").append(finished ? "finished" : "unfinished").append('\n');
        b.append("runs ").append(runs).append('\n');
        settings.forEach(s -> b.append("setting ").append(s).append('\n'));
        sites.forEach(s -> b.append("site ").append(s.replace('\n', ' ')).append('\n'));
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    /** Deletes what an earlier run left: its manifest and its sites' stores. */
    private static void clear(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("site-") || name.equals(MANIFEST)) {
                    try (Stream<Path> tree = Files.walk(p)) {
                        for (Path q : tree.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(q);
                        }
                    }
                }
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the refusal is what the user must see
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockFile.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
