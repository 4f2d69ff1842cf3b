package dev.loomcrawl.internal.fetch;

import java.util.List;

/**
 * Response header fields in the order received; names compare case-insensitively.
 *
 * @param namesAndValues name, value, name, value, ...
 */
public record Headers(List<String> namesAndValues) {

    public static final Headers EMPTY = new Headers(List.of());

    public Headers {
        namesAndValues = List.copyOf(namesAndValues);
        if (namesAndValues.size() % 2 != 0) {
            throw new IllegalArgumentException("headers come in name/value pairs");
        }
    }

    /** The first value of the named field, or {@code null}. */
    public String first(String name) {
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                return namesAndValues.get(i + 1);
            }
        }
        return null;
    }

    /** Every value of the named field, in order. */
    public List<String> all(String name) {
        List<String> values = new java.util.ArrayList<>(1);
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                values.add(namesAndValues.get(i + 1));
            }
        }
        return values;
    }
}
