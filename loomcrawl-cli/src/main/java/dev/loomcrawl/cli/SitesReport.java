package dev.loomcrawl.cli;

import dev.loomcrawl.CrawlStore;
import dev.loomcrawl.check.CheckReport;
import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.output.OutputFormat;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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

    /** Each stored site's report, in list order. */
    List<CheckReport> checks() {
        List<CheckReport> reports = new ArrayList<>();
        for (int i = 0; i < run.sites().size(); i++) {
            each(i, store -> {
                List<PageResult> pages = new ArrayList<>();
                store.pages(pages::add);
                reports.add(new CheckReport(store.summary(), pages, store.checks(), store.externalChecked()));
            });
        }
        return reports;
    }

    /** The sites' reports as one, with their totals, as {@code check} over many sites writes it. */
    CheckReport combined(List<CheckReport> reports) {
        List<CrawlSummary> summaries = reports.stream().map(CheckReport::crawl).toList();
        Duration longest = summaries.stream().map(CrawlSummary::elapsed).max(Duration::compareTo).orElse(Duration.ZERO);
        StopReason reason = run.finished() ? StopReason.COMPLETED : StopReason.CANCELLED;
        return ManySitesCheck.combined(reports, ManySites.sum(summaries, longest, reason, 0, Instant.EPOCH),
                reports.stream().mapToInt(CheckReport::externalChecked).sum());
    }

    private void each(int index, Consumer<CrawlStore> use) {
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
