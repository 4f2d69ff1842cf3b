package dev.loomcrawl.cli;

import dev.loomcrawl.crawl.Version;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code loomcrawl} command. Every failure the user can cause ends as one line on stderr and a documented
 * exit code ({@link ExitCode}), never a stack trace; {@code --debug} adds the trace of an unexpected error.
 */
@Command(name = "loomcrawl", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "A fast, polite, concurrent same-host web crawler.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the crawl ran", "1:internal error; demo result differs from the ground truth",
            "2:bad command line (option, value, URL)", "3:the start URL gave no response",
            "4:the output could not be written", "5:check found failing links",
            "6:the state directory cannot be used (not a crawl, damaged, in use, another crawl's)", "130:interrupted (Ctrl-C); what was crawled was written"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: crawl, check, report, extract, demo, worker, submit or results");
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (!CtrlC.stopped()) {
            System.exit(code); // on Ctrl-C the JVM is already exiting, with status 130
        }
    }

    /** The subcommands, in the order the usage lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    // lambdas, not constructor references: a reference links its class at once, so every start would load every
    // command and what its signatures name (the cluster's commands, Kafka's exceptions); a lambda loads only the one run
    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("crawl", () -> new CrawlCommand());
        commands.put("check", () -> new CheckCommand());
        commands.put("report", () -> new ReportCommand());
        commands.put("extract", () -> new ExtractCommand());
        commands.put("demo", () -> new DemoCommand());
        commands.put("worker", () -> new WorkerCommand());
        commands.put("submit", () -> new SubmitCommand());
        commands.put("results", () -> new ResultsCommand());
        commands.put("train", () -> new TrainCommand());
        return commands;
    }

    /** The {@code loomcrawl} command with the subcommands named, or with all of them when none is named. */
    static CommandLine commandLine(List<String> names) {
        CommandLine cli = new CommandLine(new Main());
        COMMANDS.forEach((name, command) -> {
            if (names.isEmpty() || names.contains(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        return cli;
    }

    /** Runs the command line and returns its exit code; {@code out} and {@code err} stand for stdout and stderr. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        // picocli builds a command's model by reflection, which takes time at every start: build only the one
        // named, and all of them when none is named (help, a mistyped name)
        CommandLine cli = commandLine(args.length > 0 && COMMANDS.containsKey(args[0]) ? List.of(args[0]) : List.of());
        cli.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false));
        cli.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter w = cli.getErr();
            w.println("loomcrawl: " + e.getMessage());
            String name = e.getCommandLine().getCommandName();
            w.println("Try 'loomcrawl " + (name.equals("loomcrawl") ? "" : name + " ") + "--help'.");
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter w = cli.getErr();
            if (e instanceof Refused refused) {
                w.println("loomcrawl: " + refused.getMessage());
                return refused.exitCode;
            }
            w.println("loomcrawl: internal error: " + e);
            if (Boolean.getBoolean("loomcrawl.debug")) {
                e.printStackTrace(w);
            }
            return ExitCode.FAILURE;
        });
        cli.setOverwrittenOptionsAllowed(true); // a config file's value, then the command line's: the last wins
        String[] withConfig;
        try {
            withConfig = ConfigFile.apply(args);
        } catch (IllegalArgumentException e) {
            cli.getErr().println("loomcrawl: " + e.getMessage());
            cli.getErr().flush();
            return ExitCode.USAGE;
        }
        int code = cli.execute(withConfig);
        cli.getOut().flush();
        cli.getErr().flush();
        return code;
    }

    /** Prints {@code loomcrawl VERSION}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"loomcrawl " + Version.current()};
        }
    }
}
