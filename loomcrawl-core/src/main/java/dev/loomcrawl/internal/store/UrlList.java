package dev.loomcrawl.internal.store;

import dev.loomcrawl.internal.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of URLs as the store keeps it: one JSON array of strings in a column, so a page's links cost one row,
 * and SQL still reads them one by one with {@code json_each} (the {@code links} view does). A URL on the page's
 * own origin is kept as its path ({@code /a/b.html}), which halves what a crawl writes; the view puts the origin
 * back.
 */
final class UrlList {

    private UrlList() {}

    /** The URLs as a JSON array, those on {@code pageUrl}'s origin as their paths. */
    static String encode(String pageUrl, List<String> urls) {
        String origin = origin(pageUrl);
        StringBuilder b = new StringBuilder(urls.size() * 40 + 2).append('[');
        for (int i = 0; i < urls.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String url = urls.get(i);
            Json.string(b, url, isLocal(origin, url) ? origin.length() : 0);
        }
        return b.append(']').toString();
    }

    /** Those of {@code urls} on {@code pageUrl}'s origin, in order: the ones {@link #encode} keeps as paths. */
    static List<String> local(String pageUrl, List<String> urls) {
        String origin = origin(pageUrl);
        List<String> local = new ArrayList<>(urls.size());
        for (String url : urls) {
            if (isLocal(origin, url)) {
                local.add(url);
            }
        }
        return local;
    }

    private static boolean isLocal(String origin, String url) {
        return url.length() > origin.length() && url.charAt(origin.length()) == '/' && url.startsWith(origin);
    }

    /** Plain strings (anchor texts) as a JSON array. */
    static String strings(List<String> strings) {
        StringBuilder b = new StringBuilder(strings.size() * 16 + 2).append('[');
        for (int i = 0; i < strings.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            Json.string(b, strings.get(i));
        }
        return b.append(']').toString();
    }

    /** The scheme and authority of an absolute URL, such as {@code http://example.com:8080}. */
    static String origin(String url) {
        int authority = url.indexOf("://") + 3;
        int path = url.indexOf('/', authority);
        return path < 0 ? url : url.substring(0, path);
    }

    /**
     * The URLs {@link #encode} wrote for {@code pageUrl}, absolute again.
     *
     * @throws IllegalArgumentException when {@code json} is not an array of strings
     */
    static List<String> decode(String pageUrl, String json) {
        String origin = origin(pageUrl);
        List<String> out = new ArrayList<>();
        int i = skipSpace(json, expect(json, skipSpace(json, 0), '['));
        if (i < json.length() && json.charAt(i) == ']') {
            return out;
        }
        StringBuilder s = new StringBuilder();
        while (true) {
            i = expect(json, skipSpace(json, i), '"');
            s.setLength(0);
            while (true) {
                char c = at(json, i++);
                if (c == '"') {
                    break;
                }
                if (c != '\\') {
                    s.append(c);
                    continue;
                }
                char e = at(json, i++);
                switch (e) {
                    case '"', '\\', '/' -> s.append(e);
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'u' -> {
                        if (i + 4 > json.length()) {
                            throw malformed(json);
                        }
                        s.append((char) Integer.parseInt(json, i, i + 4, 16));
                        i += 4;
                    }
                    default -> throw malformed(json);
                }
            }
            out.add(s.length() > 0 && s.charAt(0) == '/' ? origin + s : s.toString());
            i = skipSpace(json, i);
            char next = at(json, i++);
            if (next == ']') {
                return out;
            }
            if (next != ',') {
                throw malformed(json);
            }
        }
    }

    private static int expect(String json, int i, char c) {
        if (at(json, i) != c) {
            throw malformed(json);
        }
        return i + 1;
    }

    private static char at(String json, int i) {
        if (i >= json.length()) {
            throw malformed(json);
        }
        return json.charAt(i);
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    private static IllegalArgumentException malformed(String json) {
        return new IllegalArgumentException("not a JSON array of strings: "
                + (json.length() > 80 ? json.substring(0, 80) + "..." : json));
    }
}
