package dev.loomcrawl.internal.links;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decides whether a response is HTML to parse: by its Content-Type, or by a look at its first bytes when it has
 * none, as browsers sniff (WHATWG MIME Sniffing). A body labeled HTML that holds binary bytes near its start
 * (a mislabeled image or archive) is not parsed. Stateless.
 */
public final class ContentSniffer {

    /** How far the sniffing looks, as in the WHATWG standard. */
    private static final int SNIFF_BYTES = 1445;

    private ContentSniffer() {}

    /** Whether the body is HTML worth scanning for links. */
    public static boolean isHtml(String contentType, byte[] body, int length) {
        int n = Math.min(length, SNIFF_BYTES);
        if (contentType != null) {
            String ct = contentType.trim().toLowerCase(Locale.ROOT);
            boolean labeled = ct.startsWith("text/html") || ct.startsWith("application/xhtml+xml");
            // UTF-16 text is full of zero bytes: only a page in an ASCII-compatible encoding is checked
            boolean utf16 = HtmlCharset.bomLength(body, length) == 2 || ct.contains("utf-16");
            return labeled && (utf16 || !hasBinaryBytes(body, n));
        }
        String head = new String(body, 0, Math.min(n, 512), StandardCharsets.ISO_8859_1).stripLeading()
                .toLowerCase(Locale.ROOT);
        return !hasBinaryBytes(body, n) && (head.startsWith("<!doctype html") || head.startsWith("<html")
                || head.startsWith("<head") || head.startsWith("<body") || head.startsWith("<a "));
    }

    /** The WHATWG binary data bytes: controls other than tab, newlines, form feed and escape. */
    private static boolean hasBinaryBytes(byte[] body, int n) {
        for (int i = 0; i < n; i++) {
            int b = body[i] & 0xff;
            if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F)) {
                return true;
            }
        }
        return false;
    }
}
