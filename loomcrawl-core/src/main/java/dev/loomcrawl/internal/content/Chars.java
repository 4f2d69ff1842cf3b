package dev.loomcrawl.internal.content;

/** What a character is to the extractor, decided for ASCII without a table lookup. Stateless. */
final class Chars {

    private Chars() {}

    /**
     * Whitespace, as {@link Character#isWhitespace} says, the no-break space, and the invisible characters pages
     * use as spacers: the zero-width space, the word joiner and the byte order mark. The zero-width (non-)joiners
     * are not: emoji and several scripts need them.
     */
    static boolean isSpace(char c) {
        if (c <= ' ') {
            return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == 0x0b
                    || (c >= 0x1c && c <= 0x1f);
        }
        return c >= 0x80 && (c == '\u00a0' || c == '\u200b' || c == '\u2060' || c == '\ufeff'
                || Character.isWhitespace(c));
    }

    /** A letter or digit: what words are made of. */
    static boolean isWordChar(char c) {
        if (c < 0x80) {
            int lower = c | 0x20;
            return (lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9');
        }
        return Character.isLetterOrDigit(c);
    }

    /** The number of words: runs of letters and digits. */
    static int words(CharSequence text) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            boolean w = isWordChar(text.charAt(i));
            if (w && !in) {
                n++;
            }
            in = w;
        }
        return n;
    }
}
