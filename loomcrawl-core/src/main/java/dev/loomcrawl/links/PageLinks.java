package dev.loomcrawl.links;

import java.util.List;

/**
 * What an HTML page offers to follow.
 *
 * @param links the distinct http(s) links, normalized, in document order
 * @param nofollow those of {@code links} that an {@code a} or {@code area} marks {@code rel="nofollow"}
 * @param noindex whether a robots meta tag says {@code noindex} (or {@code none})
 * @param nofollowAll whether a robots meta tag says {@code nofollow} (or {@code none}) for the whole page
 */
public record PageLinks(List<String> links, List<String> nofollow, boolean noindex, boolean nofollowAll) {

    /** What a page that is not HTML offers: nothing. */
    public static final PageLinks NONE = new PageLinks(List.of(), List.of(), false, false);

    public PageLinks {
        links = List.copyOf(links);
        nofollow = List.copyOf(nofollow);
    }
}
