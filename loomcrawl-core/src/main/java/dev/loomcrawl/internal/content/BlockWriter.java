package dev.loomcrawl.internal.content;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.internal.url.UrlNormalizer;
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
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.jsoup.select.QueryParser;

/**
 * Writes cleaned content as Markdown (CommonMark with GitHub's pipe tables) or as plain text. Blocks are separated
 * by a blank line; whitespace is collapsed except in {@code <pre>}; links and images get absolute URLs. A table
 * whose cells hold only text becomes a pipe table; one with merged cells becomes one line a row; one laid out
 * with blocks in its cells is read as blocks. Output stops at {@value #MAX_CHARS} characters. Not thread-safe:
 * one per page.
 */
final class BlockWriter {

    private static final Set<String> BLOCK = Set.of("address", "article", "aside", "blockquote", "body", "center",
            "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
            "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
            "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption");
    private static final Pattern LANGUAGE = Pattern.compile(
            "(?:^|\\s)(?:language|lang|highlight|brush)(?:-|:\\s*)([\\w+#.-]+)");
    /** A wrapper of a code block names its language only this way (Sphinx's, GitHub's, Prism's). */
    private static final Pattern WRAPPER_LANGUAGE = Pattern.compile("(?:^|\\s)(?:highlight|language)-([\\w+#.-]+)");
    private static final Evaluator CODE = QueryParser.parse("code");
    private static final Evaluator ROW = QueryParser.parse("tr");
    private static final Evaluator CAPTION = QueryParser.parse("caption");
    private static final Set<String> NO_LANGUAGE = Set.of("default", "none", "text", "plain", "plaintext",
            "nohighlight", "no-highlight", "");
    /** A thematic break. */
    private static final String RULE = "---";
    private static final Pattern UNESCAPED_PIPE = Pattern.compile("(?<!\\\\)\\|");
    private static final int MAX_CHARS = 4 << 20;
    private static final List<String> LAZY_SOURCES = List.of("data-src", "data-lazy-src", "data-original");
    private static final Set<String> BLOCK_IN_CELL = Set.of("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4",
            "h5", "h6", "pre", "blockquote", "section", "article", "dl");
    /** Stands for a {@code <br>} in inline text until the text is tidied. */
    private static final char BREAK = '\u2028';

    private final boolean markdown;
    private final UrlNormalizer.Resolver links;
    private final Set<Element> holdsBlocks = Collections.newSetFromMap(new IdentityHashMap<>());
    private long written;
    /** The characters the lists and quotes being written put before each line. */
    private int indent;
    private int words;
    private boolean cut;

