package dev.loomcrawl.links;

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
        if (bytesCharset != null && !isAscii(raw)) {
            raw = new String(raw.getBytes(StandardCharsets.ISO_8859_1), bytesCharset);
        }
        return raw.indexOf('&') < 0 ? raw : Parser.unescapeEntities(raw, true);
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
