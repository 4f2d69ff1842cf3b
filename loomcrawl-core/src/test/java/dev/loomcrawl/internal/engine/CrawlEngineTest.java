package dev.loomcrawl.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.crawl.CrawlFailedException;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.politeness.ManualTicker;
import dev.loomcrawl.testkit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CrawlEngineTest {

    /** A chain 0 -> 1 -> ... -> n-1 plus a shortcut 0 -> k, so k is found late at a large depth first. */
    @RepeatedTest(20)
    @Timeout(10)
    void depthLimitAdmitsExactlyTheBreadthFirstLevelsWhateverTheDiscoveryOrder() {
        // 0 -> 1 -> 2 -> 3 -> 4 -> 5 (slow path, fast visits); 0 -> 9 (a slow visit) -> 5 ; 5 -> 6 -> 7
        Map<String, List<String>> graph = Map.of(
                "0", List.of("1", "9"), "1", List.of("2"), "2", List.of("3"), "3", List.of("4"),
                "4", List.of("5"), "9", List.of("5"), "5", List.of("6"), "6", List.of("7"));
        Set<String> visited = ConcurrentHashMap.newKeySet();
        CountDownLatch longPathAtThree = new CountDownLatch(1);
        CrawlEngine engine = new CrawlEngine(new Limits(8, 3, Long.MAX_VALUE, null), u -> true, visit -> {
            visited.add(visit.url());
            if (visit.url().equals("9")) {
                if (!longPathAtThree.await(30, TimeUnit.SECONDS)) { // the chain reaches 3 before 9 offers 5 at depth 2
                    throw new AssertionError("the chain never reached 3");
                }
            }
            List<String> next = graph.getOrDefault(visit.url(), List.of());
            if (visit.url().equals("3")) {
                longPathAtThree.countDown();
            }
            return CrawlEngine.Outcome.links(next);
        });
        assertThat(engine.run("0")).isEqualTo(StopReason.COMPLETED);
        // BFS depths: 0:0, 1:1, 9:1, 2:2, 5:2, 3:3, 6:3; 4 and 7 are at depth 4
        assertThat(visited).containsExactlyInAnyOrder("0", "1", "9", "2", "5", "3", "6");
    }

    @Test
    void maxPagesBoundsTheRequestsExactly() {
        AtomicInteger visits = new AtomicInteger();
        CrawlEngine engine = new CrawlEngine(new Limits(16, Integer.MAX_VALUE, 25, null), u -> true, visit -> {
            visits.incrementAndGet();
            List<String> next = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                next.add(visit.url() + "/" + i);
            }
            return CrawlEngine.Outcome.links(next);
        });
        assertThat(engine.run("r")).isEqualTo(StopReason.MAX_PAGES);
        assertThat(visits).hasValue(25);
    }

    @RepeatedTest(5)
    @Timeout(10)
    void maxTimeCancelsWhatIsInFlightWhenItsClockSaysAndNoThreadOutlivesTheRun() throws Exception {
        ManualTicker clock = new ManualTicker();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch inFlight = new CountDownLatch(4);
        // "root" links to four URLs; every other visit waits until it is cancelled
        CrawlEngine.Visitor visitor = visit -> {
            threads.add(Thread.currentThread());
            if (visit.url().equals("root")) {
                return CrawlEngine.Outcome.links(List.of("a", "b", "c", "d"));
            }
            inFlight.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw e;
            }
            return CrawlEngine.Outcome.links(List.of());
        };
        Limits limits = new Limits(8, Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofSeconds(30));
        CrawlEngine engine = new CrawlEngine(limits, u -> true, visitor, null, Integer.MAX_VALUE, clock);
        AtomicLong pendingBeforeTheLimit = new AtomicLong();
        Thread timeGoesBy = Thread.ofVirtual().start(() -> {
            try {
                inFlight.await(); // the four visits wait; until the clock says so, nothing stops them
                // the root's visit may still be finishing as its four children start
                Await.until("the root's visit is done", () -> engine.pending() <= 4);
                clock.advance(Duration.ofSeconds(29).toNanos());
                pendingBeforeTheLimit.set(engine.pending());
                clock.advance(Duration.ofSeconds(1).toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(engine.run("root")).isEqualTo(StopReason.MAX_TIME);
        timeGoesBy.join();
        assertThat(pendingBeforeTheLimit).hasValue(4);
        assertThat(interrupted).hasValue(4);
        assertThat(threads).hasSize(5).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @Test
    @Timeout(10) // a real wait of 50 ms
    void maxTimeOnTheSystemClockEndsACrawlWhoseVisitsNeverReturnAndItsTimerEndsWithTheRun() {
        Limits limits = new Limits(2, Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofMillis(50));
        CrawlEngine stuck = new CrawlEngine(limits, u -> true, visit -> {
            new CountDownLatch(1).await();
            return CrawlEngine.Outcome.links(List.of());
        });
        assertThat(stuck.run("only")).isEqualTo(StopReason.MAX_TIME);
        assertThat(timers()).isEmpty();
        CrawlEngine refused = new CrawlEngine(new Limits(2, Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofHours(1)),
                u -> false, visit -> CrawlEngine.Outcome.links(List.of()));
        assertThat(refused.run("only")).isEqualTo(StopReason.COMPLETED); // nothing to do, at once
        assertThat(timers()).as("the time limit's timer ends with the run").isEmpty();
    }

    /** The time limits' timers alive: platform threads, which the JDK lists with their stacks. */
    private static List<String> timers() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.equals("loomcrawl-timer")).toList();
    }

    @RepeatedTest(5)
    @Timeout(10)
    void interruptingTheCrawlingThreadCancelsTheCrawl() throws Exception {
        interruptingTheCrawlingThreadCancelsTheCrawl(Thread.ofPlatform());
    }

    @RepeatedTest(5)
    @Timeout(10)
    void interruptingACrawlingVirtualThreadCancelsTheCrawl() throws Exception {
        interruptingTheCrawlingThreadCancelsTheCrawl(Thread.ofVirtual()); // the dispatcher then runs on it
    }

    private static void interruptingTheCrawlingThreadCancelsTheCrawl(Thread.Builder crawling) throws Exception {
        CountDownLatch inFlight = new CountDownLatch(4);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CrawlEngine engine = new CrawlEngine(new Limits(4, Integer.MAX_VALUE, Long.MAX_VALUE, null), u -> true, visit -> {
            threads.add(Thread.currentThread());
            if (visit.url().equals("root")) {
                return CrawlEngine.Outcome.links(List.of("a", "b", "c", "d", "e", "f"));
            }
            inFlight.countDown();
            new CountDownLatch(1).await(); // until the crawl's cancellation interrupts it
            return CrawlEngine.Outcome.links(List.of());
        });
        StopReason[] reason = new StopReason[1];
        boolean[] stillInterrupted = new boolean[1];
        Thread crawler = crawling.start(() -> {
            reason[0] = engine.run("root");
            stillInterrupted[0] = Thread.currentThread().isInterrupted();
        });
        inFlight.await();
        crawler.interrupt();
        crawler.join(Duration.ofSeconds(10));
        assertThat(crawler.isAlive()).isFalse();
        assertThat(reason[0]).isEqualTo(StopReason.CANCELLED);
        assertThat(stillInterrupted[0]).isTrue();
        assertThat(threads).allSatisfy(t -> assertThat(t.isAlive()).isFalse());
    }

    @RepeatedTest(5)
    @Timeout(10)
    void aThreadInterruptedBeforeTheCrawlCancelsItAndStaysInterrupted() {
        AtomicInteger visits = new AtomicInteger();
        CrawlEngine engine = new CrawlEngine(new Limits(4, Integer.MAX_VALUE, Long.MAX_VALUE, null), u -> true, visit -> {
            visits.incrementAndGet();
            new CountDownLatch(1).await(); // until the crawl's cancellation interrupts it
            return CrawlEngine.Outcome.links(List.of());
        });
        Thread.currentThread().interrupt();
        try {
            assertThat(engine.run("root")).isEqualTo(StopReason.CANCELLED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(visits.get()).isLessThanOrEqualTo(1);
    }

    @Test
    void aFailingVisitStopsTheCrawlAndIsRethrown() {
        CrawlEngine engine = new CrawlEngine(Limits.unbounded(), u -> true, visit -> {
            if (visit.url().equals("bad")) {
                throw new IllegalStateException("boom");
            }
            return CrawlEngine.Outcome.links(List.of("bad", "x"));
        });
        assertThatThrownBy(() -> engine.run("root")).isInstanceOf(CrawlFailedException.class)
                .hasRootCauseMessage("boom");
    }

    @Test
    void aFrontierOverflowThatFailsToGiveEntriesBackFailsTheCrawl() {
        FrontierOverflow broken = new FrontierOverflow() {
            @Override
            public void spill(List<Entry> entries) {
                // kept nowhere: the taking back fails
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<Entry>> takeLowest(int n) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("disk gone"));
            }
        };
        List<String> wide = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            wide.add("p" + i);
        }
        CrawlEngine engine = new CrawlEngine(new Limits(2, Integer.MAX_VALUE, Long.MAX_VALUE, null), u -> true,
                visit -> CrawlEngine.Outcome.links(visit.url().equals("root") ? wide : List.of()), broken, 4, Ticker.system());
        assertThatThrownBy(() -> engine.run("root")).isInstanceOf(CrawlFailedException.class)
                .hasRootCauseMessage("disk gone");
    }

    @Test
    void peakInFlightReachesTheConcurrencyLimitAndNeverPassesIt() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch tenAtOnce = new CountDownLatch(10); // the first ten leaves wait for each other
        CrawlEngine engine = new CrawlEngine(new Limits(10, Integer.MAX_VALUE, Long.MAX_VALUE, null), u -> true, visit -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            if (!visit.url().equals("root")) {
                tenAtOnce.countDown();
                if (!tenAtOnce.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("ten visits were never in flight at once");
                }
            }
            now.decrementAndGet();
            if (!visit.url().equals("root")) {
                return CrawlEngine.Outcome.links(List.of());
            }
            List<String> next = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                next.add("leaf" + i);
            }
            return CrawlEngine.Outcome.links(next);
        });
        assertThat(engine.run("root")).isEqualTo(StopReason.COMPLETED);
        assertThat(peak).hasValue(10);
        assertThat(engine.peakInFlight()).isEqualTo(10);
    }

    @Test
    void limitsRejectOutOfRangeSettingsByName() {
        assertThatThrownBy(() -> new Limits(0, 1, 1, null)).hasMessageContaining("concurrency must be 1..4096");
        assertThatThrownBy(() -> new Limits(1, -1, 1, null)).hasMessageContaining("maxDepth");
        assertThatThrownBy(() -> new Limits(1, 1, 0, null)).hasMessageContaining("maxPages");
        assertThatThrownBy(() -> new Limits(1, 1, 1, Duration.ZERO)).hasMessageContaining("maxTime");
    }
}
