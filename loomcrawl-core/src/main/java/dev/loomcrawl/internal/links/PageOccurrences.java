package dev.loomcrawl.internal.links;

import java.util.List;
import java.util.Set;

/**
 * What a link checker needs of one HTML page: every link as it stands in the source, and the anchors a fragment
 * may point to.
 *
 * @param links the links in document order, each occurrence once (malformed ones included, with a {@code null} url)
 * @param anchors the values of every {@code id} and of every {@code a[name]}: the names a fragment may target
 */
public record PageOccurrences(List<LinkOccurrence> links, Set<String> anchors) {

    public PageOccurrences {
        links = List.copyOf(links);
        anchors = Set.copyOf(anchors);
    }
}
