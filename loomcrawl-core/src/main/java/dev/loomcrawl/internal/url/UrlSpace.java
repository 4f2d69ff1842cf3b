package dev.loomcrawl.internal.url;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards a crawl against infinite URL spaces (calendars, session ids, ever-growing paths), so that a crawl always
 * ends. A URL is refused when
 * <ul>
 *   <li>it is longer than {@code maxUrlLength} characters;</li>
 *   <li>a path segment repeats more than {@value #MAX_SEGMENT_REPEATS} times ({@code /a/b/a/b/a/b/a/b});</li>
 *   <li>its pattern already has {@code maxPerPattern} URLs. A pattern is the path with every run of digits read
 *       as {@code #} and every id-like segment (8 or more letters and digits, both present) as {@code *}, and
 *       the sorted names, not the values, of its query parameters: {@code /cal/2026/11?view=day} and
 *       {@code /cal/1999/2?view=week} are both {@code /cal/#/#?view}.</li>
 * </ul>
 * Which URLs of a capped pattern are admitted depends on the order the crawl finds them. Thread-safe.
 */
public final class UrlSpace {

    /** A path segment may appear this many times; more means a path that grows without end. */
    public static final int MAX_SEGMENT_REPEATS = 3;
    public static final int DEFAULT_MAX_URL_LENGTH = 2048;
    public static final int DEFAULT_MAX_PER_PATTERN = 50_000;

    private final int maxUrlLength;
    private final int maxPerPattern;
    private final ConcurrentHashMap<String, AtomicInteger> perPattern = new ConcurrentHashMap<>();

    /**
     * @param maxUrlLength the longest URL admitted, 16 and up
     * @param maxPerPattern the most URLs admitted per pattern, 1 and up; {@link Integer#MAX_VALUE} for no cap
     */
    public UrlSpace(int maxUrlLength, int maxPerPattern) {
        if (maxUrlLength < 16) {
            throw new IllegalArgumentException("maxUrlLength must be 16 or more, was " + maxUrlLength);
        }
        if (maxPerPattern < 1) {
            throw new IllegalArgumentException("maxPerPattern must be 1 or more, was " + maxPerPattern);
        }
        this.maxUrlLength = maxUrlLength;
        this.maxPerPattern = maxPerPattern;
    }

    /** Admits a normalized URL, counting it; returns {@code null}, or why it is refused. Once per URL. */
    public String refusal(String url) {
        if (url.length() > maxUrlLength) {
            return "url too long";
        }
        WebUrl parsed = WebUrl.parse(url);
        String target = parsed == null ? "/" : parsed.pathAndQuery();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String[] segments = path.split("/");
        if (repeats(segments)) {
            return "repeating path";
        }
        if (maxPerPattern == Integer.MAX_VALUE) {
            return null;
        }
        String pattern = pattern(segments, query < 0 ? null : target.substring(query + 1));
        AtomicInteger n = perPattern.computeIfAbsent(pattern, p -> new AtomicInteger());
        return n.incrementAndGet() > maxPerPattern ? "pattern cap " + pattern : null;
    }

    private static String pattern(String[] segments, String query) {
        StringBuilder p = new StringBuilder(64);
        for (int i = 1; i < segments.length; i++) {
            appendSegmentPattern(p.append('/'), segments[i]);
        }
        if (p.isEmpty()) {
            p.append('/');
        }
        if (query != null) {
            String[] names = query.split("&");
            for (int i = 0; i < names.length; i++) {
                int eq = names[i].indexOf('=');
                names[i] = eq < 0 ? names[i] : names[i].substring(0, eq);
            }
            Arrays.sort(names);
            p.append('?').append(String.join("&", Arrays.stream(names).distinct().toList()));
        }
        return p.toString();
    }

    /** Appends {@code segment} with every run of digits as {@code #}, or {@code *} for an id-like one. */
    private static void appendSegmentPattern(StringBuilder p, String segment) {
        int letters = 0;
        int digits = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (Character.isLetter(c)) {
                letters++;
            }
        }
        if (digits == 0) {
            p.append(segment);
        } else if (letters > 0 && letters + digits >= 8 && segment.indexOf('.') < 0) {
            p.append('*');
        } else {
            boolean inDigits = false;
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                boolean digit = c >= '0' && c <= '9';
                if (!digit) {
                    p.append(c);
                } else if (!inDigits) {
                    p.append('#');
                }
                inDigits = digit;
            }
        }
    }

    private static boolean repeats(String[] segments) {
        if (segments.length <= MAX_SEGMENT_REPEATS + 1) {
            return false;
        }
        java.util.HashMap<String, Integer> counts = new java.util.HashMap<>();
        for (String s : segments) {
            if (!s.isEmpty() && counts.merge(s, 1, Integer::sum) > MAX_SEGMENT_REPEATS) {
                return true;
            }
        }
        return false;
    }
}
