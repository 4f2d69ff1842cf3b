package dev.loomcrawl.internal.json;

/** JSON string escaping (RFC 8259), for the formats that write JSON by hand. */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** Appends {@code s} as a JSON string, or {@code null}. */
    public static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        string(b, s, 0);
    }

    /** Appends {@code s} from index {@code from} on as a JSON string: a part without a copy of its own. */
    public static void string(StringBuilder b, String s, int from) {
        b.append('"');
        if (plain(s, from)) { // most strings (URLs) need no escape: appended whole
            b.append(s, from, s.length()).append('"');
            return;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean plain(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
