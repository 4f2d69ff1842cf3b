package dev.loomcrawl.internal.url;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The user's filters on what a crawl requests, besides its scope: {@code --include} regexes (a URL must match one,
 * when there are any), {@code --exclude} regexes (a URL must match none), and a path prefix. Regexes are found
 * anywhere in the normalized URL ({@link java.util.regex.Matcher#find()}). Immutable.
 *
 * @param include patterns of which a URL must match one; empty for all
 * @param exclude patterns of which a URL must match none
 * @param pathPrefix the start of every admitted URL's path, such as {@code /docs/}; {@code null} for any
 */
public record UrlFilter(List<Pattern> include, List<Pattern> exclude, String pathPrefix) {

    public static final UrlFilter NONE = new UrlFilter(List.of(), List.of(), null);

    public UrlFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        if (pathPrefix != null && !pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("path prefix must start with '/', was '" + pathPrefix + "'");
        }
    }

    /** Why the filters refuse a normalized URL, or {@code null} when they admit it. */
    public String refusal(String url) {
        if (pathPrefix != null) {
            WebUrl parsed = WebUrl.parse(url);
            if (parsed == null || !parsed.pathAndQuery().startsWith(pathPrefix)) {
                return "outside --path-prefix";
            }
        }
        for (Pattern p : exclude) {
            if (p.matcher(url).find()) {
                return "--exclude";
            }
        }
        if (include.isEmpty()) {
            return null;
        }
        for (Pattern p : include) {
            if (p.matcher(url).find()) {
                return null;
            }
        }
        return "not --include";
    }
}
