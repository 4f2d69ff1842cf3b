package dev.loomcrawl.internal.links;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.parser.Parser;

/** The attributes of one start tag, in source order; the first of duplicate names wins. Not thread-safe. */
final class Attributes {

    private final List<String> namesAndValues = new ArrayList<>(8);
    private final Charset bytesCharset;

    /** @param bytesCharset null when values are text; else the encoding of values held one char per byte */
    Attributes(Charset bytesCharset) {
        this.bytesCharset = bytesCharset;
    }

    void add(String name, String rawValue) {
        if (rawValue(name) == null) {
            namesAndValues.add(name);
            namesAndValues.add(rawValue);
        }
    }

    /** The value with character references decoded as in an attribute, or {@code null} when absent. */
    String value(String name) {
        String raw = rawValue(name);
        if (raw == null) {
            return null;
        }
        return decoded(raw, bytesCharset, true);
    }

    /**
     * Source text as a reader sees it: decoded from the page's bytes when it was read as Latin-1 over them
     * ({@code bytesCharset}, or {@code null} when it is already text), character references resolved as in an
     * attribute value or as in text.
     */
    static String decoded(String source, Charset bytesCharset, boolean inAttribute) {
        if (bytesCharset != null && !isAscii(source)) {
            source = new String(source.getBytes(StandardCharsets.ISO_8859_1), bytesCharset);
        }
        return source.indexOf('&') < 0 ? source : Parser.unescapeEntities(source, inAttribute);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private String rawValue(String name) {
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (namesAndValues.get(i).equals(name)) {
                return namesAndValues.get(i + 1);
            }
        }
        return null;
    }
}
