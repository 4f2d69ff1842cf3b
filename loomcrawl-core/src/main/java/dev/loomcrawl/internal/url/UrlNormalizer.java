package dev.loomcrawl.internal.url;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Resolves a link against the URL of the page it appears on and puts it in the one canonical form the crawler
 * uses as its identity: the seen-set, the scope check and every output compare these strings.
 *
 * <p>Rules (RFC 3986 with the browser habits that matter for links): leading and trailing whitespace is trimmed
 * and tabs and newlines inside are removed; scheme and host are lower-cased (an internationalized host becomes its
 * ASCII form); the default port is dropped; the fragment is dropped; dot segments are removed; in the path,
 * percent-escapes of unreserved characters are decoded and the other escapes upper-cased; non-ASCII characters and
 * characters that may not stand in a URL are percent-encoded as UTF-8; the query is kept as written apart from that
 * encoding; an empty path becomes {@code /}. Only {@code http} and {@code https} URLs are kept.
 *
 * <p>Stateless and thread-safe.
 */
public final class UrlNormalizer {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlNormalizer() {}

    /**
     * Normalizes an absolute URL.
     *
     * @return the canonical form, or {@code null} when the URL is not an absolute http(s) URL with a host
     */
    public static String normalize(String url) {
        return resolve(null, url);
    }

    /**
     * Resolves {@code href} against {@code base} (an already normalized absolute URL, or {@code null}) and
     * normalizes the result.
     *
     * @return the canonical absolute URL, or {@code null} when the link is not http(s) ({@code mailto:},
     *     {@code javascript:}, {@code tel:}, {@code data:} and the like), has no host, or cannot be parsed
     */
    public static String resolve(String base, String href) {
        return against(base).resolve(href);
    }

    /** A resolver for the links of one page: the base URL is parsed once. */
    public static Resolver against(String base) {
        return new Resolver(base == null ? null : Parts.parse(base));
    }

    /** Resolves and normalizes links against one base URL, as {@link #resolve(String, String)} does. Immutable. */
    public static final class Resolver {

        private final Parts base;
        /**
         * The base's canonical scheme, user info, host and port, which most of a page's links share; null without
         * a base, or when its authority is not a valid one.
         */
        private final String baseOrigin;

        private Resolver(Parts base) {
            this.base = base;
            this.baseOrigin = base == null || base.authority == null ? null
                    : Parts.normalOrigin(base.scheme, base.authority);
        }

