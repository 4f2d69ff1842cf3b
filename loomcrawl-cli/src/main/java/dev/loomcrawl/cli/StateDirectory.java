package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.crawl.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The state directory of a {@code crawl} or {@code check}: opens its store and decides whether this run starts a
 * crawl, resumes the unfinished one there (taking its settings), or refuses.
 *
 * <ul>
 *   <li>No crawl there, or a finished one: a new crawl starts (a finished one is replaced, and the user told).</li>
 *   <li>An unfinished crawl of the same URL and command: it resumes. The options that decide what is crawled
 *       ({@link #SETTINGS}) come from it; giving one with another value is an error.</li>
 *   <li>An unfinished crawl of another URL or by the other command: an error, unless {@code --fresh}.</li>
 * </ul>
 */
final class StateDirectory {

    /** The options that decide what a crawl finds; the others (speed, politeness, output) may change on resume. */
    static final List<String> SETTINGS = List.of("--max-pages", "--max-depth", "--ignore-robots", "--include",
            "--exclude", "--path-prefix", "--subdomains", "--respect-nofollow", "--sitemaps", "--max-url-length",
            "--max-per-pattern", "--max-body", "--no-external", "--resources", "--ca-cert", "--insecure",
            "--exclude-private", "--content");

    /**
     * Settings a command may set itself when another option implies them ({@code --content-dir} implies
     * {@code --content markdown}): given when they have a value, matched on the command line or not.
     */
    private static final Set<String> IMPLIED = Set.of("--content");

    private StateDirectory() {}

    /** The default state directory of a crawl from {@code start}: {@code HOST[_PORT].loomcrawl} in the working directory. */
    static Path defaultFor(String start) {
        return Path.of(SiteFiles.nameOf(start) + ".loomcrawl");
    }

    /**
     * Opens the store for this run, and for a resume sets the stored settings on the command's options.
     *
     * @param cli the parsed command
     * @param fresh a command of the same class, unparsed, to read the stored settings into
     * @param kind {@code crawl} or {@code check}
     * @return the store, begun; the caller closes it
     * @throws Refused when the directory cannot be used or an option conflicts with the stored crawl's
     */
    static CrawlStore open(CommandLine cli, Supplier<Object> fresh, Path dir, boolean startOver, String kind,
                           String start, PrintWriter err, boolean quiet) {
        CrawlStore store;
        try {
            store = CrawlStore.open(dir);
        } catch (StoreException e) {
            boolean unwritable = e.getMessage().startsWith("cannot ");
            throw new Refused(e.getMessage() + (unwritable ? " (--state DIR keeps it elsewhere, --no-state in memory)" : ""),
                    ExitCode.STATE_ERROR);
        }
        try {
            CrawlStore.Stored stored = store.stored().orElse(null);
            boolean unfinished = stored != null && stored.state() != CrawlStore.State.FINISHED;
            if (unfinished && !startOver && (!stored.startUrl().equals(start) || !stored.kind().equals(kind))) {
                throw new Refused(dir + " holds an unfinished " + stored.kind() + " of " + stored.startUrl() + " ("
                        + stored.pages() + " pages); resume it with 'loomcrawl " + stored.kind() + " "
                        + stored.startUrl() + " --state " + dir + "', discard it with --fresh, or choose another --state",
                        ExitCode.STATE_ERROR);
            }
            if (unfinished && !startOver) {
                List<String> taken = applyStored(cli, fresh, stored.settings());
                store.resume();
                if (!quiet) {
                    err.println("loomcrawl: resuming the " + kind + " in " + dir + " (" + stored.pages()
                            + " pages done, run " + (stored.runs() + 1) + ")"
                            + (taken.isEmpty() ? "" : "; settings from it: " + String.join(" ", taken)));
                }
                return store;
            }
            store.startNew(start, kind, settingsOf(cli));
            if (!quiet) {
                err.println("loomcrawl: " + kind + " state in " + dir + (stored == null ? ""
                        : " (replacing the " + (unfinished ? "unfinished" : "finished") + " " + stored.kind() + " of "
                        + stored.startUrl() + ", " + stored.pages() + " pages)"));
            }
            return store;
        } catch (RuntimeException e) {
            try {
                store.close();
            } catch (RuntimeException ignored) {
                // the refusal is what the user must see
            }
            if (e instanceof StoreException se) {
                throw new Refused(se.getMessage(), ExitCode.STATE_ERROR);
            }
            throw e;
        }
    }

    /** The settings options given on the command line (or by a config file), as {@code --name=value} strings. */
    static List<String> settingsOf(CommandLine cli) {
        List<String> out = new ArrayList<>();
        CommandLine.ParseResult parsed = cli.getParseResult();
        for (String name : SETTINGS) {
            OptionSpec o = given(cli, name) ? cli.getCommandSpec().findOption(name) : null;
            if (o == null) {
                continue;
            }
            if (o.arity().max() == 0) {
                out.add(name);
            } else {
                List<String> values = parsed.hasMatchedOption(name) ? o.originalStringValues()
                        : List.of(String.valueOf((Object) o.getValue()));
                for (String value : values) {
                    out.add(name + "=" + value);
                }
            }
        }
        return out;
    }

    /**
     * Sets the stored settings on the command, after checking that no option given now says otherwise.
     *
     * @return the settings taken from the store that the command line did not give
     */
    static List<String> applyStored(CommandLine cli, Supplier<Object> fresh, List<String> settings) {
        CommandLine storedCli = new CommandLine(fresh.get());
        storedCli.setOverwrittenOptionsAllowed(true);
        List<String> args = new ArrayList<>(settings);
        args.add("http://stored.invalid/"); // the URL parameter, not compared
        storedCli.parseArgs(args.toArray(String[]::new));
        List<String> taken = new ArrayList<>();
        for (String name : SETTINGS) {
            OptionSpec now = cli.getCommandSpec().findOption(name);
            if (now == null) {
                continue;
            }
            Object storedValue = storedCli.getCommandSpec().findOption(name).getValue();
            if (given(cli, name)) {
                if (!Objects.equals(canonical(now.getValue()), canonical(storedValue))) {
                    String implied = cli.getParseResult().hasMatchedOption(name) ? "" : " (implied by another option)";
                    throw new Refused(name + " " + shown(now.getValue()) + implied + " conflicts with the unfinished crawl's "
                            + name + " " + shown(storedValue) + "; resume without it, or start over with --fresh",
                            ExitCode.USAGE);
                }
            } else if (!Objects.equals(canonical(now.getValue()), canonical(storedValue))) {
                now.setValue(storedValue);
                taken.add(now.arity().max() == 0 ? name : name + " " + shown(storedValue));
            }
        }
        return taken;
    }

    /** Whether the command line gives the setting, or the command set it as another option implies. */
    private static boolean given(CommandLine cli, String name) {
        if (cli.getParseResult().hasMatchedOption(name)) {
            return true;
        }
        OptionSpec o = cli.getCommandSpec().findOption(name);
        return o != null && IMPLIED.contains(name) && o.getValue() != null;
    }

    /** Lists compare as sets: {@code --include a --include b} is {@code --include b --include a}. */
    private static Object canonical(Object value) {
        return value instanceof List<?> list ? new java.util.TreeSet<>(list.stream().map(String::valueOf).toList()) : value;
    }

    private static String shown(Object value) {
        if (value == null) {
            return "(none)";
        }
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }
}
