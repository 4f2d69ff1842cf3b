package dev.loomcrawl.internal.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Evaluator;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.jsoup.select.QueryParser;

/**
 * Finds the element that holds a page's main content, and cleans it. The approach is Readability's, with
 * boilerpipe's link and text density and a few of trafilatura's rules:
 * <ol>
 *   <li>what is never content goes first: scripts, styles, forms' controls, hidden elements, navigation, and
 *       elements whose class, id or role say boilerplate (menus, share bars, comments, related lists,
 *       banners);</li>
 *   <li>each paragraph of 25 characters or more scores by its length and commas, and gives its score to its
 *       ancestors, less with each level; an ancestor's score is weighed by its class and id and cut by its link
 *       density;</li>
 *   <li>the best ancestor is the content, with those of its siblings that score near it or read as prose; when the
 *       page's JSON-LD carries the article's text, the element whose paragraphs it quotes wins instead;</li>
 *   <li>inside the content, blocks that look like boilerplate (mostly links, more images or list items than text,
 *       few words beside a negative class) are dropped.</li>
 * </ol>
 * Every pass is a walk of the tree without recursion, and text lengths are counted once, in one walk; the tests
 * of a candidate's subtree (its paragraphs, its links) repeat once per ancestor tested. Not thread-safe: one
 * instance per page.
 */
final class MainContent {

