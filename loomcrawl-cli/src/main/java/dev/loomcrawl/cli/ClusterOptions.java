package dev.loomcrawl.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which of {@code crawl}'s options belong to a site of a cluster and which to a worker. A site's options decide
 * what is crawled (limits, scope, content, what is sent to the site's own host): {@code submit} takes them and they
 * travel with the site. A worker's decide how it fetches (its request budget, timeouts, user agent, TLS, proxy).
 * A worker crawls a site with its own options followed by the site's, parsed as {@code crawl} parses them.
 */
final class ClusterOptions {

    /** The options a site carries. */
    static final Set<String> SITE = Set.of("--max-pages", "--max-depth", "--max-time", "--include", "--exclude",
            "--path-prefix", "--subdomains", "--ignore-robots", "--respect-nofollow", "--sitemaps", "--max-url-length",
            "--max-per-pattern", "--header", "--cookie", "--user", "--content", "--no-external", "--resources",
            "--fail-on");

    /** The options a worker takes from its own command line. */
    static final Set<String> WORKER = Set.of("--concurrency", "--per-host", "--timeout", "--connect-timeout",
            "--first-byte-timeout", "--idle-timeout", "--max-body", "--retries", "--delay", "--rate", "--user-agent",
            "--proxy", "--ca-cert", "--insecure", "--exclude-private", "--stall-timeout", "--debug");

    /** Options every cluster command handles itself. */
    private static final Set<String> COMMON = Set.of("--kafka", "--topics", "--partitions", "--help", "--version");

    private ClusterOptions() {}

    /**
     * A parser of {@code crawl}'s or {@code check}'s command line for a cluster's site: options given twice take the
     * last value (as on the command line), and {@code @FILE} arguments are not read.
     */
    static CommandLine parser(Object command) {
        return new CommandLine(command).setOverwrittenOptionsAllowed(true).setExpandAtFiles(false);
    }

    /**
     * The options given on {@code cli}'s command line that are in {@code allowed}, as command-line words in the
     * order given: a flag by its longest name, each value as {@code --name=value} (so a value that starts with a
     * dash stays a value).
     *
     * @param own the command's own options besides the common ones ({@code --kafka}, {@code --topics}, ...), left out
     *
     * @throws CommandLine.ParameterException naming the first option given that is neither allowed nor the
     *     command's own, and where it belongs
     */
    static List<String> words(CommandLine cli, Set<String> allowed, Set<String> own, String command) {
        List<String> words = new ArrayList<>();
        for (OptionSpec o : new LinkedHashSet<>(cli.getParseResult().matchedOptions())) { // once per option, not per match
            String name = o.longestName();
            if (COMMON.contains(name) || own.contains(name)) {
                continue;
            }
            if (!allowed.contains(name)) {
                throw new CommandLine.ParameterException(cli, misplaced(name, command));
            }
            if (o.arity().max() == 0) {
                words.add(name);
                continue;
            }
            for (String value : o.originalStringValues()) {
                words.add(name + "=" + value);
            }
        }
        return words;
    }

    /**
     * Checks the words of a site's record, which anyone who can write to the topic may have made: each must be one
     * of a site's options as {@code submit} writes them, {@code --name} or {@code --name=value}.
     *
     * @throws IllegalArgumentException naming the first word that is not
     */
    static void checkSiteWords(List<String> words) {
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("'" + word + "' is not --NAME or --NAME=VALUE of a site's option");
            }
            if (!SITE.contains(name)) {
                throw new IllegalArgumentException(misplaced(name, "a site"));
            }
        }
    }

    /**
     * The crawl, or check, that {@code args} (options and the start URL) describe, parsed and checked as {@code crawl}
     * or {@code check} would.
     *
     * @throws IllegalArgumentException or {@code CommandLine.ParameterException} when an option is not valid
     */
    static ClusterWorker.Plan plan(String command, List<String> args) {
        String[] words = args.toArray(String[]::new);
        if (command.equals("check")) {
            CheckCommand check = new CheckCommand();
            CommandLine parser = parser(check);
            parser.parseArgs(words);
            return new ClusterWorker.Plan(check.options.builder(parser),
                    new ClusterWorker.Check(!check.noExternal, check.resources, check.reports.failing()));
        }
        CrawlCommand crawl = new CrawlCommand();
        CommandLine parser = parser(crawl);
        parser.parseArgs(words);
        return new ClusterWorker.Plan(crawl.siteBuilder(parser), null);
    }

    /** Why an option does not belong where it was given. */
    private static String misplaced(String name, String where) {
        return name + (SITE.contains(name) ? " is a site's option: give it to loomcrawl submit, not to " + where
                : WORKER.contains(name) ? " is a worker's option: give it to loomcrawl worker, not to " + where
                : " is not an option of a cluster's sites or workers");
    }
}
