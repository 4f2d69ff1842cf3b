package dev.loomcrawl.check;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of a link check: the crawl's summary and every link of every crawled page, checked, in the crawl's
 * breadth-first page order and each page's document order (the same at any concurrency).
 *
 * @param crawl the crawl's summary
 * @param pages the crawl's results, in its breadth-first order
 * @param links every link occurrence with its verdict
 * @param externalChecked distinct external URLs checked
 */
public record CheckReport(CrawlSummary crawl, List<PageResult> pages, List<LinkCheck> links, int externalChecked) {

    public CheckReport {
        pages = List.copyOf(pages);
        links = List.copyOf(links);
    }

    /**
     * Whether the check stopped before it ended (interrupted, or at a limit): links it did not reach are
     * {@link Verdict#EXCLUDED}, and reports say the report is partial.
     */
    public boolean partial() {
        return crawl.stopReason() != dev.loomcrawl.crawl.StopReason.COMPLETED;
    }

    /** How many links had each verdict. */
    public Map<Verdict, Long> counts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (LinkCheck l : links) {
            counts.merge(l.verdict(), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * The links whose verdict is one of {@code verdicts}, one entry per target and verdict: those whose verdict is
     * in {@code failing} first, then by verdict, then the most linked first, then in the order they first appear.
     */
    public List<LinkTarget> targets(Set<Verdict> verdicts, Set<Verdict> failing) {
        Map<List<Object>, List<LinkCheck>> groups = new LinkedHashMap<>();
        for (LinkCheck l : links) {
            if (verdicts.contains(l.verdict())) {
                groups.computeIfAbsent(List.of(LinkTarget.of(l), l.verdict()), k -> new ArrayList<>()).add(l);
            }
        }
        List<LinkTarget> targets = new ArrayList<>(groups.size());
        groups.forEach((key, group) -> {
            LinkCheck first = group.getFirst();
            targets.add(new LinkTarget((String) key.getFirst(), first.verdict(), first.status(), first.detail(), group));
        });
        targets.sort(Comparator.comparing((LinkTarget t) -> !failing.contains(t.verdict()))
                .thenComparing(LinkTarget::verdict)
                .thenComparing(t -> -t.links().size())); // stable: ties keep their first appearance
        return targets;
    }

    /** The links whose verdict is one of {@code failing}. */
    public List<LinkCheck> failing(Set<Verdict> failing) {
        return links.stream().filter(l -> failing.contains(l.verdict())).toList();
    }
}
