package dev.loomcrawl.cli;

import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --llms-txt FILE}: the site as an <a href="https://llmstxt.org">llms.txt</a> index, and beside it
 * {@code llms-full.txt} with every page's Markdown. The index has an H1 with the site's name (the start page's
 * {@code site_name}, else the suffix most page titles share after a separator such as " | " or " — ", else the
 * start page's title, else the host), a block quote with the start page's description (else its first
 * paragraph), and a {@code ##} section per top path segment, in crawl order (pages at the root first, under
 * "Pages"), each page a line {@code - [title](url): description}, its title without the site's name and its
 * description the page's own, else the first sentence of its first paragraph. {@code llms-full.txt} is streamed
 * as pages arrive, in crawl order, each page headed by its title and its URL; the index is written when the
 * crawl ends. For the crawl's writer thread.
 */
final class LlmsTxt implements PageSink, AutoCloseable {

    private record Entry(String url, String title, String description) {}

    private final Path index;
    private final Writer full;
    private final Map<String, List<Entry>> sections = new LinkedHashMap<>();
    private boolean first = true;
    private String name;
    private String startTitle;
    private String summary;

    LlmsTxt(Path index) throws IOException {
        this.index = index;
        this.full = new BufferedWriter(Files.newBufferedWriter(fullBeside(index), StandardCharsets.UTF_8));
        sections.put("Pages", new ArrayList<>());
    }

    /** The file with every page's Markdown: {@code llms-full.txt} beside the index. */
    static Path fullBeside(Path index) {
        return index.toAbsolutePath().resolveSibling("llms-full.txt");
    }

    @Override
    public void accept(PageResult page) {
        PageContent c = page.content();
        if (c == null || c.body().isEmpty()) {
            return;
        }
        String title = c.title() != null ? c.title() : page.url();
        String paragraph = first || c.description() == null ? firstParagraph(c.body()) : null;
        if (first) {
            first = false;
            name = c.siteName();
            startTitle = c.title() != null ? c.title() : URI.create(page.url()).getHost();
            summary = c.description() != null ? c.description() : paragraph == null ? null : cut(paragraph, 300);
        }
        String description = c.description() != null ? c.description()
                : paragraph == null ? null : cut(firstSentence(paragraph), 200);
        sections.computeIfAbsent(section(page.url()), k -> new ArrayList<>())
                .add(new Entry(page.url(), title, description));
        try {
            full.write("# " + oneLine(title) + "\n\nSource: " + page.url() + "\n\n" + c.body() + "\n\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write llms-full.txt: " + e.getMessage(), e);
        }
    }

    private static String section(String url) {
        String path = URI.create(url).getPath();
        if (path == null) {
            return "Pages";
        }
        int slash = path.indexOf('/', 1);
        return slash < 0 ? "Pages" : path.substring(1, slash);
    }

    /** Writes the index and closes both files; when no page had content, leaves neither. */
    @Override
    public void close() throws IOException {
        if (sections.values().stream().allMatch(List::isEmpty)) {
            full.close();
            Files.deleteIfExists(fullBeside(index));
            return;
        }
        try (full) {
            List<String> titles = sections.values().stream().flatMap(List::stream).map(Entry::title).toList();
            String suffix = sharedSuffix(titles);
            String site = name != null ? name : suffix != null ? suffix.substring(separatorLength(suffix))
                    : startTitle != null ? startTitle : "Site";
            StringBuilder b = new StringBuilder();
            b.append("# ").append(oneLine(site)).append("\n\n");
            if (summary != null) {
                b.append("> ").append(oneLine(summary)).append("\n\n");
            }
            for (Map.Entry<String, List<Entry>> section : sections.entrySet()) {
                if (section.getValue().isEmpty()) {
                    continue;
                }
                b.append("## ").append(section.getKey()).append("\n\n");
                for (Entry e : section.getValue()) {
                    String title = e.title();
                    if (suffix != null && title.endsWith(suffix) && title.length() > suffix.length()) {
                        title = title.substring(0, title.length() - suffix.length());
                    }
                    b.append("- [").append(escape(oneLine(title))).append("](").append(destination(e.url())).append(')');
                    if (e.description() != null) {
                        b.append(": ").append(escape(oneLine(e.description())));
                    }
                    b.append('\n');
                }
                b.append('\n');
            }
            Files.writeString(index, b.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
        }
    }

    /** The blocks of a page, and the characters of each, read for its first paragraph. */
    private static final int MAX_BLOCKS = 50;
    private static final int MAX_BLOCK = 1000;

    /** The separators between a page's own title and the site's name. */
    private static final List<String> SEPARATORS = List.of(" | ", " — ", " – ", " - ", " · ", " :: ", " » ");

    /**
     * The ending, separator included, that at least half of the titles (two at least) share after one of
     * {@link #SEPARATORS}: " — Python 3.11 documentation" in "Glossary — Python 3.11 documentation"; else null.
     */
    static String sharedSuffix(List<String> titles) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String title : titles) {
            for (String separator : SEPARATORS) {
                int at = title.lastIndexOf(separator);
                if (at > 0 && at + separator.length() < title.length()) {
                    counts.merge(title.substring(at), 1, Integer::sum);
                }
            }
        }
        String best = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return most >= 2 && most * 2 >= titles.size() ? best : null;
    }

    private static int separatorLength(String suffix) {
        for (String separator : SEPARATORS) {
            if (suffix.startsWith(separator)) {
                return separator.length();
            }
        }
        return 0;
    }

    /**
     * The first block of Markdown that is a paragraph of prose: not a heading, list, quote, code, table, image, a
     * lone link or a copyright line.
     */
    static String firstParagraph(String markdown) {
        for (String block : markdown.split("\n\n", MAX_BLOCKS + 1)) {
            // a summary needs no more, and the patterns below stay cheap on any block
            String b = (block.length() > MAX_BLOCK ? block.substring(0, MAX_BLOCK) : block).strip();
            if (b.isEmpty() || "#-*+>|`!~=".indexOf(b.charAt(0)) >= 0 || b.matches("(?s)\\d+[.)] .*")
                    || b.matches("(?s)\\[[^]]*]\\([^)]*\\)\\\\?") || b.startsWith("Copyright")
                    || b.startsWith("\u00a9")) {
                continue;
            }
            String text = b.replaceAll("!?\\[([^]]*)]\\([^)]*\\)", "$1").replaceAll("[*`\\\\]", "");
            if (text.split("\\s+").length >= 5) {
                return oneLine(text);
            }
        }
        return null;
    }

    private static String firstSentence(String paragraph) {
        int end = paragraph.indexOf(". ");
        return end < 0 ? paragraph : paragraph.substring(0, end + 1);
    }

    /** At most {@code max} characters, cut at a word and marked with an ellipsis. */
    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int space = s.lastIndexOf(' ', max - 1);
        return s.substring(0, space > 0 ? space : max - 1) + "\u2026";
    }

    /** Text that stays text in Markdown: its special characters escaped. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\`*_[]<>".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** A link's destination, in angle brackets when it holds what would end it. */
    private static String destination(String url) {
        return url.matches("[^\\s()<>]*") ? url : "<" + url.replace("<", "%3C").replace(">", "%3E") + ">";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
