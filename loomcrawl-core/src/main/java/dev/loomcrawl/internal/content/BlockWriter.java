package dev.loomcrawl.internal.content;

import dev.loomcrawl.crawl.ContentFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Writes cleaned content as Markdown (CommonMark with GitHub's pipe tables) or as plain text. Blocks are separated
 * by a blank line; whitespace is collapsed except in {@code <pre>}; links and images get absolute URLs. A table
 * whose cells hold only text becomes a pipe table; one with merged cells becomes one line a row; one laid out
 * with blocks in its cells is read as blocks. Output stops at {@code maxChars}. Not thread-safe: one per page.
 */
final class BlockWriter {

    private static final Set<String> BLOCK = Set.of("address", "article", "aside", "blockquote", "body", "center",
            "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
            "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
            "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption",
            "img", "picture");
    private static final Pattern LANGUAGE = Pattern.compile("(?:^|\\s)(?:language|lang|highlight|brush:?)-?([\\w+#.-]+)");
    private static final Pattern LINE_START = Pattern.compile("^(\\s*)([#>+=-]|\\d+[.)])", Pattern.MULTILINE);
    private static final int MAX_CHARS = 4 << 20;
    /** Stands for a {@code <br>} in inline text until the text is tidied. */
    private static final char BREAK = '\u2028';

    private final boolean markdown;
    private final Set<Element> holdsBlocks = Collections.newSetFromMap(new IdentityHashMap<>());
    private int written;
    private int words;
    private boolean cut;

    BlockWriter(ContentFormat format) {
        this.markdown = format == ContentFormat.MARKDOWN;
    }

    /** The words of the text written (runs of letters and digits), the same in Markdown and in text. */
    int words() {
        return words;
    }

    /** Whether the output stopped at its size bound. */
    boolean cut() {
        return cut;
    }

    String write(Element root) {
        markBlocks(root);
        List<String> blocks = new ArrayList<>();
        blocks(root, blocks, 0);
        return String.join("\n\n", blocks);
    }

    /** Marks the elements that hold a block somewhere below them, in one walk. */
    private void markBlocks(Element root) {
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && e != root && e.parent() != null
                        && (BLOCK.contains(e.normalName()) || holdsBlocks.contains(e))) {
                    holdsBlocks.add(e.parent());
                }
            }
        }, root);
    }

    private boolean isBlock(Element e) {
        return BLOCK.contains(e.normalName()) || holdsBlocks.contains(e);
    }

    /** Appends the blocks of {@code e}'s children to {@code out}; runs of inline content become paragraphs. */
    private void blocks(Element e, List<String> out, int depth) {
        StringBuilder inline = new StringBuilder();
        for (Node child : e.childNodes()) {
            if (cut) {
                return;
            }
            if (child instanceof Element c && isBlock(c)) {
                paragraph(inline, out);
                block(c, out, depth);
            } else {
                inline(child, inline);
            }
        }
        paragraph(inline, out);
    }

    private void paragraph(StringBuilder inline, List<String> out) {
        String text = tidy(inline);
        inline.setLength(0);
        if (!text.isEmpty()) {
            add(out, markdown ? escapeLineStarts(text) : text);
        }
    }

    private void add(List<String> out, String block) {
        if (written + block.length() > MAX_CHARS) {
            cut = true;
            return;
        }
        written += block.length() + 2;
        out.add(block);
    }

    private void block(Element e, List<String> out, int depth) {
        if (depth > 200) {
            String text = e.text();
            words += Extraction.words(text);
            add(out, tidy(new StringBuilder(text)));
            return;
        }
        String tag = e.normalName();
        switch (tag) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                StringBuilder b = new StringBuilder();
                inlineChildren(e, b);
                String text = tidy(b).replace('\n', ' ');
                if (!text.isEmpty()) {
                    add(out, markdown ? "#".repeat(tag.charAt(1) - '0') + " " + text : text);
                }
            }
            case "ul", "ol", "menu", "dir" -> list(e, tag.equals("ol"), out, depth);
            case "pre" -> code(e, out);
            case "blockquote" -> {
                List<String> inner = new ArrayList<>();
                blocks(e, inner, depth + 1);
                if (!inner.isEmpty()) {
                    String text = String.join("\n\n", inner);
                    add(out, markdown ? prefixLines(text, "> ", ">") : text);
                }
            }
            case "hr" -> {
                if (markdown) {
                    add(out, "---");
                }
            }
            case "table" -> table(e, out, depth);
            case "img" -> {
                StringBuilder b = new StringBuilder();
                image(e, b);
                if (!b.isEmpty()) {
                    add(out, b.toString());
                }
            }
            case "dt" -> {
                StringBuilder b = new StringBuilder();
                inlineChildren(e, b);
                String text = tidy(b);
                if (!text.isEmpty()) {
                    add(out, markdown ? "**" + text + "**" : text);
                }
            }
            default -> blocks(e, out, depth + 1);
        }
    }

    private void list(Element list, boolean ordered, List<String> out, int depth) {
        List<String> items = new ArrayList<>();
        int number = ordered ? startOf(list) : 0;
        boolean loose = false;
        for (Element item : list.children()) {
            List<String> inner = new ArrayList<>();
            if (item.normalName().equals("li")) {
                blocks(item, inner, depth + 1);
            } else if (isBlock(item)) {
                block(item, inner, depth + 1);
            } else {
                StringBuilder b = new StringBuilder();
                inline(item, b);
                String text = tidy(b);
                if (!text.isEmpty()) {
                    inner.add(text);
                }
            }
            if (inner.isEmpty()) {
                continue;
            }
            loose |= item.getElementsByTag("p").size() > 1;
            String marker = !markdown ? "" : ordered ? (number++) + ". " : "- ";
            String body = String.join(loose ? "\n\n" : "\n", inner);
            items.add(markdown ? marker + indent(body, " ".repeat(marker.length())) : body);
        }
        if (!items.isEmpty()) {
            add(out, String.join(loose ? "\n\n" : "\n", items));
        }
    }

    private static int startOf(Element list) {
        try {
            return list.hasAttr("start") ? Math.max(0, Integer.parseInt(list.attr("start").trim())) : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void code(Element pre, List<String> out) {
        String text = pre.wholeText();
        if (text.startsWith("\n")) {
            text = text.substring(1);
        }
        text = text.stripTrailing();
        if (text.isBlank()) {
            return;
        }
        words += Extraction.words(text);
        if (!markdown) {
            add(out, text);
            return;
        }
        String language = language(pre);
        Element code = pre.selectFirst("code");
        if (language == null && code != null) {
            language = language(code);
        }
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        add(out, fence + (language == null ? "" : language) + "\n" + text + "\n" + fence);
    }

    private static String language(Element e) {
        String lang = e.attr("data-lang");
        if (!lang.isBlank() && lang.matches("[\\w+#.-]+")) {
            return lang.toLowerCase(Locale.ROOT);
        }
        Matcher m = LANGUAGE.matcher(e.className());
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    private void table(Element table, List<String> out, int depth) {
        List<Element> rows = new ArrayList<>();
        boolean merged = false;
        for (Element row : table.select("tr")) {
            if (row.closest("table") != table) {
                continue;
            }
            rows.add(row);
            for (Element cell : row.children()) {
                if (isBlockCell(cell)) {
                    blocks(table, out, depth + 1);
                    return;
                }
                merged |= span(cell, "colspan") > 1 || span(cell, "rowspan") > 1;
            }
        }
        List<List<String>> cells = new ArrayList<>();
        int width = 0;
        for (Element row : rows) {
            List<String> line = new ArrayList<>();
            for (Element cell : row.children()) {
                if (cell.normalName().equals("td") || cell.normalName().equals("th")) {
                    StringBuilder b = new StringBuilder();
                    inlineChildren(cell, b);
                    line.add(tidy(b).replace("\n", " ").replace("|", markdown ? "\\|" : "|"));
                }
            }
            if (line.stream().anyMatch(s -> !s.isEmpty())) {
                cells.add(line);
                width = Math.max(width, line.size());
            }
        }
        if (cells.isEmpty()) {
            return;
        }
        Element caption = table.selectFirst("caption");
        if (caption != null && caption.closest("table") == table) {
            words += Extraction.words(caption.text());
            String text = tidy(new StringBuilder(caption.text()));
            if (!text.isEmpty()) {
                add(out, text);
            }
        }
        if (!markdown || merged || width < 2) {
            for (List<String> line : cells) {
                add(out, String.join(markdown ? " | " : "\t", line.stream().filter(s -> !s.isEmpty()).toList()));
            }
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            List<String> line = cells.get(r);
            b.append('|');
            for (int c = 0; c < width; c++) {
                String cell = c < line.size() ? line.get(c) : "";
                b.append(' ').append(cell).append(" |");
            }
            b.append('\n');
            if (r == 0) {
                b.append('|');
                b.append(" --- |".repeat(width));
                b.append('\n');
            }
        }
        b.setLength(b.length() - 1);
        add(out, b.toString());
    }

    private boolean isBlockCell(Element cell) {
        for (Element e : cell.getAllElements()) {
            if (e != cell && (e.normalName().matches("p|div|table|ul|ol|h[1-6]|pre|blockquote|section|article|dl"))) {
                return true;
            }
        }
        return false;
    }

    private static int span(Element cell, String attribute) {
        try {
            return cell.hasAttr(attribute) ? Integer.parseInt(cell.attr(attribute).trim()) : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private void inlineChildren(Element e, StringBuilder b) {
        for (Node child : e.childNodes()) {
            inline(child, b);
        }
    }

    /** Appends inline content; a block met inside inline content is read as its text. */
    private void inline(Node node, StringBuilder b) {
        if (node instanceof TextNode t) {
            String text = t.getWholeText();
            words += Extraction.words(text);
            b.append(markdown ? escape(text) : text);
            return;
        }
        if (!(node instanceof Element e)) {
            return;
        }
        switch (e.normalName()) {
            case "br" -> b.append(BREAK);
            case "img" -> image(e, b);
            case "a" -> link(e, b);
            case "code", "kbd", "samp", "tt" -> {
                String text = e.text();
                words += Extraction.words(text);
                if (!text.isBlank()) {
                    if (!markdown) {
                        b.append(text);
                    } else {
                        String ticks = text.contains("`") ? "``" : "`";
                        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
                        b.append(ticks).append(pad).append(text).append(pad).append(ticks);
                    }
                }
            }
            case "em", "i", "cite", "var", "dfn" -> wrap(e, b, "*");
            case "strong", "b" -> wrap(e, b, "**");
            case "del", "s", "strike" -> wrap(e, b, "~~");
            default -> {
                if (e.normalName().equals("p") || e.normalName().equals("div") || e.normalName().equals("li")) {
                    b.append(' ');
                }
                inlineChildren(e, b);
                if (e.normalName().equals("p") || e.normalName().equals("div") || e.normalName().equals("li")) {
                    b.append(' ');
                }
            }
        }
    }

    private void wrap(Element e, StringBuilder b, String mark) {
        StringBuilder inner = new StringBuilder();
        inlineChildren(e, inner);
        String text = inner.toString();
        String trimmed = text.strip();
        if (trimmed.isEmpty() || !markdown) {
            b.append(text);
            return;
        }
        if (text.length() > 0 && Character.isWhitespace(text.charAt(0))) {
            b.append(' ');
        }
        b.append(mark).append(trimmed.replace("\n", " ")).append(mark);
        if (Character.isWhitespace(text.charAt(text.length() - 1))) {
            b.append(' ');
        }
    }

    private void link(Element a, StringBuilder b) {
        StringBuilder inner = new StringBuilder();
        inlineChildren(a, inner);
        String text = inner.toString();
        String href = a.absUrl("href");
        if (!markdown || text.isBlank() || href.isEmpty() || !(href.startsWith("http:") || href.startsWith("https:"))) {
            b.append(text);
            return;
        }
        if (Character.isWhitespace(text.charAt(0))) {
            b.append(' ');
        }
        b.append('[').append(text.strip().replace("\n", " ")).append("](").append(destination(href)).append(')');
        if (Character.isWhitespace(text.charAt(text.length() - 1))) {
            b.append(' ');
        }
    }

    private void image(Element img, StringBuilder b) {
        if (!markdown) {
            return;
        }
        String src = img.absUrl("src");
        if (src.isEmpty() || !src.startsWith("http")) {
            for (String lazy : List.of("data-src", "data-lazy-src", "data-original")) {
                src = img.absUrl(lazy);
                if (src.startsWith("http")) {
                    break;
                }
            }
        }
        if (!src.startsWith("http")) {
            return;
        }
        String alt = img.attr("alt").replaceAll("[\\s\\[\\]]+", " ").strip();
        b.append("![").append(alt).append("](").append(destination(src)).append(')');
    }

    private static String destination(String url) {
        return url.matches(".*[\\s()<>].*") ? "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">" : url;
    }

    /** Collapses whitespace (keeping the line breaks of {@code <br>}) and trims each line. */
    private String tidy(CharSequence s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == BREAK) {
                trimEnd(b);
                if (!b.isEmpty() && b.charAt(b.length() - 1) != '\n') {
                    b.append(markdown ? "\\\n" : "\n");
                }
                space = false;
                continue;
            }
            if (Character.isWhitespace(c) || c == '\u00a0') {
                space = true;
                continue;
            }
            if (space && !b.isEmpty() && b.charAt(b.length() - 1) != '\n') {
                b.append(' ');
            }
            space = false;
            b.append(c);
        }
        trimEnd(b);
        while (!b.isEmpty() && (b.charAt(b.length() - 1) == '\\' || b.charAt(b.length() - 1) == '\n')) {
            b.setLength(b.length() - 1);
            trimEnd(b);
        }
        int start = 0;
        while (start < b.length() && b.charAt(start) == '\n') {
            start++;
        }
        return b.substring(start);
    }

    private static void trimEnd(StringBuilder b) {
        while (!b.isEmpty() && b.charAt(b.length() - 1) == ' ') {
            b.setLength(b.length() - 1);
        }
    }

    private static String escape(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean special = switch (c) {
                case '\\', '*', '`', '[', ']', '<', '|', '~' -> true;
                case '_' -> i == 0 || i == text.length() - 1 || !Character.isLetterOrDigit(text.charAt(i - 1))
                        || !Character.isLetterOrDigit(text.charAt(i + 1));
                default -> false;
            };
            if (special) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 8);
                    b.append(text, 0, i);
                }
                b.append('\\');
            }
            if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    private static String escapeLineStarts(String text) {
        return LINE_START.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)
                + (m.group(2).length() == 1 ? "\\" + m.group(2)
                        : m.group(2).substring(0, m.group(2).length() - 1) + "\\" + m.group(2).charAt(m.group(2).length() - 1))));
    }

    private static String indent(String text, String pad) {
        return text.replace("\n", "\n" + pad).replaceAll("\n +\n", "\n\n");
    }

    private static String prefixLines(String text, String prefix, String blank) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(line.isEmpty() ? blank : prefix + line);
        }
        return b.toString();
    }
}
