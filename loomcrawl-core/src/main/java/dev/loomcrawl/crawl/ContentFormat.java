package dev.loomcrawl.crawl;

import java.util.Locale;

/** How a page's main content is written: as Markdown, or as plain text with paragraphs separated by blank lines. */
public enum ContentFormat {

    /** CommonMark with GitHub's pipe tables: headings, lists, quotes, tables, fenced code, links and images. */
    MARKDOWN,

    /** The same content as plain text: one block a paragraph, blocks separated by a blank line, no markup. */
    TEXT;

    /** The lower-case name, as the command line and the JSON field say it ({@code markdown}, {@code text}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code markdown} or {@code text} (any case). */
    public static ContentFormat named(String name) {
        for (ContentFormat f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("content must be one of markdown, text; was '" + name + "'");
    }
}
