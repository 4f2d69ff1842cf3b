package dev.loomcrawl.check;

/**
 * One link of one page, checked.
 *
 * @param source the page the link is on
 * @param href the attribute value as written
 * @param url the normalized target, or {@code null} when the href is invalid
 * @param text the anchor text (or image alt text)
 * @param line the 1-based line of the link in the source page
 * @param element the element and attribute, such as {@code a[href]}
 * @param verdict what the check concluded
 * @param status the HTTP status at the end of any redirect chain, or 0 without a response
 * @param detail why, in a few words: an error, the redirect chain ({@code a -> b -> c}), an exclusion reason, a
 *     missing anchor; empty when there is nothing to add
 * @param external whether the target is on another host (checked, never crawled)
 */
public record LinkCheck(String source, String href, String url, String text, int line, String element,
                        Verdict verdict, int status, String detail, boolean external) {}
