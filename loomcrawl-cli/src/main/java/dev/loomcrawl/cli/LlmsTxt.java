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
 * {@code site_name}, else its title, else the host), a block quote with the start page's description, and a
 * {@code ##} section per top path segment, in crawl order (pages at the root first, under "Pages"), each page a
 * line {@code - [title](url): description}. {@code llms-full.txt} is streamed as pages arrive, in crawl order, each
 * page headed by its title and its URL; the index is written when the crawl ends. For the crawl's writer thread.
 */
final class LlmsTxt implements PageSink, AutoCloseable {

    private record Entry(String url, String title, String description) {}

    private final Path index;
    private final Writer full;
    private final Map<String, List<Entry>> sections = new LinkedHashMap<>();
    private String name;
    private String summary;

    LlmsTxt(Path index) throws IOException {
        this.index = index;
        Path dir = index.toAbsolutePath().getParent();
        this.full = new BufferedWriter(Files.newBufferedWriter(dir.resolve("llms-full.txt"), StandardCharsets.UTF_8));
        sections.put("Pages", new ArrayList<>());
    }

    @Override
    public void accept(PageResult page) {
        PageContent c = page.content();
        if (c == null || c.body().isEmpty()) {
            return;
        }
        String title = c.title() != null ? c.title() : page.url();
        if (name == null) {
            name = c.siteName() != null ? c.siteName() : c.title() != null ? c.title() : URI.create(page.url()).getHost();
            summary = c.description();
        }
        sections.computeIfAbsent(section(page.url()), k -> new ArrayList<>())
                .add(new Entry(page.url(), title, c.description()));
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

    /** Writes the index and closes both files. */
    @Override
    public void close() throws IOException {
        try (full) {
            StringBuilder b = new StringBuilder();
            b.append("# ").append(oneLine(name == null ? "Site" : name)).append("\n\n");
            if (summary != null) {
                b.append("> ").append(oneLine(summary)).append("\n\n");
            }
            for (Map.Entry<String, List<Entry>> section : sections.entrySet()) {
                if (section.getValue().isEmpty()) {
                    continue;
                }
                b.append("## ").append(section.getKey()).append("\n\n");
                for (Entry e : section.getValue()) {
                    b.append("- [").append(oneLine(e.title()).replace("[", "\\[").replace("]", "\\]")).append("](")
                            .append(e.url()).append(')');
                    if (e.description() != null) {
                        b.append(": ").append(oneLine(e.description()));
                    }
                    b.append('\n');
                }
                b.append('\n');
            }
            Files.writeString(index, b.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
