package dev.loomcrawl.links;

import java.util.ArrayList;
import java.util.List;
import org.jsoup.parser.Parser;

/** The attributes of one start tag, in source order; the first of duplicate names wins. Not thread-safe. */
final class Attributes {

    private final List<String> namesAndValues = new ArrayList<>(8);

    void add(String name, String rawValue) {
        if (rawValue(name) == null) {
            namesAndValues.add(name);
            namesAndValues.add(rawValue);
        }
    }

    /** The value with character references decoded as in an attribute, or {@code null} when absent. */
    String value(String name) {
        String raw = rawValue(name);
        if (raw == null || raw.indexOf('&') < 0) {
            return raw;
        }
        return Parser.unescapeEntities(raw, true);
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
