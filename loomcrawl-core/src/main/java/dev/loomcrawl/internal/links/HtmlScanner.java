package dev.loomcrawl.internal.links;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;

/**
 * A streaming tokenizer that finds the start tags of interest in an HTML document without building a tree. It
 * follows the HTML tokenizer where it decides what is a tag: comments, doctypes, processing instructions and end
 * tags are skipped, and the content of raw-text and RCDATA elements ({@code script}, {@code style},
 * {@code textarea}, {@code title}, ...) is never read as markup. Attribute names are lower-cased; the first of
 * duplicate attributes wins; a tag cut off by the end of input is dropped, as browsers drop it.
 *
 * <p>It costs a fraction of a full parse because it only allocates for the tags it is asked about. Stateless.
 */
final class HtmlScanner {

    /** Receives each wanted start tag, and the end tags of wanted elements, in document order. */
    interface TagHandler {
        /** A start tag from {@code start} (its {@code <}) to {@code end} (after its {@code >}). */
        void tag(String name, Attributes attributes, int start, int end);

        /** An end tag of a wanted element, its {@code <} at {@code start}. */
        default void endTag(String name, int start) {
        }

        /** The text of a {@code style} element, {@code html[start, end)}, when every tag is wanted. */
        default void styleText(int start, int end) {
        }
    }

    /** Elements whose content is text up to their end tag, never markup; and plaintext, text to the end. */
    private static final List<String> SPECIAL = List.of(
            "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext");

    private HtmlScanner() {}

    /**
     * Calls {@code handler} for every start tag whose lower-case name is in {@code wanted}: names of link-bearing
     * or special elements ({@code a}, {@code area}, {@code base}, {@code frame}, {@code iframe}, {@code link},
     * {@code meta}, and the raw-text ones); other names are never reported. With {@code wanted} null, every start
     * tag is reported, and the end tags of the elements the scanner knows by name ({@code a} among them).
     *
     * @param html the document: text, or one char per byte of an ASCII-compatible encoding
     * @param bytes {@code null} when {@code html} is text; else the bytes {@code html} holds one char per byte,
     *     from {@code offset}, searched for tags faster than the string
     * @param bytesCharset with {@code bytes}, the encoding they are in, with which attribute values are decoded
     *     (markup is ASCII in every such encoding, so it scans the same)
     */
    static void scan(String html, byte[] bytes, int offset, Charset bytesCharset, List<String> wanted,
                     TagHandler handler) {
        int n = html.length();
        int pos = 0;
        while (pos < n) {
            int lt = bytes == null ? html.indexOf('<', pos) : ByteSearch.indexOf(bytes, (byte) '<', offset + pos, offset + n);
            if (bytes != null && lt >= 0) {
                lt -= offset;
            }
            if (lt < 0 || lt + 1 >= n) {
                return;
            }
            char c = html.charAt(lt + 1);
            if (c == '!') {
                pos = skipMarkupDeclaration(html, lt);
            } else if (c == '?') {
                pos = endOfBogusComment(html, lt + 2);
            } else if (c == '/') {
                if (lt + 2 < n && isAsciiLetter(html.charAt(lt + 2))) {
                    int nameEnd = lt + 2;
                    while (nameEnd < n && !isTagNameEnd(html.charAt(nameEnd))) {
                        nameEnd++;
                    }
                    String known = knownName(html, lt + 2, nameEnd);
                    if (known != null && (wanted == null || wanted.contains(known))) {
                        handler.endTag(known, lt);
                    }
                    pos = readTag(html, nameEnd, null);
                    if (pos < 0) {
                        return; // the end tag runs to the end of input
                    }
                } else if (lt + 2 < n && html.charAt(lt + 2) == '>') {
                    pos = lt + 3;
                } else {
                    pos = endOfBogusComment(html, lt + 2);
                }
            } else if (isAsciiLetter(c)) {
                int nameEnd = lt + 1;
                while (nameEnd < n && !isTagNameEnd(html.charAt(nameEnd))) {
                    nameEnd++;
                }
                // most tags are of no interest: name them without allocating
                String known = knownName(html, lt + 1, nameEnd);
                String name = wanted != null ? (known != null && wanted.contains(known) ? known : null)
                        : known != null ? known : html.substring(lt + 1, nameEnd).toLowerCase(Locale.ROOT);
                Attributes attributes = name != null ? new Attributes(bytesCharset) : null;
                pos = readTag(html, nameEnd, attributes);
                if (pos < 0) {
                    return; // the tag runs to the end of input
                }
                if (attributes != null) {
                    handler.tag(name, attributes, lt, pos);
                }
                if (known != null && SPECIAL.contains(known)) {
                    if (known.equals("plaintext")) {
                        return;
                    }
                    int textStart = pos;
                    pos = endOfRawText(html, pos, known);
                    if (wanted == null && known.equals("style")) {
                        handler.styleText(textStart, pos);
                    }
                }
            } else {
                pos = lt + 1;
            }
        }
    }

