package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.output.OutputFormat;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code loomcrawl report DIR} for the state of a run over many sites: a crawl's stream again (the sites in list
 * order, each record with its {@code site}), or a check's one report of every site, from the sites' stores, one
 * store open at a time.
 */
final class SitesReport {

    private final Path dir;
    private final SitesState.Listed run;

    SitesReport(Path dir) {
        this.dir = dir;
        this.run = SitesState.read(dir);
    }

    String kind() {
        return run.kind();
    }

    boolean finished() {
        return run.finished();
    }

    /** Writes every stored site's pages to {@code out} in {@code format}, in list order. */
    void pages(OutputFormat format, Writer out) {
        for (int i = 0; i < run.sites().size(); i++) {
            String site = run.sites().get(i);
            each(i, store -> store.pages(format.sink(out, site)));
        }
    }

    /** One report of every stored site's links, in list order, with their totals. */
    CheckReport check() {
        List<PageResult> pages = new ArrayList<>();
        List<dev.loomcrawl.check.LinkCheck> links = new ArrayList<>();
        List<CrawlSummary> summaries = new ArrayList<>();
        int[] external = new int[1];
        Duration[] longest = {Duration.ZERO};
        for (int i = 0; i < run.sites().size(); i++) {
            each(i, store -> {
                PageSink add = pages::add;
                store.pages(add);
                links.addAll(store.checks());
                CrawlSummary s = store.summary();
                summaries.add(s);
                external[0] += store.externalChecked();
                longest[0] = s.elapsed().compareTo(longest[0]) > 0 ? s.elapsed() : longest[0];
            });
        }
        StopReason reason = run.finished() ? StopReason.COMPLETED : StopReason.CANCELLED;
        return new CheckReport(ManySites.sum(summaries, longest[0], reason, 0, java.time.Instant.EPOCH), pages, links,
                external[0]);
    }

    private void each(int index, java.util.function.Consumer<CrawlStore> use) {
        Path store = SitesState.storeDir(dir, index);
        if (!Files.isRegularFile(store.resolve(CrawlStore.FILE))) {
            return; // not crawled: a bad line, a site listed twice, or one not started yet
        }
        try (CrawlStore s = CrawlStore.open(store)) {
            if (s.stored().isPresent()) {
                use.accept(s);
            }
        }
    }
}
