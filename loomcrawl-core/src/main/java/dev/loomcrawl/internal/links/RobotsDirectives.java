package dev.loomcrawl.internal.links;

import java.util.Locale;

/**
 * The indexing directives of a robots meta tag or an {@code X-Robots-Tag} header that concern loomcrawl.
 *
 * @param noindex {@code noindex} or {@code none}
 * @param nofollow {@code nofollow} or {@code none}
 */
public record RobotsDirectives(boolean noindex, boolean nofollow) {

    public static final RobotsDirectives NONE = new RobotsDirectives(false, false);

    /** Reads a comma-separated list such as {@code noindex, nofollow}; unknown directives are ignored. */
    public static RobotsDirectives parse(String content) {
        if (content == null) {
            return NONE;
        }
        boolean noindex = false;
        boolean nofollow = false;
        for (String d : content.toLowerCase(Locale.ROOT).split(",")) {
            switch (d.trim()) {
                case "noindex" -> noindex = true;
                case "nofollow" -> nofollow = true;
                case "none" -> {
                    noindex = true;
                    nofollow = true;
                }
                default -> { }
            }
        }
        return new RobotsDirectives(noindex, nofollow);
    }

    /**
     * Reads an {@code X-Robots-Tag} value. Directives meant for a named crawler ({@code googlebot: noindex}) apply
     * only when the name is {@code loomcrawl}.
     */
    public static RobotsDirectives fromHeader(String value) {
        if (value == null) {
            return NONE;
        }
        int colon = value.indexOf(':');
        if (colon > 0) {
            String agent = value.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            boolean isDirective = agent.contains(",") || agent.equals("unavailable_after");
            if (!isDirective) {
                return agent.equals("loomcrawl") ? parse(value.substring(colon + 1)) : NONE;
            }
        }
        return parse(value);
    }

    /** Both sets of directives together. */
    public RobotsDirectives or(RobotsDirectives other) {
        return new RobotsDirectives(noindex || other.noindex, nofollow || other.nofollow);
    }
}
