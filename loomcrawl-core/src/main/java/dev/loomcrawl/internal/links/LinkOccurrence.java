package dev.loomcrawl.internal.links;

/**
 * One link as it stands in a page, for reports that must say where a link is.
 *
 * @param href the attribute value as written (character references decoded)
 * @param url the normalized absolute URL, or {@code null} when the href is malformed
 * @param fragment the fragment after {@code #}, or {@code null}
 * @param text the anchor text, or an image's alt text, trimmed (may be empty)
 * @param line the 1-based line of the element's start tag in the source
 * @param element the element and attribute, such as {@code a[href]} or {@code img[src]}
 * @param resource whether it is a resource the page loads (image, script, stylesheet, media), not a link a
 *     person follows
 */
public record LinkOccurrence(String href, String url, String fragment, String text, int line, String element,
                             boolean resource) {}