    /**
     * The lower-case constant for the tag name {@code html[start, end)} when it is one the scanner may need (a
     * link-bearing, raw-text or otherwise special element), else null. Compares by length and first letter
     * before any characters, so the common tags cost a switch.
     */
    private static String knownName(String html, int start, int end) {
        String candidate = switch (end - start) {
            case 1 -> "a";
            case 3 -> "xmp";
            case 4 -> switch (html.charAt(start) | 0x20) {
                case 'l' -> "link";
                case 'm' -> "meta";
                case 'b' -> "base";
                case 'a' -> "area";
                default -> null;
            };
            case 5 -> switch (html.charAt(start) | 0x20) {
                case 'f' -> "frame";
                case 's' -> "style";
                case 't' -> "title";
                default -> null;
            };
            case 6 -> switch (html.charAt(start) | 0x20) {
                case 'i' -> "iframe";
                case 's' -> "script";
                default -> null;
            };
            case 7 -> "noembed";
            case 8 -> switch (html.charAt(start) | 0x20) {
                case 'n' -> "noframes";
                case 't' -> "textarea";
                default -> null;
            };
            case 9 -> "plaintext";
            default -> null;
        };
        return candidate != null && html.regionMatches(true, start, candidate, 0, candidate.length()) ? candidate : null;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isTagNameEnd(char c) {
        return isSpace(c) || c == '/' || c == '>';
    }

    /** {@code <!-- comment -->}, {@code <!DOCTYPE ...>}, {@code <![CDATA[...]>} and other bogus comments. */
    private static int skipMarkupDeclaration(String html, int lt) {
        if (html.startsWith("<!--", lt)) {
            int from = lt + 4;
            if (html.startsWith(">", from)) {
                return from + 1; // <!--> is an empty comment
            }
            if (html.startsWith("->", from)) {
                return from + 2; // <!---> too
            }
            int end = html.indexOf("--", from);
            while (end >= 0) {
                if (html.startsWith("-->", end)) {
                    return end + 3;
                }
                if (html.startsWith("--!>", end)) {
                    return end + 4;
                }
                end = html.indexOf("--", end + 1);
            }
            return html.length();
        }
        return endOfBogusComment(html, lt + 2);
    }

    private static int endOfBogusComment(String html, int from) {
        int gt = html.indexOf('>', from);
        return gt < 0 ? html.length() : gt + 1;
    }

    /** Finds the matching {@code </name} (any case) followed by whitespace, '/' or '>'. */
    private static int endOfRawText(String html, int from, String name) {
        int pos = from;
        int n = html.length();
        while (true) {
            int lt = html.indexOf("</", pos);
            if (lt < 0) {
                return n;
            }
            int after = lt + 2 + name.length();
            if (after <= n && html.regionMatches(true, lt + 2, name, 0, name.length())
                    && (after == n || isTagNameEnd(html.charAt(after)))) {
                return lt;
            }
            pos = lt + 2;
        }
    }

    /**
     * Reads attributes from {@code pos} (just after the tag name) to the closing '>', adding them to
     * {@code attributes} when it is not null.
     *
     * @return the index after the '>', or -1 when the input ends inside the tag
     */
    private static int readTag(String html, int pos, Attributes attributes) {
        int n = html.length();
        int i = pos;
        if (attributes == null) {
            // only the end of the tag matters: skip names, and quoted values that may hold a '>'
            while (i < n && !isTagNameEnd(html.charAt(i))) {
                i++;
            }
        }
        while (true) {
            while (i < n && (isSpace(html.charAt(i)) || html.charAt(i) == '/')) {
                i++;
            }
            if (i >= n) {
                return -1;
            }
            if (html.charAt(i) == '>') {
                return i + 1;
            }
            int nameStart = i;
            i++; // the first character of a name may be '='
            while (i < n) {
                char c = html.charAt(i);
                if (isSpace(c) || c == '/' || c == '>' || c == '=') {
                    break;
                }
                i++;
            }
            int nameEnd = i;
            while (i < n && isSpace(html.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < n && html.charAt(i) == '=') {
                i++;
                while (i < n && isSpace(html.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    return -1;
                }
                char q = html.charAt(i);
                if (q == '"' || q == '\'') {
                    int close = html.indexOf(q, i + 1);
                    if (close < 0) {
                        return -1;
                    }
                    value = attributes == null ? "" : html.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int start = i;
                    while (i < n && !isSpace(html.charAt(i)) && html.charAt(i) != '>') {
                        i++;
                    }
                    value = attributes == null ? "" : html.substring(start, i);
                }
            }
            if (attributes != null) {
                attributes.add(html.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT), value);
            }
        }
    }
}
