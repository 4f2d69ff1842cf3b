package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of the README's design section, read from the main sources' references to each other. */
class PackageGraphTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:^import (?:static )?|[^\\w.])(dev\\.loomcrawl(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);
    private static final Map<String, Set<String>> uses = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("dev/loomcrawl"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
    }

    @Test
    void thePackagesFormNoCycle() {
        List<String> cycle = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String pkg : uses.keySet()) {
            if (cycleFrom(pkg, new ArrayList<>(), done, cycle)) {
                break;
            }
        }
        assertThat(cycle).as("a cycle among packages").isEmpty();
        assertThat(uses).hasSizeGreaterThan(10); // the sources were read
    }

    private static boolean cycleFrom(String pkg, List<String> path, Set<String> done, List<String> cycle) {
        if (path.contains(pkg)) {
            cycle.addAll(path.subList(path.indexOf(pkg), path.size()));
            cycle.add(pkg);
            return true;
        }
        if (!done.add(pkg)) {
            return false;
        }
        path.add(pkg);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            if (cycleFrom(next, path, done, cycle)) {
                return true;
            }
        }
        path.removeLast();
        return false;
    }

    @Test
    void theValuesOfTheApiUseNothingElse() {
        assertThat(uses.get("dev.loomcrawl.crawl")).isEmpty();
        assertThat(uses.get("dev.loomcrawl.check")).containsOnly("dev.loomcrawl.crawl");
        assertThat(uses.get("dev.loomcrawl.output")).allMatch(p -> !p.equals("dev.loomcrawl")
                && (!p.startsWith("dev.loomcrawl.internal") || p.equals("dev.loomcrawl.internal.json")
                        || p.equals("dev.loomcrawl.internal.url")));
    }

    @Test
    void internalPackagesNeverUseTheEntryPointsOrTheFormats() {
        Map<String, Set<String>> wrong = new HashMap<>();
        uses.forEach((pkg, used) -> {
            if (pkg.startsWith("dev.loomcrawl.internal")) {
                used.stream().filter(p -> p.equals("dev.loomcrawl") || p.equals("dev.loomcrawl.output"))
                        .forEach(p -> wrong.computeIfAbsent(pkg, k -> new TreeSet<>()).add(p));
            }
        });
        assertThat(wrong).isEmpty();
    }
}