    /**
     * @param baseUri the page's base URL (its {@code <base href>}, else its own), against which links and images
     *     are resolved; {@code null} or not a URL leaves relative ones out
     */
    BlockWriter(ContentFormat format, String baseUri) {
        this.markdown = format == ContentFormat.MARKDOWN;
        String base = baseUri == null || baseUri.isEmpty() ? null : UrlNormalizer.normalize(baseUri);
        this.links = UrlNormalizer.against(base);
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
        // a rule separates content: none before the first block, after the last, or beside another
        List<String> kept = new ArrayList<>(blocks.size());
        for (String block : blocks) {
            if (!block.equals(RULE) || (!kept.isEmpty() && !kept.getLast().equals(RULE))) {
                kept.add(block);
            }
        }
        if (!kept.isEmpty() && kept.getLast().equals(RULE)) {
            kept.removeLast();
        }
        return String.join("\n\n", kept);
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

    /**
     * Adds a block of text to {@code out}, or stops the output when it would pass its bound. A block is counted
     * once, where it is made, with the indentation its lines will get from the lists and quotes around it.
     */
    private void add(List<String> out, String block) {
        long size = block.length() + 2L;
        if (indent > 0) {
            long lines = 1 + block.chars().filter(c -> c == '\n').count();
            size += lines * indent;
        }
        if (cut || written + size > MAX_CHARS) {
            cut = true;
            return;
        }
        written += size;
        out.add(block);
    }

    private void block(Element e, List<String> out, int depth) {
        if (depth > 200) {
            StringBuilder b = new StringBuilder();
            text(e.text(), b);
            String text = tidy(b);
            add(out, markdown ? escapeLineStarts(text) : text);
            return;
        }
        String tag = e.normalName();
        switch (tag) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                StringBuilder b = new StringBuilder();
                inlineChildren(e, b);
                String text = oneLine(tidy(b));
                if (!text.isEmpty()) {
                    add(out, markdown ? "#".repeat(tag.charAt(1) - '0') + " " + text : text);
                }
            }
            case "ul", "ol", "menu", "dir" -> list(e, tag.equals("ol"), out, depth);
            case "pre" -> code(e, out);
            case "blockquote" -> {
                List<String> inner = new ArrayList<>();
                indent += 2;
                blocks(e, inner, depth + 1);
                indent -= 2;
                if (!inner.isEmpty()) {
                    String text = String.join("\n\n", inner);
                    out.add(markdown ? prefixLines(text, "> ", ">") : text); // its blocks were counted
                }
            }
            case "hr" -> {
                if (markdown) {
                    add(out, RULE);
                }
            }
            case "table" -> table(e, out, depth);
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
            int width = !markdown ? 0 : ordered ? String.valueOf(number).length() + 2 : 2;
            indent += width;
            if (item.normalName().equals("li")) {
                blocks(item, inner, depth + 1);
            } else if (isBlock(item)) {
                block(item, inner, depth + 1);
            } else {
                StringBuilder b = new StringBuilder();
                inline(item, b);
                String text = tidy(b);
                if (!text.isEmpty()) {
                    add(inner, text);
                }
            }
            indent -= width;
            if (inner.isEmpty()) {
                continue;
            }
            loose = loose || paragraphs(item) > 1;
            String marker = !markdown ? "" : ordered ? (number++) + ". " : "- ";
            String body = String.join(loose ? "\n\n" : "\n", inner);
            items.add(markdown ? marker + indent(body, " ".repeat(marker.length())) : body);
        }
        if (!items.isEmpty()) {
            out.add(String.join(loose ? "\n\n" : "\n", items)); // its blocks were counted
        }
    }

    /** The paragraphs among an item's children. */
    private static int paragraphs(Element item) {
        int n = 0;
        for (Element child : item.children()) {
            if (child.normalName().equals("p")) {
                n++;
            }
        }
        return n;
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
        words += Chars.words(text);
        if (!markdown) {
            add(out, text);
            return;
        }
        String language = language(pre);
        Element code = pre.selectFirst(CODE);
        if (language == null && code != null) {
            language = language(code);
        }
        Element up = pre.parent();
        for (int i = 0; language == null && up != null && i < 2; i++, up = up.parent()) {
            language = named(WRAPPER_LANGUAGE, up.className());
        }
        String fence = "`".repeat(Math.max(3, longestRun(text, '`') + 1));
        add(out, fence + (language == null ? "" : language) + "\n" + text + "\n" + fence);
    }

    /** The longest run of {@code c} in {@code text}. */
    private static int longestRun(String text, char c) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /**
     * The language a code block's element names: {@code data-lang}, or a class such as {@code language-java},
     * {@code lang-js}, {@code brush: sql}, Sphinx's {@code highlight-python3} or GitHub's
     * {@code highlight-source-python}; none for the names of no language ({@code default}, {@code none}, ...).
     */
    private static String language(Element e) {
        String lang = e.attr("data-lang").toLowerCase(Locale.ROOT);
        if (!lang.isBlank() && lang.matches("[\\w+#.-]+") && !NO_LANGUAGE.contains(lang)) {
            return lang;
        }
        return named(LANGUAGE, e.className());
    }

    /** The first language the classes name by {@code pattern}, a name of no language skipped. */
    private static String named(Pattern pattern, String classes) {
        Matcher m = pattern.matcher(classes);
        while (m.find()) {
            String lang = m.group(1).toLowerCase(Locale.ROOT);
            if (lang.startsWith("source-")) {
                lang = lang.substring("source-".length());
            }
            if (!NO_LANGUAGE.contains(lang)) {
                return lang;
            }
        }
        return null;
    }

    private void table(Element table, List<String> out, int depth) {
        List<Element> rows = new ArrayList<>();
        boolean merged = false;
        for (Element row : table.select(ROW)) {
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
                    line.add(oneLine(tidy(b)));
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
        Element caption = table.selectFirst(CAPTION);
        if (caption != null && caption.closest("table") == table) {
            StringBuilder b = new StringBuilder();
            text(caption.text(), b);
            String text = tidy(b);
            if (!text.isEmpty()) {
                add(out, markdown ? escapeLineStarts(text) : text);
            }
        }
        if (!markdown || merged || width < 2) {
            for (List<String> line : cells) {
                String row = String.join(markdown ? " | " : "\t", line.stream().filter(s -> !s.isEmpty()).toList());
                add(out, markdown ? escapeLineStarts(row) : row);
            }
            return;
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            List<String> line = cells.get(r);
            b.append('|');
            for (int c = 0; c < width; c++) {
                String cell = c < line.size() ? line.get(c) : "";
                // a pipe ends a cell even in code: every one not escaped yet is
                b.append(' ').append(UNESCAPED_PIPE.matcher(cell).replaceAll("\\\\|")).append(" |");
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
            if (e != cell && BLOCK_IN_CELL.contains(e.normalName())) {
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
            text(t.getWholeText(), b);
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
                words += Chars.words(text);
                if (!text.isBlank()) {
                    if (!markdown) {
                        b.append(text);
                    } else {
                        String ticks = "`".repeat(longestRun(text, '`') + 1);
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
        String raw = a.attr("href");
        if (raw.startsWith("#") && Chars.words(text) == 0) {
            return; // a permalink to a heading or a definition: "¶", "#", "§", an icon
        }
        String href = markdown ? absolute(raw) : null;
        if (!markdown || text.isBlank() || href == null) {
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
        String src = absolute(img.attr("src"));
        for (String lazy : LAZY_SOURCES) {
            if (src != null) {
                break;
            }
            src = absolute(img.attr(lazy));
        }
        if (src == null) {
            return;
        }
        String alt = img.attr("alt").replaceAll("[\\s\\[\\]]+", " ").strip();
        b.append("![").append(alt).append("](").append(destination(src)).append(')');
    }

    /** The absolute, normalized http(s) URL of a link or image, its fragment kept; {@code null} when there is none. */
    private String absolute(String href) {
        if (href.isEmpty() || href.startsWith("data:")) {
            return null;
        }
        String url = links.resolve(href);
        int hash = href.indexOf('#');
        return url == null || hash < 0 || hash == href.length() - 1 ? url : url + href.substring(hash);
    }

    private static String destination(String url) {
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '(' || c == ')' || c == '<' || c == '>' || Character.isWhitespace(c)) {
                return "<" + url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">";
            }
        }
        return url;
    }

    /** Tidied text on one line: a {@code <br>} becomes a space (in a heading or a table's cell). */
    private String oneLine(String tidied) {
        return (markdown ? tidied.replace("\\\n", " ") : tidied).replace('\n', ' ');
    }

    /** Collapses whitespace (keeping the line breaks of {@code <br>}) and trims each line. */
    private String tidy(StringBuilder inline) {
        int n = inline.length();
        char[] in = new char[n];
        inline.getChars(0, n, in, 0);
        char[] out = new char[2 * n];
        int len = 0;
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = in[i];
            if (c == BREAK) {
                len = trimEnd(out, len);
                if (len > 0 && out[len - 1] != '\n') {
                    if (markdown) {
                        out[len++] = '\\';
                    }
                    out[len++] = '\n';
                }
                space = false;
            } else if (Chars.isSpace(c)) {
                space = true;
            } else {
                if (space && len > 0 && out[len - 1] != '\n') {
                    out[len++] = ' ';
                }
                space = false;
                out[len++] = c;
            }
        }
        len = trimEnd(out, len);
        while (len > 0 && (out[len - 1] == '\\' || out[len - 1] == '\n')) {
            len = trimEnd(out, len - 1);
        }
        int start = 0;
        while (start < len && out[start] == '\n') {
            start++;
        }
        return new String(out, start, len - start);
    }

    private static int trimEnd(char[] s, int len) {
        while (len > 0 && s[len - 1] == ' ') {
            len--;
        }
        return len;
    }

    /**
     * Appends a text node's text, with Markdown's special characters escaped, and counts its words, in one pass.
     */
    private void text(String text, StringBuilder b) {
        int n = text.length();
        int from = 0;
        boolean inWord = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean word = Chars.isWordChar(c);
            if (word && !inWord) {
                words++;
            }
            inWord = word;
            if (markdown && !word && c > ' ' && special(text, i, c)) {
                b.append(text, from, i).append('\\');
                from = i;
            }
        }
        b.append(text, from, n);
    }

    private static boolean special(String text, int i, char c) {
        return switch (c) {
            case '\\', '*', '`', '[', ']', '<', '|', '~' -> true;
            case '_' -> i == 0 || i == text.length() - 1 || !Chars.isWordChar(text.charAt(i - 1))
                    || !Chars.isWordChar(text.charAt(i + 1));
            default -> false;
        };
    }

    /**
     * Escapes what would make a line of a paragraph start a block: {@code #}, {@code >}, {@code +}, {@code =},
     * {@code -}, and digits followed by {@code .} or {@code )}.
     */
    private static String escapeLineStarts(String text) {
        StringBuilder b = null;
        int copied = 0;
        for (int line = 0; line < text.length(); ) {
            int i = line;
            char c = text.charAt(i);
            int mark = -1;
            if (c == '#' || c == '>' || c == '+' || c == '=' || c == '-') {
                mark = i;
            } else if (c >= '0' && c <= '9') {
                int j = i;
                while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                    j++;
                }
                if (j < text.length() && (text.charAt(j) == '.' || text.charAt(j) == ')')) {
                    mark = j;
                }
            }
            if (mark >= 0) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 8);
                }
                b.append(text, copied, mark).append('\\');
                copied = mark;
            }
            int next = text.indexOf('\n', line);
            line = next < 0 ? text.length() : next + 1;
        }
        return b == null ? text : b.append(text, copied, text.length()).toString();
    }

    private static String indent(String text, String pad) {
        if (text.indexOf('\n') < 0) {
            return text;
        }
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
