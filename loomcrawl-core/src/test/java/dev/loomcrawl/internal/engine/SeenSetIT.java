package dev.loomcrawl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The seen-set: one node per URL however many threads add it at once, every node found again after its adding
 * returned, through any number of table growths. Lincheck checks it against a sequential run on a set of one
 * segment and two slots, so that nearly every add grows the table while other threads look up and add.
 */
@Param(name = "url", gen = IntGen.class, conf = "0:7")
public class SeenSetIT {

    private final SeenSet set = new SeenSet(0, 2);

    public SeenSetIT() {}

    @Operation
    public String putIfAbsent(@Param(name = "url") int k) {
        Frontier.Node there = set.putIfAbsent(new Frontier.Node("http://a.test/" + k, 0, 0));
        return there == null ? "added" : there.url;
    }

    @Operation
    public String get(@Param(name = "url") int k) {
        Frontier.Node n = set.get("http://a.test/" + k);
        return n == null ? null : n.url;
    }

    @Test
    void isLinearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(getClass());
    }

    @Test
    void isLinearizableUnderStress() {
        new StressOptions().iterations(20).invocationsPerIteration(500).check(getClass());
    }

    @RepeatedTest(5)
    void manyThreadsAddingOverlappingUrlsGetOneNodePerUrlAndFindEveryOne() throws Exception {
        SeenSet small = new SeenSet(2, 2); // grows ~14 times per segment on the way to 100,000 URLs
        int threads = 8;
        int urls = 100_000;
        Map<String, Frontier.Node> winners = new ConcurrentHashMap<>();
        AtomicInteger added = new AtomicInteger();
        List<Throwable> failures = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 7919;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < urls; i++) {
                        String url = "http://a.test/p/" + ((i + offset) % urls);
                        Frontier.Node mine = new Frontier.Node(url, 0, 0);
                        Frontier.Node there = small.putIfAbsent(mine);
                        if (there == null) {
                            added.incrementAndGet();
                            assertThat(winners.putIfAbsent(url, mine)).isNull();
                            assertThat(small.get(url)).isSameAs(mine);
                        } else {
                            assertThat(there.url).isEqualTo(url);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(failures).isEmpty();
        assertThat(added.get()).isEqualTo(urls);
        for (Map.Entry<String, Frontier.Node> e : winners.entrySet()) {
            assertThat(small.get(e.getKey())).isSameAs(e.getValue());
        }
        assertThat(small.get("http://a.test/p/" + urls)).isNull();
    }
}
