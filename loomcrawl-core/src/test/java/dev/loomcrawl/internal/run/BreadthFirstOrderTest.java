package dev.loomcrawl.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.internal.store.StoreDatabase;
import dev.loomcrawl.internal.store.StoreSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single writer's replay when results arrive out of order. */
class BreadthFirstOrderTest {

    private static final String ROOT = "http://site/";

    private static PageResult page(String url, List<String> links) {
        return new PageResult(url, -1, null, 200, "text/html", 10, 1, null, null, links, false, 1, false, false,
                List.of(), null, null);
    }

    @Test
    void resultsBeyondTheMemoryBoundAreReadBackFromTheStoreAndEmittedTheSame(@TempDir Path dir) throws Exception {
        // a root with 20 children, each with one grandchild, arriving deepest and last-first
        List<PageResult> pages = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            children.add(ROOT + "c" + i);
        }
        for (int i = 19; i >= 0; i--) {
            pages.add(page(ROOT + "c" + i + "/g", List.of()));
            pages.add(page(ROOT + "c" + i, List.of(ROOT + "c" + i + "/g")));
        }
        pages.add(page(ROOT, children));

        List<PageResult> inMemory = replay(pages, null, 0);
        try (StoreDatabase db = StoreDatabase.open(dir, dev.loomcrawl.crawl.Ticker.system())) {
            StoreSession store = new StoreSession(db);
            for (PageResult p : pages) {
                store.recordPage(p, List.of(), p.links(), () -> { });
            }
            List<PageResult> spilled = replay(pages, store, 3);
            assertThat(spilled).containsExactlyElementsOf(inMemory);
        }
        // the spilled results really came from the store: one that lacks them fails the output
        try (StoreDatabase empty = StoreDatabase.open(dir.resolve("empty"), dev.loomcrawl.crawl.Ticker.system())) {
            BreadthFirstOrder order = new BreadthFirstOrder(ROOT, Integer.MAX_VALUE, p -> { }, null,
                    new StoreSession(empty), 3);
            Thread writer = Thread.ofVirtual().start(order);
            pages.forEach(p -> order.fetched(p, p.links()));
            order.end();
            writer.join();
            assertThat(order.sinkFailure()).hasMessageContaining("missing from the store");
        }
        assertThat(inMemory).hasSize(41);
        assertThat(inMemory.get(1).url()).isEqualTo(ROOT + "c0");
        assertThat(inMemory.get(21)).extracting(PageResult::url, PageResult::depth, PageResult::parent)
                .containsExactly(ROOT + "c0/g", 2, ROOT + "c0");
    }

    private static List<PageResult> replay(List<PageResult> arriving, StoreSession store, int maxWaiting) throws Exception {
        List<PageResult> out = new ArrayList<>();
        BreadthFirstOrder order = new BreadthFirstOrder(ROOT, Integer.MAX_VALUE, out::add, null, store, maxWaiting);
        Thread writer = Thread.ofVirtual().start(order);
        for (PageResult p : arriving) {
            order.fetched(p, p.links());
        }
        order.end();
        writer.join();
        assertThat(order.sinkFailure()).isNull();
        return out;
    }
}