        /** The canonical absolute URL of {@code href}, or {@code null} (see {@link #resolve(String, String)}). */
        public String resolve(String href) {
            if (href == null) {
                return null;
            }
            String ref = clean(href);
            int colon = schemeEnd(ref);
            Parts target;
            if (colon > 0) {
                String scheme = ref.substring(0, colon).toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    return null;
                }
                String rest = slashes(ref.substring(colon + 1));
                if (!rest.startsWith("//") && base != null && scheme.equals(base.scheme)) {
                    // "http:page.html" on an http page is relative, as browsers read it
                    target = merge(base, Parts.parseRest(scheme, rest));
                } else {
                    target = Parts.parseRest(scheme, rest);
                }
            } else {
                if (base == null) {
                    return null;
                }
                target = merge(base, Parts.parseRest(base.scheme, slashes(ref)));
            }
            if (target.authority == null) {
                return null;
            }
            boolean sameOrigin = baseOrigin != null && target.authority.equals(base.authority)
                    && target.scheme.equals(base.scheme);
            return sameOrigin ? target.withPathAndQuery(baseOrigin) : target.toNormalString();
        }
    }

    /**
     * The scheme of an href that names one other than http(s) ({@code mailto}, {@code file}, {@code news}, ...),
     * lower case; {@code null} for a relative href and for http(s).
     */
    public static String otherScheme(String href) {
        String ref = clean(href);
        int colon = schemeEnd(ref);
        if (colon <= 0) {
            return null;
        }
        String scheme = ref.substring(0, colon).toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") ? null : scheme;
    }

    /** The lower-case host of a normalized URL, or {@code null} when it has none. */
    public static String host(String normalizedUrl) {
        WebUrl parts = WebUrl.parse(normalizedUrl);
        return parts == null ? null : parts.host();
    }

    /** Scheme, host and port of a normalized URL, such as {@code http://example.com:8080}. */
    public static String origin(String normalizedUrl) {
        int start = normalizedUrl.indexOf("//") + 2;
        int end = normalizedUrl.indexOf('/', start);
        return end < 0 ? normalizedUrl : normalizedUrl.substring(0, end);
    }

    /** Trims surrounding whitespace and drops tabs and newlines inside, as browsers do with an href. */
    private static String clean(String href) {
        int start = 0;
        int end = href.length();
        while (start < end && href.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && href.charAt(end - 1) <= ' ') {
            end--;
        }
        String s = href.substring(start, end);
        if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            s = s.replace("\t", "").replace("\n", "").replace("\r", "");
        }
        return s;
    }

    /** Backslashes before the query are slashes in http(s) URLs, as browsers read them. */
    private static String slashes(String ref) {
        if (ref.indexOf('\\') < 0) {
            return ref;
        }
        int end = queryOrFragment(ref);
        return ref.substring(0, end).replace('\\', '/') + ref.substring(end);
    }

    /** The index of the first '?' or '#', or the length. */
    private static int queryOrFragment(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return s.length();
    }

    /** Index of the ':' ending a scheme, or -1. */
    private static int schemeEnd(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return i > 0 ? i : -1;
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
            if (!ok) {
                return -1;
            }
        }
        return -1;
    }

    /** RFC 3986 section 5.2.2, with the reference already split. */
    private static Parts merge(Parts base, Parts ref) {
        if (ref.authority != null) {
            return new Parts(base.scheme, ref.authority, ref.path, ref.query);
        }
        if (ref.path.isEmpty()) {
            return new Parts(base.scheme, base.authority, base.path, ref.query != null ? ref.query : base.query);
        }
        if (ref.path.startsWith("/")) {
            return new Parts(base.scheme, base.authority, ref.path, ref.query);
        }
        String basePath = base.path.isEmpty() ? "/" : base.path;
        String merged = basePath.substring(0, basePath.lastIndexOf('/') + 1) + ref.path;
        return new Parts(base.scheme, base.authority, merged, ref.query);
    }

    /** RFC 3986 section 5.2.4, for the absolute paths of URLs with a host. */
    static String removeDots(String path) {
        if (!path.contains("/.")) {
            return path; // no dot segment can stand in it
        }
        StringBuilder out = new StringBuilder(path.length());
        int n = path.length();
        for (int i = 0; i < n; ) { // i is at a '/'
            int next = path.indexOf('/', i + 1);
            if (next < 0) {
                next = n;
            }
            int length = next - i - 1;
            boolean dot = length == 1 && path.charAt(i + 1) == '.';
            boolean dotDot = length == 2 && path.charAt(i + 1) == '.' && path.charAt(i + 2) == '.';
            if (dotDot) {
                out.setLength(Math.max(out.lastIndexOf("/"), 0));
            }
            if (dot || dotDot) {
                if (next == n) {
                    out.append('/'); // "/a/.." and "/a/." end in a slash
                }
            } else {
                out.append(path, i, next);
            }
            i = next;
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    private static String hostOf(String authority) {
        int at = authority.lastIndexOf('@');
        String hostPort = authority.substring(at + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(0, close + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Characters that may stand as they are in a path or query (RFC 3986 pchar, '/', '?', and '%' escapes). */
    private static boolean isAllowed(char c, boolean query) {
        if (c >= 0x7f || c <= ' ') {
            return false;
        }
        return switch (c) {
            case '"', '<', '>', '`', '{', '}', '|', '\\', '^', '#' -> false;
            case '[', ']' -> query;
            default -> true;
        };
    }

    private static int hexValue(char c) {
        return Character.digit(c, 16);
    }

    /**
     * Normalizes escapes in a path ({@code decodeUnreserved}) or a query (kept as written), and percent-encodes as
     * UTF-8 whatever may not stand in a URL.
     */
    static String encode(String s, boolean query) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                boolean escape = i + 2 < s.length() && hexValue(s.charAt(i + 1)) >= 0 && hexValue(s.charAt(i + 2)) >= 0;
                if (!escape) {
                    out = copy(out, s, i);
                    out.append("%25");
                    continue;
                }
                if (query) {
                    if (out != null) {
                        out.append(s, i, i + 3);
                    }
                    i += 2;
                    continue;
                }
                int value = hexValue(s.charAt(i + 1)) * 16 + hexValue(s.charAt(i + 2));
                out = copy(out, s, i);
                if (isUnreserved(value)) {
                    out.append((char) value);
                } else {
                    out.append('%').append(HEX[value >> 4]).append(HEX[value & 15]);
                }
                i += 2;
            } else if (isAllowed(c, query)) {
                if (out != null) {
                    out.append(c);
                }
            } else {
                out = copy(out, s, i);
                int end = i + 1;
                if (Character.isHighSurrogate(c) && end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                    end++;
                }
                for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
                }
                i = end - 1;
            }
        }
        return out == null ? s : out.toString();
    }

    private static StringBuilder copy(StringBuilder out, String s, int upTo) {
        if (out != null) {
            return out;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        b.append(s, 0, upTo);
        return b;
    }

    /** A URL split into the parts normalization works on; the fragment is already gone. */
    private record Parts(String scheme, String authority, String path, String query) {

        /** Splits an absolute URL; null when it has no scheme. */
        static Parts parse(String url) {
            int colon = schemeEnd(url);
            return colon <= 0 ? null : parseRest(url.substring(0, colon).toLowerCase(Locale.ROOT), url.substring(colon + 1));
        }

        /** Splits what follows the scheme's colon; the fragment is dropped. */
        static Parts parseRest(String scheme, String rest) {
            int end = queryOrFragment(rest);
            String query = null;
            if (end < rest.length() && rest.charAt(end) == '?') {
                int hash = rest.indexOf('#', end);
                query = rest.substring(end + 1, hash < 0 ? rest.length() : hash);
            }
            String path = rest.substring(0, end);
            String authority = null;
            if (path.startsWith("//")) {
                int slash = path.indexOf('/', 2);
                if (slash < 0) {
                    slash = path.length();
                }
                authority = path.substring(2, slash);
                path = path.substring(slash);
            }
            return new Parts(scheme, authority, path, query);
        }

        String toNormalString() {
            String origin = normalOrigin(scheme, authority);
            return origin == null ? null : withPathAndQuery(origin);
        }

        /**
         * The canonical {@code scheme://[userinfo@]host[:port]} of an authority: the host lower-cased (in its ASCII
         * form), the default port dropped; {@code null} when the host is empty or malformed or the port is not one.
         */
        static String normalOrigin(String scheme, String authority) {
            String host = hostOf(authority);
            if (host.isEmpty()) {
                return null;
            }
            int at = authority.lastIndexOf('@');
            String userInfo = at >= 0 ? authority.substring(0, at + 1) : "";
            String afterHost = authority.substring(at + 1 + host.length());
            String port = afterHost.startsWith(":") ? afterHost.substring(1) : "";
            for (int i = 0; i < port.length(); i++) {
                if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                    return null;
                }
            }
            String asciiHost;
            try {
                asciiHost = host.startsWith("[") || isPlainAsciiHost(host) ? host.toLowerCase(Locale.ROOT)
                        : IDN.toASCII(percentDecodeHost(host), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (asciiHost.isEmpty() || hasForbiddenHostCharacter(asciiHost)) {
                return null;
            }
            StringBuilder out = new StringBuilder(scheme.length() + authority.length() + 3);
            out.append(scheme).append("://").append(userInfo).append(asciiHost);
            if (!port.isEmpty()) {
                int number;
                try {
                    number = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    return null;
                }
                if (number > 65535) {
                    return null;
                }
                boolean defaultPort = (number == 80 && scheme.equals("http")) || (number == 443 && scheme.equals("https"));
                if (!defaultPort) {
                    out.append(':').append(number);
                }
            }
            return out.toString();
        }

        /** {@code origin}, the canonical form of this URL's scheme and authority, with its path and query. */
        String withPathAndQuery(String origin) {
            String normalPath = path.isEmpty() ? "/" : encode(removeDots(path), false);
            if (query == null) {
                return origin.concat(normalPath);
            }
            String normalQuery = encode(query, true);
            return new StringBuilder(origin.length() + normalPath.length() + normalQuery.length() + 1)
                    .append(origin).append(normalPath).append('?').append(normalQuery).toString();
        }

        /** The WHATWG URL standard's forbidden host code points (an IPv6 literal keeps its brackets and colons). */
        private static boolean hasForbiddenHostCharacter(String host) {
            boolean ipv6 = host.startsWith("[") && host.endsWith("]");
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c <= ' ' || c == 0x7f || " #%/<>?@\\^|".indexOf(c) >= 0
                        || (!ipv6 && (c == ':' || c == '[' || c == ']'))) {
                    return true;
                }
            }
            return false;
        }

        /** Letters, digits, '-' and '.': a host that IDN processing would leave as it is, but for case. */
        private static boolean isPlainAsciiHost(String host) {
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        private static String percentDecodeHost(String host) {
            if (host.indexOf('%') < 0) {
                return host;
            }
            return java.net.URLDecoder.decode(host.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
    }
}
