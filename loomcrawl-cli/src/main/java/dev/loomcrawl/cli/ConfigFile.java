package dev.loomcrawl.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Options from a TOML file ({@code --config FILE}, or {@code loomcrawl.toml} in the working directory): each key is
 * the long name of a {@code crawl} or {@code check} option without its dashes ({@code max-pages = 500},
 * {@code ignore-robots = true}, {@code header = ["X-A: 1", "X-B: 2"]}). They are read as if written on the command
 * line before the user's own options, and the user's win (list options add up). A key no command knows, a value of
 * the wrong type, or a file TOML cannot read is an error naming the file, line and key. Parsed with Jackson's
 * TOML module.
 */
final class ConfigFile {

    /** The file read when {@code --config} is not given, when it exists. */
    static final String DEFAULT_NAME = "loomcrawl.toml";

    private ConfigFile() {}

    /**
     * The command line with the config file's options put in front of the user's; the line itself when there is
     * no config file.
     *
     * @throws IllegalArgumentException with a message naming the file, line and key
     */
    static String[] apply(String[] args) {
        if (args.length == 0 || !(args[0].equals("crawl") || args[0].equals("check"))) {
            return args;
        }
        Path file = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            }
        }
        if (file == null) {
            Path local = Path.of(DEFAULT_NAME);
            if (!Files.isRegularFile(local)) {
                return args;
            }
            file = local;
        }
        List<String> options = read(file, args[0]);
        List<String> out = new ArrayList<>();
        out.add(args[0]);
        out.addAll(options);
        out.addAll(List.of(args).subList(1, args.length));
        return out.toArray(String[]::new);
    }

    /** The options of {@code command} that {@code file} sets, as command-line arguments. */
    static List<String> read(Path file, String command) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file '" + file + "' does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("config file '" + file + "' is not text (TOML in UTF-8)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file '" + file + "': " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " line " + e.getLocation().getLineNr();
            throw new IllegalArgumentException(file + where + ": not valid TOML: " + e.getOriginalMessage());
        }
        List<String> options = new ArrayList<>();
        // crawl and check both: a key of either is known (one parser for every key: building one costs start-up time)
        CommandLine probe = Main.commandLine(List.of("crawl", "check"));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String where = file + " line " + lineOf(text, key) + ": ";
            CommandLine.Model.OptionSpec own = option(probe, command, key);
            if (own == null) {
                String other = command.equals("crawl") ? "check" : "crawl";
                if (option(probe, other, key) != null) {
                    continue; // an option of the other command: the same file serves both
                }
                throw new IllegalArgumentException(where + "unknown key '" + key + "': keys are the long options of "
                        + "crawl and check without their dashes, such as max-pages");
            }
            List<String> values = values(where, key, e.getValue(), own);
            validate(where, probe, command, values);
            options.addAll(values);
        }
        return options;
    }

    private static CommandLine.Model.OptionSpec option(CommandLine cli, String command, String key) {
        CommandLine sub = cli.getSubcommands().get(command);
        return key.equals("config") || key.startsWith("-") ? null : sub.getCommandSpec().findOption("--" + key);
    }

    private static List<String> values(String where, String key, JsonNode value, CommandLine.Model.OptionSpec spec) {
        boolean flag = spec.arity().max() == 0;
        List<String> args = new ArrayList<>();
        if (flag) {
            if (!value.isBoolean()) {
                throw new IllegalArgumentException(where + key + " must be true or false, was " + value);
            }
            if (value.asBoolean()) {
                args.add("--" + key);
            }
            return args;
        }
        if (value.isArray()) {
            if (!spec.isMultiValue()) {
                throw new IllegalArgumentException(where + key + " takes one value, not a list");
            }
            for (JsonNode item : value) {
                args.add("--" + key);
                args.add(scalar(where, key, item));
            }
            return args;
        }
        args.add("--" + key);
        args.add(scalar(where, key, value));
        return args;
    }

    private static String scalar(String where, String key, JsonNode value) {
        if (value.isTextual() || value.isNumber()) {
            return value.asText();
        }
        throw new IllegalArgumentException(where + key + " must be a string or a number, was " + value);
    }

    /**
     * Parses the option alone and checks its range as the crawl would, so that a wrong value is reported with its
     * file, line and key.
     */
    private static void validate(String where, CommandLine probe, String command, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(command, "http://config.invalid/"));
        args.addAll(values);
        try {
            probe.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
        CommandLine sub = probe.getSubcommands().get(command);
        CrawlOptions options = sub.getCommand() instanceof CrawlCommand crawl ? crawl.options
                : ((CheckCommand) sub.getCommand()).options;
        try {
            options.builder(sub).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + CrawlOptions.inOptionWords(e.getMessage()));
        }
    }

    /** The line of {@code key =} in the file, 1-based; 0 when it cannot be told. */
    private static int lineOf(String text, String key) {
        Matcher m = Pattern.compile("^[ \\t]*[\"']?" + Pattern.quote(key) + "[\"']?[ \\t]*=", Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            return 0;
        }
        int line = 1;
        for (int i = 0; i < m.start(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
