package dev.loomcrawl.internal.links;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a fragment points at something on a page, as the HTML standard finds a fragment's indicated part: an
 * empty fragment is the top of the page; else an element whose {@code id} (or an {@code a} whose {@code name}) is
 * the fragment as written, or failing that the fragment percent-decoded as UTF-8; else {@code top} in any case is
 * the top of the page. A text fragment directive ({@code :~:text=...}) is not part of the id. Stateless.
 */
public final class Anchors {

    private Anchors() {}

    /** Whether {@code fragment} (as written after the {@code #}) indicates a part of a page with {@code anchors}. */
    public static boolean indicates(String fragment, Set<String> anchors) {
        int directive = fragment == null ? -1 : fragment.indexOf(":~:");
        if (directive >= 0) {
            fragment = fragment.substring(0, directive); // a text fragment directive (#:~:text=...) is not an id
        }
        if (fragment == null || fragment.isEmpty() || anchors.contains(fragment)) {
            return true;
        }
        String decoded = fragment.indexOf('%') < 0 ? fragment : percentDecoded(fragment);
        return anchors.contains(decoded) || decoded.toLowerCase(Locale.ROOT).equals("top");
    }

    /** Percent-escapes decoded to bytes and the bytes read as UTF-8; a {@code %} not followed by two hex digits stays. */
    static String percentDecoded(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            int hi = i + 2 < utf8.length && utf8[i] == '%' ? Character.digit(utf8[i + 1], 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(utf8[i + 2], 16);
            if (lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(utf8[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
