package dev.loomcrawl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The ready queue with an overflow: its hot part stays within its bound, entries come out lowest first, and every
 * entry comes out once, however adds, spills and takings back interleave.
 */
class ReadyQueueTest {

    /** An overflow in memory that answers on its own thread, after every spill submitted before, like the store. */
    private static final class SortedOverflow implements FrontierOverflow, AutoCloseable {
        private final TreeSet<Entry> kept = new TreeSet<>(Comparator.comparingInt(Entry::depth)
                .thenComparingDouble(Entry::start).thenComparing(Entry::url));
        private final ExecutorService writer = Executors.newSingleThreadExecutor();
        final AtomicInteger spilled = new AtomicInteger();
        final AtomicInteger taken = new AtomicInteger();

        @Override
        public void spill(List<Entry> entries) {
            spilled.addAndGet(entries.size());
            writer.execute(() -> kept.addAll(entries));
        }

        @Override
        public CompletableFuture<List<Entry>> takeLowest(int n) {
            return CompletableFuture.supplyAsync(() -> {
                List<Entry> out = new ArrayList<>();
                while (out.size() < n && !kept.isEmpty()) {
                    out.add(kept.pollFirst());
                }
                taken.addAndGet(out.size());
                return out;
            }, (Executor) writer);
        }

        @Override
        public void close() {
            writer.shutdownNow();
        }
    }

    private static Frontier.Ready ready(SeenSet seen, int k, int depth, double start) {
        Frontier.Node node = new Frontier.Node("http://a.test/" + k, depth, 0);
        assertThat(seen.putIfAbsent(node)).isNull();
        return new Frontier.Ready(node, depth, start, 0.5f);
    }

    @Test
    void entriesComeOutLowestFirstThroughSpillsAndTakingsBack() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        SeenSet seen = new SeenSet();
        try (SortedOverflow overflow = new SortedOverflow()) {
            ReadyQueue queue = new ReadyQueue(overflow, 16, seen);
            List<Frontier.Ready> added = new ArrayList<>();
            for (int k = 0; k < 2_000; k++) {
                Frontier.Ready r = ready(seen, k, random.nextInt(5), random.nextDouble());
                added.add(r);
                queue.add(r);
            }
            List<String> out = new ArrayList<>();
            Frontier.Ready r;
            while ((r = queue.poll(0)) != null) {
                out.add(r.node().url);
            }
            added.sort(null);
            assertThat(out).containsExactlyElementsOf(added.stream().map(a -> a.node().url).toList());
            assertThat(overflow.spilled.get()).isGreaterThan(1_900);
            assertThat(overflow.taken.get()).isEqualTo(overflow.spilled.get());
        }
    }

    @RepeatedTest(10)
    void concurrentAddersAndTwoTakersSeeEveryEntryOnce() throws Exception {
        SeenSet seen = new SeenSet();
        int adders = 4;
        int each = 5_000;
        try (SortedOverflow overflow = new SortedOverflow()) {
            ReadyQueue queue = new ReadyQueue(overflow, 8, seen);
            ConcurrentHashMap<String, Integer> seenOut = new ConcurrentHashMap<>();
            AtomicInteger out = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < adders; t++) {
                int first = t * each;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom random = new SplittableRandom(first);
                    for (int k = first; k < first + each; k++) {
                        queue.add(ready(seen, k, random.nextInt(4), random.nextDouble()));
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a lost entry ends the wait
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (out.get() < adders * each && System.nanoTime() < deadline) {
                            Frontier.Ready r = queue.poll(TimeUnit.MILLISECONDS.toNanos(10));
                            if (r != null) {
                                seenOut.merge(r.node().url, 1, Integer::sum);
                                out.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(seenOut).hasSize(adders * each);
            assertThat(seenOut.values()).allMatch(n -> n == 1);
            assertThat(overflow.spilled.get()).isPositive();
            assertThat(overflow.taken.get()).isEqualTo(overflow.spilled.get());
        }
    }
}