    private static final Set<String> NEVER_CONTENT = Set.of("script", "style", "noscript", "template", "svg",
            "canvas", "iframe", "object", "embed", "button", "input", "select", "textarea", "option", "link", "meta",
            "dialog", "map", "audio", "video", "source", "track", "head", "title", "base", "frame", "frameset", "label");
    private static final Set<String> SECTIONING_BOILERPLATE = Set.of("nav", "aside", "footer", "header", "menu");
    private static final Set<String> BOILERPLATE_ROLES = Set.of("navigation", "menu", "menubar", "complementary",
            "alert", "alertdialog", "dialog", "banner", "contentinfo", "search", "toolbar", "tablist");
    private static final Keywords UNLIKELY = Keywords.of("-ad-", "ai2html", "banner", "breadcrumb", "combx",
            "comment", "community", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu",
            "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor",
            "submitted", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote", "share",
            "sharing", "newsletter", "subscri", "cookie", "consent", "promo", "signup", "sign-up", "toolbar", "skip-link",
            "skiplink", "sr-only", "visually-hidden", "screen-reader", "recommend", "trending", "most-popular",
            "mostpopular", "outbrain", "taboola", "paywall", "modal", "overlay", "byline", "author-bio", "tag-list",
            "taglist", "print-only", "nocontent", "no-content", "gallery", "slideshow", "carousel");
    /** Names of what sits beside an article and holds paragraphs of its own: comments, related stories. */
    private static final Keywords BESIDE = Keywords.of("comment", "disqus", "respond", "replies", "related",
            "recommend", "taboola", "outbrain", "newsletter", "more-stories", "read-more", "readmore", "also-read",
            "trending");
    private static final Keywords MAYBE = Keywords.of("and", "article", "body", "column", "content", "main",
            "shadow", "story", "post-text", "entry", "prose", "markdown", "rich-text", "richtext", "embed");
    private static final Keywords POSITIVE = Keywords.of("article", "body", "content", "entry", "hentry", "h-entry",
            "main", "page", "post", "text", "blog", "story", "prose", "markdown");
    /** Readability's negative names; a class or id that is the word {@code hid} is one too. */
    private static final Keywords NEGATIVE = Keywords.of("-ad-", "hidden", "banner", "combx", "comment", "com-",
            "contact", "footer", "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll",
            "share", "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget", "caption",
            "credit", "byline", "author", "newsletter", "subscri", "social", "nav", "breadcrumb", "teaser", "recirc",
            "rail", "dateline", "timestamp", "published", "updated", "date", "copyright", "disclaimer", "photo",
            "image-credit", "wp-caption");
    private static final Evaluator ARTICLE_OR_MAIN = QueryParser.parse("article, main");
    private static final Evaluator CELL = QueryParser.parse("td");
    private static final Evaluator TABLE = QueryParser.parse("table");
    private static final Evaluator HEADING_OR_BODY = QueryParser.parse("h1, [itemprop=articleBody]");
    private static final Pattern HIDDEN_STYLE = Pattern.compile("display\\s*:\\s*none|visibility\\s*:\\s*hidden",
            Pattern.CASE_INSENSITIVE);
    /** The text besides code an element holds before a content-like name or tag adds to its score. */
    private static final int MIN_PROMISED_CHARS = 100;
    /** The words of a paragraph's start looked up in the JSON-LD article body. */
    private static final int PROBE_WORDS = 6;
    private static final Set<String> CODE = Set.of("pre", "code", "kbd", "samp", "tt");
    private static final Set<String> SCORED = Set.of("p", "pre", "td", "blockquote", "h2", "h3", "h4", "h5", "h6",
            "section");
    private static final Set<String> INLINE_FORMATTING = Set.of("a", "b", "strong", "i", "em", "code", "sup", "sub",
            "abbr", "q", "mark", "u", "s", "del", "ins", "kbd", "var", "cite", "dfn");
    private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "dd", "div", "dl",
            "dt", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
            "main", "nav", "ol", "p", "pre", "section", "table", "ul", "details", "figcaption", "tr", "td", "th");

    /** Per-element counts, made by one walk. */
    private static final class Counts {
        int chars;
        int linkChars;
        int commas;
        /** Characters of the text inside code ({@code pre}, {@code code}, ...). */
        int codeChars;
        /** Characters and commas of the text directly inside, and inside inline children: a paragraph without a tag. */
        int ownChars;
        int ownCommas;
        double score;
        boolean candidate;
    }

    private static final int UNLIKELY_BIT = 1;
    private static final int BESIDE_BIT = 2;
    private static final int MAYBE_BIT = 4;
    private static final int POSITIVE_BIT = 8;
    private static final int NEGATIVE_BIT = 16;

    private final Map<Element, Counts> counts = new IdentityHashMap<>();
    /** What the name patterns say of each class or id string met on the page: pages repeat their class names. */
    private final Map<String, Integer> nameBits = new HashMap<>();

    private int names(String name) {
        if (name.isEmpty()) {
            return 0;
        }
        Integer known = nameBits.get(name);
        if (known != null) {
            return known;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        int bits = (UNLIKELY.in(lower) ? UNLIKELY_BIT : 0) | (BESIDE.in(lower) ? BESIDE_BIT : 0)
                | (MAYBE.in(lower) ? MAYBE_BIT : 0) | (POSITIVE.in(lower) ? POSITIVE_BIT : 0)
                | (NEGATIVE.in(lower) || hasWord(lower, "hid") ? NEGATIVE_BIT : 0);
        nameBits.put(name, bits);
        return bits;
    }

    /** Whether {@code word} is one of the space-separated words of {@code names}. */
    private static boolean hasWord(String names, String word) {
        for (int i = names.indexOf(word); i >= 0; i = names.indexOf(word, i + 1)) {
            if ((i == 0 || names.charAt(i - 1) == ' ') && (i + word.length() == names.length()
                    || names.charAt(i + word.length()) == ' ')) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #prune} removes. */
    enum Pruning {
        /**
         * What is never content (scripts, forms, hidden elements),
         * and what reads as boilerplate by its role, tag or names.
         */
        BOILERPLATE,
        /** Only what is never content: for a page whose content bears names that read as boilerplate. */
        NEVER_CONTENT
    }

    /** Removes from {@code body} what {@code pruning} says. */
    void prune(Element body, Pruning pruning) {
        removeBelow(body, e -> never(e, pruning));
    }

    /** Removes the elements below {@code root} that {@code doomed} picks, without looking inside those it picks. */
    private static void removeBelow(Element root, Predicate<Element> doomed) {
        List<Element> picked = new ArrayList<>();
        NodeTraversor.filter(new NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof Element e && e != root && doomed.test(e)) {
                    picked.add(e);
                    return FilterResult.SKIP_ENTIRELY;
                }
                return FilterResult.CONTINUE;
            }
        }, root);
        for (Element e : picked) {
            e.remove();
        }
    }

    private boolean never(Element e, Pruning pruning) {
        String tag = e.normalName();
        if (NEVER_CONTENT.contains(tag)) {
            return true;
        }
        if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))
                || (e.hasAttr("style") && HIDDEN_STYLE.matcher(e.attr("style")).find())) {
            return true;
        }
        if (pruning == Pruning.NEVER_CONTENT) {
            return false;
        }
        String role = e.attr("role").toLowerCase(Locale.ROOT);
        if (!role.isEmpty() && BOILERPLATE_ROLES.contains(role)) {
            return true;
        }
        if (tag.equals("body") || tag.equals("html") || tag.equals("article") || tag.equals("main")
                || tag.equals("a") || tag.equals("table") || tag.equals("tbody") || tag.equals("tr")
                || tag.equals("td") || tag.equals("th") || tag.equals("code") || tag.equals("pre")) {
            return false;
        }
        if (SECTIONING_BOILERPLATE.contains(tag)) {
            return e.selectFirst(ARTICLE_OR_MAIN) == null && paragraphsOf(e) < 3;
        }
        int bits = names(e.className()) | names(e.id());
        if ((bits & BESIDE_BIT) != 0 && (bits & MAYBE_BIT) == 0) {
            return e.selectFirst(HEADING_OR_BODY) == null;
        }
        return (bits & UNLIKELY_BIT) != 0 && (bits & MAYBE_BIT) == 0
                && e.selectFirst(ARTICLE_OR_MAIN) == null && paragraphsOf(e) < 3;
    }

    private static int paragraphsOf(Element e) {
        int n = 0;
        for (Element p : e.getElementsByTag("p")) {
            if (p.textNodes().stream().mapToInt(t -> t.text().length()).sum() >= 80 && ++n >= 3) {
                break;
            }
        }
        return n;
    }

    /** The element holding the main content of {@code body}, pruned first; {@code body} itself when none stands out. */
    Element find(Element body, String jsonLdBody) {
        count(body);
        Element quoted = jsonLdBody == null || jsonLdBody.length() < 250 ? null : quotedBy(body, jsonLdBody);
        if (quoted != null) {
            return quoted;
        }
        List<Element> candidates = new ArrayList<>();
        for (Element e : body.getAllElements()) {
            Counts c = counts.get(e);
            if (c == null) {
                continue;
            }
            int chars;
            int commas;
            Element ancestor;
            if (isScored(e)) {
                chars = c.chars;
                commas = c.commas;
                ancestor = e.parent();
            } else if (c.ownChars >= 25 && c.ownChars < c.chars && e != body) {
                chars = c.ownChars;
                commas = c.ownCommas;
                ancestor = e;
            } else {
                continue;
            }
            if (chars < 25) {
                continue;
            }
            double points = 1 + commas + Math.min(chars / 100, 3);
            for (int level = 0; ancestor != null && level < 5; level++, ancestor = ancestor.parent()) {
                Counts a = counts.get(ancestor);
                if (a == null) {
                    break;
                }
                if (!a.candidate) {
                    a.candidate = true;
                    a.score = initialScore(ancestor);
                    candidates.add(ancestor);
                }
                a.score += points / (level == 0 ? 1 : level == 1 ? 2 : level * 3);
                if (ancestor == body) {
                    break;
                }
            }
        }
        Element top = null;
        double topScore = 0;
        for (Element e : candidates) {
            Counts c = counts.get(e);
            c.score *= 1 - linkDensity(e);
            if (top == null || c.score > topScore) {
                top = e;
                topScore = c.score;
            }
        }
        if (top == null) {
            return body;
        }
        top = outOfDataTable(top, body);
        top = sharedAncestor(top, candidates, body);
        top = climb(top, body);
        top = withChunks(top, body);
        return withSiblings(top, body);
    }

    /**
     * For a data table (three rows or more, each with a cell of its first cell's class, or of the first row's width
     * when that cell has none) that is the top candidate, holds it, or is nearly all of it: the nearest ancestor
     * of the table that holds more than it (the text around the table). One cell of a reference table is not the
     * page's content, nor is the table without what introduces it. A cell of a table laid out as a page stays as
     * it is.
     */
    private Element outOfDataTable(Element top, Element body) {
        Element table = tableOf(top, body);
        Element cell = table == null ? null : table.selectFirst(CELL);
        Counts inTable = table == null ? null : counts.get(table);
        if (cell == null || cell.parent() == null || inTable == null) {
            return top;
        }
        String cls = cell.className();
        int width = cell.parent().childrenSize();
        int alike = 0;
        for (Element row : table.getElementsByTag("tr")) {
            boolean like = false;
            for (Element c : row.children()) {
                if (cls.isBlank() ? row.childrenSize() == width && width > 1 : c.className().equals(cls)) {
                    like = true;
                    break;
                }
            }
            if (like && ++alike >= 3) {
                break;
            }
        }
        if (alike < 3) {
            return top;
        }
        Element holder = table;
        for (Element a = table.parent(); a != null && a != body; a = a.parent()) {
            holder = a;
            Counts c = counts.get(a);
            if (c == null || c.chars > inTable.chars + Math.max(100, inTable.chars / 10)) {
                break;
            }
        }
        return holder;
    }

    /** The table {@code top} is, lies in (a cell, three levels up at most), or is nearly all of; else null. */
    private Element tableOf(Element top, Element body) {
        switch (top.normalName()) {
            case "table", "tbody", "thead", "tr" -> {
                return top.closest("table");
            }
            default -> { }
        }
        Element cell = top;
        for (int i = 0; i < 3 && cell != null && cell != body; i++, cell = cell.parent()) {
            if (cell.normalName().equals("td") || cell.normalName().equals("th")) {
                return cell.closest("table");
            }
        }
        Element inside = top.selectFirst(TABLE);
        Counts all = counts.get(top);
        Counts table = inside == null ? null : counts.get(inside);
        return table != null && all != null && table.chars >= 0.9 * all.chars ? inside : null;
    }

    /**
     * The nearest ancestor of {@code top} that also holds three candidates scoring near it: an article cut into
     * chunks, each its own block among ads.
     */
    private Element sharedAncestor(Element top, List<Element> candidates, Element body) {
        if (top == body) {
            return top;
        }
        double topScore = counts.get(top).score;
        List<Element> near = new ArrayList<>();
        for (Element e : candidates) {
            if (e != top && counts.get(e).score >= 0.75 * topScore) {
                near.add(e);
            }
        }
        if (near.size() < 3) {
            return top;
        }
        near.sort((a, b) -> Double.compare(counts.get(b).score, counts.get(a).score));
        List<Element> best = near.subList(0, Math.min(near.size(), 4));
        for (Element parent = top.parent(); parent != null && parent != body; parent = parent.parent()) {
            int inside = 0;
            for (Element e : best) {
                for (Element a = e.parent(); a != null; a = a.parent()) {
                    if (a == parent) {
                        inside++;
                        break;
                    }
                }
            }
            if (inside >= 3) {
                return parent;
            }
        }
        return top;
    }

    /**
     * The nearest ancestor of {@code top} and of the other elements of its tag and class that read as prose: the
     * chunks of an article cut apart by ads or embeds.
     */
    private Element withChunks(Element top, Element body) {
        String cls = top.className();
        if (cls.isBlank()) {
            return top;
        }
        Element common = top;
        for (Element e : body.getElementsByTag(top.normalName())) {
            if (e == top || !e.className().equals(cls)) {
                continue;
            }
            Counts c = counts.get(e);
            if (c != null && c.chars >= 200 && linkDensity(e) < 0.3) {
                common = commonAncestor(common, e);
            }
        }
        return common;
    }

    /** Moves up while the parent holds about as much score, or the candidate is its parent's only child. */
    private Element climb(Element top, Element body) {
        Counts topCounts = counts.get(top);
        double lastScore = topCounts.score;
        double threshold = lastScore / 3;
        Element parent = top.parent();
        while (parent != null && parent != body && parent.parent() != null) {
            Counts p = counts.get(parent);
            if (p == null || !p.candidate) {
                parent = parent.parent();
                continue;
            }
            if (p.score < threshold) {
                break;
            }
            if (p.score > lastScore) {
                top = parent;
                break;
            }
            lastScore = p.score;
            parent = parent.parent();
        }
        while (top.parent() != null && top.parent() != body && top.parent().childrenSize() == 1) {
            top = top.parent();
        }
        return top;
    }

    /** The top candidate, or a wrapper of it and the siblings that belong with it. */
    private Element withSiblings(Element top, Element body) {
        Element parent = top.parent();
        if (parent == null) {
            return top;
        }
        Counts topCounts = counts.get(top);
        double threshold = Math.max(10, topCounts.score * 0.2);
        List<Element> kept = new ArrayList<>();
        for (Element sibling : parent.children()) {
            if (sibling == top) {
                kept.add(sibling);
                continue;
            }
            Counts c = counts.get(sibling);
            if (c == null) {
                continue;
            }
            double bonus = !top.className().isEmpty() && top.className().equals(sibling.className())
                    ? topCounts.score * 0.2 : 0;
            boolean append = c.candidate && c.score + bonus >= threshold;
            // a paragraph, or a div that reads as one (inline content only), as Readability turns such divs into p
            if (!append && (sibling.normalName().equals("p")
                    || sibling.normalName().equals("div") && isScored(sibling))) {
                double density = linkDensity(sibling);
                append = (c.chars > 80 && density < 0.25)
                        || (c.chars > 0 && c.chars <= 80 && density == 0 && endsSentence(sibling.text()));
            }
            if (append) {
                kept.add(sibling);
            }
        }
        if (kept.size() == 1) {
            return top;
        }
        Element wrapper = new Element("div");
        for (Element e : kept) {
            wrapper.appendChild(e); // moved, not copied: their counts stay theirs
        }
        return wrapper;
    }

    private static boolean endsSentence(String text) {
        String t = text.strip();
        return !t.isEmpty() && ".!?".indexOf(t.charAt(t.length() - 1)) >= 0;
    }

    /**
     * The element whose paragraphs the JSON-LD article body quotes: the nearest common ancestor of the paragraphs
     * found in it, when they cover half of it; {@code null} otherwise.
     */
    private Element quotedBy(Element body, String jsonLdBody) {
        String quoted = words(jsonLdBody);
        // every run of PROBE_WORDS words of the quoted body, hashed: a paragraph is quoted when its first run is
        // among them, found in constant time whatever the sizes of the two
        long[] quotedWords = wordHashes(quoted);
        Set<Long> runs = new HashSet<>();
        for (int i = 0; i + PROBE_WORDS <= quotedWords.length; i++) {
            runs.add(runHash(quotedWords, i));
        }
        Element common = null;
        int covered = 0;
        for (Element p : body.getElementsByTag("p")) {
            String text = words(p.text());
            long[] words = text.length() < 40 ? new long[0] : wordHashes(text);
            if (words.length >= PROBE_WORDS && runs.contains(runHash(words, 0))) {
                covered += text.length();
                common = common == null ? p.parent() : commonAncestor(common, p);
            }
        }
        if (common == null || covered < quoted.length() / 2) {
            return null;
        }
        return common;
    }

    /** The hash of each word of text made by {@link #words}. */
    private static long[] wordHashes(String words) {
        if (words.isBlank()) {
            return new long[0];
        }
        String[] split = words.strip().split(" ");
        long[] hashes = new long[split.length];
        for (int i = 0; i < split.length; i++) {
            hashes[i] = split[i].hashCode();
        }
        return hashes;
    }

    private static long runHash(long[] words, int from) {
        long h = 1;
        for (int i = from; i < from + PROBE_WORDS; i++) {
            h = h * 1_000_003L + words[i];
        }
        return h;
    }

    /** A title without the site's name after its last separator ("Page | Site", "Page — Site"). */
    private static String withoutSiteName(String title) {
        int cut = -1;
        for (String separator : List.of(" | ", " - ", " — ", " – ", " :: ", " · ", " » ")) {
            cut = Math.max(cut, title.lastIndexOf(separator));
        }
        return cut > 0 ? title.substring(0, cut) : title;
    }

    private static String words(String text) {
        StringBuilder b = new StringBuilder(text.length());
        boolean space = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toLowerCase(c));
                space = false;
            } else if (!space) {
                b.append(' ');
                space = true;
            }
        }
        return b.toString();
    }

    private static Element commonAncestor(Element a, Element b) {
        Set<Element> chain = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Element e = a; e != null; e = e.parent()) {
            chain.add(e);
        }
        for (Element e = b; e != null; e = e.parent()) {
            if (chain.contains(e)) {
                return e;
            }
        }
        return a;
    }

    /**
     * Drops the blocks of {@code content} that read as boilerplate: Readability's conditional cleaning of tables,
     * lists, divs and sections, and the heading that repeats the page's title. Called after {@link #find}, on what
     * it returned, whose counts it reuses: a block is judged by what it held before anything in it was dropped.
     */
    void clean(Element content, String title) {
        if (title != null) {
            String t = words(title);
            String own = words(withoutSiteName(title));
            for (Element h1 : content.getElementsByTag("h1")) {
                String h = words(h1.text());
                // the title repeated: its words, or most of those before the site's name
                if (!h.isBlank() && (t.contains(h) && h.length() * 2 >= own.length() || h.contains(t))) {
                    h1.remove();
                    break;
                }
            }
        }
        removeBelow(content, this::boilerplate);
    }

    private boolean boilerplate(Element e) {
        String tag = e.normalName();
        Counts c = counts.get(e);
        if (c == null) {
            return false;
        }
        int weight = classWeight(e);
        if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
            return weight < 0 && c.chars < 100;
        }
        if (tag.equals("figcaption") || tag.equals("time")) {
            return true;
        }
        if (weight < 0 && c.chars < 200 && c.commas < 3 && !hasProse(e) && !INLINE_FORMATTING.contains(tag)) {
            return true;
        }
        if (!(tag.equals("div") || tag.equals("section") || tag.equals("ul") || tag.equals("ol")
                || tag.equals("table") || tag.equals("form") || tag.equals("fieldset") || tag.equals("aside")
                || tag.equals("figure") || tag.equals("header") || tag.equals("footer") || tag.equals("p"))) {
            return false;
        }
        if (c.chars == 0) {
            return e.getElementsByTag("img").isEmpty();
        }
        if (c.commas >= 10) {
            return false;
        }
        boolean list = tag.equals("ul") || tag.equals("ol");
        double density = linkDensity(e);
        if (weight < 0 && c.chars < 200 && !hasProse(e)) {
            return true;
        }
        if (tag.equals("p")) {
            return density > 0.5 && c.chars < 200;
        }
        int paragraphs = e.getElementsByTag("p").size();
        int images = e.getElementsByTag("img").size();
        int items = e.getElementsByTag("li").size() - 100;
        if (tag.equals("figure")) {
            return false;
        }
        if (images > 1 && paragraphs < images / 2.0 && c.chars < 200) {
            return true;
        }
        if (!list && items > paragraphs) {
            return true;
        }
        if (!list && !tag.equals("table") && c.chars < 25 && (images == 0 || images > 2)
                && e.getElementsByTag("pre").isEmpty()) {
            return true;
        }
        if (weight < 25 && density > 0.33 && !(list && density < 0.5 && hasProse(e))) {
            return !(list && density < 0.9 && c.chars > 0 && allItemsProse(e));
        }
        return weight >= 25 && density > 0.5;
    }

    private boolean hasProse(Element e) {
        for (Element p : e.getElementsByTag("p")) {
            Counts c = counts.get(p);
            if (c != null && c.chars > 120) {
                return true;
            }
        }
        return false;
    }

    private boolean allItemsProse(Element list) {
        for (Element li : list.children()) {
            Counts c = counts.get(li);
            if (c == null || c.chars - c.linkChars < 40) {
                return false;
            }
        }
        return true;
    }

    private boolean isScored(Element e) {
        String tag = e.normalName();
        if (SCORED.contains(tag)) {
            return true;
        }
        if (!tag.equals("div")) {
            return false;
        }
        for (Element child : e.children()) {
            if (BLOCKS.contains(child.normalName())) {
                return false;
            }
        }
        return true;
    }

    private double initialScore(Element e) {
        double base = switch (e.normalName()) {
            case "div", "article", "main" -> 5;
            case "pre", "td", "blockquote" -> 3;
            case "address", "ol", "ul", "dl", "dd", "dt", "li", "form" -> -3;
            case "h1", "h2", "h3", "h4", "h5", "h6", "th" -> -5;
            default -> 0;
        };
        int weight = classWeight(e);
        Counts c = counts.get(e);
        // a name that promises content ("titlepage", "example-contents") earns nothing on an element with little
        // text besides code
        if (weight > 0 && c != null && c.chars - c.codeChars < MIN_PROMISED_CHARS) {
            weight = 0;
        }
        return base + weight;
    }

    private int classWeight(Element e) {
        int weight = 0;
        for (String name : new String[] {e.className(), e.id()}) {
            int bits = names(name);
            if ((bits & NEGATIVE_BIT) != 0) {
                weight -= 25;
            }
            if ((bits & POSITIVE_BIT) != 0) {
                weight += 25;
            }
        }
        if (e.normalName().equals("article") || e.normalName().equals("main")
                || e.attr("itemprop").equalsIgnoreCase("articleBody")) {
            weight += 25;
        }
        return weight;
    }

    private double linkDensity(Element e) {
        Counts c = counts.get(e);
        return c == null || c.chars == 0 ? 0 : (double) c.linkChars / c.chars;
    }

    /** Counts each element's text characters (whitespace runs as one), link text and commas, in one walk. */
    private void count(Element root) {
        NodeTraversor.traverse(new NodeVisitor() {
            /** The code elements the walk is inside. */
            private int inCode;

            @Override
            public void head(Node node, int depth) {
                if (node instanceof Element e && CODE.contains(e.normalName())) {
                    inCode++;
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e) {
                    if (CODE.contains(e.normalName())) {
                        inCode--;
                    }
                    Counts c = counts.computeIfAbsent(e, k -> new Counts());
                    if (e.normalName().equals("a")) {
                        c.linkChars = c.chars;
                    }
                    Element parent = e.parent();
                    if (parent != null && e != root) {
                        Counts p = counts.computeIfAbsent(parent, k -> new Counts());
                        p.chars += c.chars;
                        p.linkChars += c.linkChars;
                        p.commas += c.commas;
                        p.codeChars += c.codeChars;
                        if (!BLOCKS.contains(e.normalName())) {
                            p.ownChars += c.chars;
                            p.ownCommas += c.commas;
                        }
                    }
                } else if (node instanceof TextNode t && t.parent() instanceof Element parent) {
                    String s = t.getWholeText();
                    // commas in code are syntax, not the clauses of prose
                    boolean code = inCode > 0;
                    int chars = 0;
                    int commas = 0;
                    boolean space = true;
                    for (int i = 0; i < s.length(); i++) {
                        char ch = s.charAt(i);
                        if (Chars.isSpace(ch)) {
                            if (!space) {
                                chars++;
                                space = true;
                            }
                        } else {
                            chars++;
                            space = false;
                            if (!code && (ch == ',' || ch == '\uff0c' || ch == '\u3001' || ch == '\u060c')) {
                                commas++;
                            }
                        }
                    }
                    Counts p = counts.computeIfAbsent(parent, k -> new Counts());
                    p.chars += chars;
                    p.commas += commas;
                    if (code) {
                        p.codeChars += chars;
                    }
                    p.ownChars += chars;
                    p.ownCommas += commas;
                }
            }
        }, root);
    }
}
