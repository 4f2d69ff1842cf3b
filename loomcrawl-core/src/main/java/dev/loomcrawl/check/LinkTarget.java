package dev.loomcrawl.check;

import java.util.List;

/**
 * Every link to one target that got one verdict: one thing to fix, however many pages link to it. Reports lead
 * with these, as a person fixes a missing page once, not once per link.
 *
 * @param target what the links point at: the URL, with the fragment for a broken anchor; the href as written when
 *     it has no URL (an invalid link, another scheme)
 * @param verdict the links' verdict
 * @param status the HTTP status at the end of any redirect chain, or 0 without a response
 * @param detail why, as {@link LinkCheck#detail}
 * @param links the links, in the report's order
 */
public record LinkTarget(String target, Verdict verdict, int status, String detail, List<LinkCheck> links) {

    public LinkTarget {
        links = List.copyOf(links);
        if (links.isEmpty()) {
            throw new IllegalArgumentException("a target has at least one link");
        }
    }

    /** How many pages link to the target. */
    public long pages() {
        return links.stream().map(LinkCheck::source).distinct().count();
    }

    /** The target a link points at, as {@link #target} says. */
    static String of(LinkCheck link) {
        if (link.url() == null) {
            return link.href().strip();
        }
        if (link.verdict() == Verdict.BROKEN_ANCHOR) {
            int hash = link.href().indexOf('#');
            return hash < 0 ? link.url() : link.url() + link.href().substring(hash).strip();
        }
        return link.url();
    }
}
