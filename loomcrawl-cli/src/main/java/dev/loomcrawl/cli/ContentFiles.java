package dev.loomcrawl.cli;

import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * {@code --content-dir DIR}: one Markdown file per page with content, its path mirroring the URL's:
 * {@code /docs/intro/} is {@code DIR/docs/intro/index.md}, {@code /a.html} is {@code DIR/a.md}, {@code /a} is
 * {@code DIR/a.md}, and a query joins the name after {@code _} ({@code /find?q=x} is {@code DIR/find_q=x.md}).
 * Each file starts with YAML front matter (url, title, description, lang, canonical, fetched), then the Markdown.
 *
 * <p>Names are made safe: each path segment is kept as the URL spells it (percent escapes included) but for
 * characters outside {@code A-Z a-z 0-9 . _ - ~ % = + , @}, which become {@code _}; {@code .} and {@code ..}
 * become {@code _}; a segment longer than 120 characters, or a file's name (its query included) longer than 200,
 * is cut to 120 and given the first 12 hex digits of its SHA-256. Only files end in {@code .md}: a directory that
 * would ({@code /a.md/x}) gets a {@code _} after it. Two URLs that come to one file (say {@code /a} and
 * {@code /a.html}, or names that differ only in case) are told apart in crawl order: the first keeps the name,
 * the next get {@code -2}, {@code -3} before {@code .md}. The pages come in the crawl's
 * deterministic order, so the files are the same at any concurrency. For the crawl's writer thread only.
 */
final class ContentFiles implements PageSink {

    private static final int MAX_SEGMENT = 120;
    /** A file's name before {@code -N.md}, within the 255 bytes file systems allow. */
    private static final int MAX_FILE_NAME = 200;

    private final Path dir;
    private final Set<String> taken = new HashSet<>();

    ContentFiles(Path dir) {
        this.dir = dir;
    }

    @Override
    public void accept(PageResult page) {
        PageContent content = page.content();
        if (content == null || content.body().isEmpty()) {
            return;
        }
        String relative = unique(pathOf(page.url()));
        Path file = dir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, frontMatter(page.url(), content) + content.body() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private String unique(String path) {
        String stem = path.substring(0, path.length() - ".md".length());
        String candidate = path;
        for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + "-" + n + ".md";
        }
        return candidate;
    }

    /** The file of a URL, relative to the directory, with {@code /} between segments. */
    static String pathOf(String url) {
        URI uri = URI.create(url);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery();
        StringBuilder b = new StringBuilder();
        String[] segments = path.substring(1).split("/", -1);
        boolean directory = path.endsWith("/");
        int last = directory ? segments.length - 1 : segments.length;
        for (int i = 0; i < last; i++) {
            String segment = segments[i];
            boolean file = i == last - 1 && !directory;
            if (file) {
                segment = stripExtension(segment);
            }
            if (!b.isEmpty()) {
                b.append('/');
            }
            String safe = safe(segment);
            // only files end in .md, so a directory never has a file's name
            b.append(!file && safe.toLowerCase(Locale.ROOT).endsWith(".md") ? safe + "_" : safe);
        }
        String name = directory ? (b.isEmpty() ? "" : b + "/") + "index" : b.toString();
        if (query != null && !query.isEmpty()) {
            name = name + "_" + safe(query);
        }
        int slash = name.lastIndexOf('/');
        String file = name.substring(slash + 1);
        if (file.length() > MAX_FILE_NAME) {
            name = name.substring(0, slash + 1) + file.substring(0, MAX_SEGMENT) + "-" + sha256(file).substring(0, 12);
        }
        return name + ".md";
    }

    private static String stripExtension(String segment) {
        int dot = segment.lastIndexOf('.');
        if (dot > 0) {
            String ext = segment.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (ext.matches("html?|xhtml|php\\d?|aspx?|jspx?|cgi|shtml|md")) {
                return segment.substring(0, dot);
            }
        }
        return segment;
    }

    private static String safe(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return "_";
        }
        StringBuilder b = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "._-~%=+,@".indexOf(c) >= 0 ? c : '_');
        }
        String s = b.toString();
        if (s.length() > MAX_SEGMENT) {
            s = s.substring(0, MAX_SEGMENT) + "-" + sha256(segment).substring(0, 12);
        }
        return s;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String frontMatter(String url, PageContent c) {
        StringBuilder b = new StringBuilder("---\n");
        field(b, "url", url);
        field(b, "title", c.title());
        field(b, "description", c.description());
        field(b, "lang", c.lang());
        field(b, "canonical", c.canonical());
        field(b, "fetched", c.fetched() == null ? null : c.fetched().toString());
        return b.append("---\n\n").toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(name).append(": ").append(yamlString(value)).append('\n');
        }
    }

    /** A YAML double-quoted scalar. */
    static String yamlString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
