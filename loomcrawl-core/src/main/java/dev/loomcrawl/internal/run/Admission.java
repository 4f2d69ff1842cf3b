package dev.loomcrawl.internal.run;

import dev.loomcrawl.crawl.PageInspector;
import dev.loomcrawl.internal.engine.CrawlEngine;
import dev.loomcrawl.internal.robots.RobotsPolicy;
import dev.loomcrawl.internal.store.StoreSession;
import dev.loomcrawl.internal.url.UrlFilter;
import dev.loomcrawl.internal.url.UrlSpace;
import java.util.List;

/**
 * Decides whether a URL the engine meets for the first time is requested: the filters (never for the start URL),
 * the URL space's caps, then robots.txt. A refused URL is told to the order, the store and the inspectors with
 * its reason; an admitted one to the inspectors. Called once per URL, from the visit that found it.
 */
final class Admission implements CrawlEngine.Admission {

    private final String start;
    private final UrlFilter filter;
    private final UrlSpace space;
    private final RobotsPolicy robots;
    private final BreadthFirstOrder order;
    private final StoreSession store;
    private final List<PageInspector> inspectors;

    /**
     * @param robots the rules obeyed, or {@code null} when robots.txt is not obeyed
     * @param store where exclusions are recorded, or {@code null}
     */
    Admission(String start, UrlFilter filter, UrlSpace space, RobotsPolicy robots, BreadthFirstOrder order,
              StoreSession store, List<PageInspector> inspectors) {
        this.start = start;
        this.filter = filter;
        this.space = space;
        this.robots = robots;
        this.order = order;
        this.store = store;
        this.inspectors = inspectors;
    }

    @Override
    public boolean admit(String url) throws InterruptedException {
        String refusal = url.equals(start) ? null : filter.refusal(url);
        if (refusal == null) {
            refusal = space.refusal(url);
        }
        if (refusal == null && robots != null && !robots.allowed(url)) {
            refusal = "robots";
        }
        if (refusal != null) {
            order.excluded(url, refusal);
            if (store != null) {
                store.recordExclusion(url, refusal);
            }
            for (PageInspector inspector : inspectors) {
                inspector.excluded(url, refusal);
            }
            return false;
        }
        for (PageInspector inspector : inspectors) {
            inspector.admitted(url);
        }
        return true;
    }
}
