package dev.loomcrawl.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of the {@code loomcrawl} command in this JVM: its exit code, stdout and stderr. */
record Run(int code, String out, String err) {

    /**
     * Runs the command line as {@code loomcrawl ARGS} would; a crawl or check keeps no state unless the arguments
     * say where (tests must not leave state directories behind, nor resume each other's crawls).
     */
    static Run run(String... args) {
        return runWithDefaultState(inMemory(args));
    }

    /** Adds {@code --no-state} to a crawl or check that names no state directory. */
    static String[] inMemory(String... args) {
        java.util.List<String> list = java.util.List.of(args);
        if (list.isEmpty() || !(list.getFirst().equals("crawl") || list.getFirst().equals("check"))
                || list.contains("--state") || list.contains("--no-state") || list.contains("--help")) {
            return args;
        }
        String[] withFlag = java.util.Arrays.copyOf(args, args.length + 1);
        withFlag[args.length] = "--no-state";
        return withFlag;
    }

    /** Runs the command line exactly as given. */
    static Run runWithDefaultState(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
