package dev.loomcrawl.internal.links;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides how the bytes of an HTML page are decoded, in the order the HTML standard sniffs: a byte order mark,
 * then the {@code charset} of the Content-Type header, then a {@code <meta charset>} or
 * {@code <meta http-equiv="content-type">} in the first 1024 bytes, else UTF-8. Labels are read as the WHATWG
 * Encoding standard reads them (latin1 and ASCII mean windows-1252; a meta that claims UTF-16 means UTF-8).
 * Invalid bytes are later replaced, never fatal. Stateless.
 */
public final class HtmlCharset {

    private static final int PRESCAN_BYTES = 1024;
    private static final List<String> META = List.of("meta");
    private static final String ASCII_PROBE = "<!-- </a href=\"x\" rel='y'> & ; # -->\n\t abcxyzABCXYZ0189";
    private static final Map<Charset, Boolean> ASCII_COMPATIBLE = new ConcurrentHashMap<>();

    private HtmlCharset() {}

    /** The charset to decode {@code body} with, given the response's Content-Type header (may be null). */
    public static Charset detect(byte[] body, int length, String contentType) {
        Charset bom = fromBom(body, length);
        if (bom != null) {
            return bom;
        }
        Charset header = fromContentType(contentType);
        if (header != null) {
            return header;
        }
        Charset meta = fromMeta(body, length);
        return meta != null ? meta : StandardCharsets.UTF_8;
    }

    /**
     * Whether the charset encodes ASCII as ASCII, one byte a character, so that HTML markup can be scanned in its
     * bytes (UTF-8, windows-1252, the ISO-8859 family, ...; not UTF-16 or ISO-2022).
     */
    static boolean isAsciiCompatible(Charset charset) {
        return ASCII_COMPATIBLE.computeIfAbsent(charset, c -> c.canEncode()
                && java.util.Arrays.equals(ASCII_PROBE.getBytes(c), ASCII_PROBE.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The length of a byte order mark at the start of the body: 3 (UTF-8), 2 (UTF-16) or 0. */
    static int bomLength(byte[] b, int n) {
        if (n >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            return 3;
        }
        if (n >= 2 && (((b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) || ((b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE))) {
            return 2;
        }
        return 0;
    }

    private static Charset fromBom(byte[] b, int n) {
        return switch (bomLength(b, n)) {
            case 3 -> StandardCharsets.UTF_8;
            case 2 -> (b[0] & 0xff) == 0xFE ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE;
            default -> null;
        };
    }

    /** The charset named by a Content-Type value such as {@code text/html; charset="ISO-8859-1"}, or null. */
    static Charset fromContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset");
        if (at < 0) {
            return null;
        }
        int i = at + "charset".length();
        while (i < contentType.length() && contentType.charAt(i) == ' ') {
            i++;
        }
        if (i >= contentType.length() || contentType.charAt(i) != '=') {
            return null;
        }
        String label = contentType.substring(i + 1).trim();
        int end = 0;
        if (label.startsWith("\"") || label.startsWith("'")) {
            char q = label.charAt(0);
            int close = label.indexOf(q, 1);
            label = close < 0 ? label.substring(1) : label.substring(1, close);
        } else {
            while (end < label.length() && label.charAt(end) != ';' && label.charAt(end) != ' ') {
                end++;
            }
            label = label.substring(0, end);
        }
        return forLabel(label);
    }

    private static Charset fromMeta(byte[] body, int length) {
        String head = new String(body, 0, Math.min(length, PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
        Charset[] found = new Charset[1];
        HtmlScanner.scan(head, null, 0, null, META, (name, attributes, start, end) -> {
            if (found[0] != null) {
                return;
            }
            String charset = attributes.value("charset");
            if (charset != null) {
                found[0] = forMetaLabel(charset);
                return;
            }
            String equiv = attributes.value("http-equiv");
            if (equiv != null && equiv.trim().equalsIgnoreCase("content-type")) {
                Charset c = fromContentType(attributes.value("content"));
                if (c != null) {
                    found[0] = forMetaLabel(c.name());
                }
            }
        });
        return found[0];
    }

    private static Charset forMetaLabel(String label) {
        Charset c = forLabel(label);
        return c != null && c.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : c;
    }

    /** A charset for a label as the WHATWG Encoding standard maps the common ones, or null when unknown. */
    static Charset forLabel(String label) {
        String l = label.trim().toLowerCase(Locale.ROOT);
        switch (l) {
            case "latin1", "iso-8859-1", "iso8859-1", "l1", "ascii", "us-ascii", "iso_8859-1", "cp1252", "x-cp1252":
                return Charset.forName("windows-1252");
            case "utf8", "unicode-1-1-utf-8":
                return StandardCharsets.UTF_8;
            default:
                break;
        }
        try {
            return Charset.forName(l);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
