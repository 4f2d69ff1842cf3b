package dev.loomcrawl.internal.links;

import java.util.List;

/**
 * What an HTML page offers to follow.
 *
 * @param links the distinct http(s) links, normalized, in document order
 * @param nofollow those of {@code links} that an {@code a} or {@code area} marks {@code rel="nofollow"}
 * @param noindex whether a robots meta tag says {@code noindex} (or {@code none})
 * @param nofollowAll whether a robots meta tag says {@code nofollow} (or {@code none}) for the whole page
 * @param texts the anchor text of each of {@code links} (of its first {@code a} with text; an {@code area}'s alt),
 *     whitespace collapsed, at most {@value LinkExtractor#MAX_TEXT} characters; empty where there is none. An
 *     empty list when the texts were not read
 * @param occurrences every link as it stands and the page's anchors, or {@code null} when they were not read
 */
public record PageLinks(List<String> links, List<String> nofollow, boolean noindex, boolean nofollowAll,
                        List<String> texts, PageOccurrences occurrences) {

    /** What a page that is not HTML offers: nothing. */
    public static final PageLinks NONE = new PageLinks(List.of(), List.of(), false, false, List.of(), null);

    public PageLinks {
        links = List.copyOf(links);
        nofollow = List.copyOf(nofollow);
        texts = List.copyOf(texts);
        if (!texts.isEmpty() && texts.size() != links.size()) {
            throw new IllegalArgumentException("one text per link: " + texts.size() + " texts, " + links.size() + " links");
        }
    }
}
