package dev.loomcrawl.internal.content;

import java.util.List;

/**
 * A set of lower-case words, any of which found in a class or id name makes the name match: Readability's name
 * lists. Each word is looked for with {@link String#contains} in the lower-cased name, a scan linear in the name
 * for each word, whatever the name holds. Immutable.
 */
record Keywords(List<String> words) {

    static Keywords of(String... words) {
        return new Keywords(List.of(words));
    }

    /** Whether {@code lowerCaseName} contains one of the words. */
    boolean in(String lowerCaseName) {
        for (String w : words) {
            if (lowerCaseName.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
