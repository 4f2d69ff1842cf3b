package dev.loomcrawl.internal.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck on the frontier. The seen-set with its depth relaxation is linearizable (model checking and stress
 * against a sequential run of the same operations); and in every interleaving Lincheck explores of workers
 * draining a frontier, each URL is visited once and "done" is reported once, only when no work is left. A frontier
 * used in the wrong order (complete before expand) is caught, which shows the check can fail.
 */
@Param(name = "url", gen = IntGen.class, conf = "0:3")
@Param(name = "depth", gen = IntGen.class, conf = "0:2")
public class FrontierLincheckIT {

    private final Frontier frontier = new Frontier(new Limits(4, Integer.MAX_VALUE, Long.MAX_VALUE, null), url -> true);

    public FrontierLincheckIT() {}

    private static String url(int k) {
        return "http://a.test/" + k;
    }

    @Operation
    public void offer(@Param(name = "url") int k, @Param(name = "depth") int depth) throws InterruptedException {
        frontier.offer(url(k), depth, 0);
    }

    @Operation
    public boolean seen(@Param(name = "url") int k) {
        return frontier.seen(url(k));
    }

    @Operation
    public int depth(@Param(name = "url") int k) {
        return frontier.depth(url(k));
    }

    @Test
    void theSeenSetAndItsDepthsAreLinearizableUnderModelChecking() {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(getClass());
    }

    @Test
    void theSeenSetAndItsDepthsAreLinearizableUnderStress() {
        new StressOptions().iterations(30).invocationsPerIteration(500).check(getClass());
    }

    private static final Map<String, List<String>> GRAPH = Map.of(
            "a", List.of("b", "c"),
            "b", List.of("c", "d"),
            "c", List.of("a", "d"),
            "d", List.of());

    /** Two workers drain a frontier over {@link #GRAPH}; {@code rightOrder} false completes before expanding. */
    private static void drain(boolean rightOrder) {
        Frontier f = new Frontier(new Limits(2, Integer.MAX_VALUE, Long.MAX_VALUE, null), url -> true);
        ConcurrentHashMap<String, AtomicInteger> visits = new ConcurrentHashMap<>();
        AtomicInteger doneReports = new AtomicInteger();
        Set<String> atDone = ConcurrentHashMap.newKeySet();
        try {
            f.offer("a", 0, 0);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Runnable worker = () -> {
            try {
                while (true) {
                    Frontier.Ready ready = f.next();
                    Frontier.Node node = ready.node();
                    if (node == Frontier.END) {
                        f.stop(); // pass the end on to the other worker
                        return;
                    }
                    visits.computeIfAbsent(node.url, k -> new AtomicInteger()).incrementAndGet();
                    CrawlEngine.Outcome outcome = CrawlEngine.Outcome.links(GRAPH.get(node.url));
                    boolean done;
                    if (rightOrder) {
                        f.expand(ready, outcome);
                        done = f.complete();
                    } else {
                        done = f.complete();
                        f.expand(ready, outcome);
                    }
                    if (done) {
                        doneReports.incrementAndGet();
                        atDone.addAll(visits.keySet());
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        Thread one = new Thread(worker);
        Thread two = new Thread(worker);
        one.start();
        two.start();
        try {
            one.join();
            two.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (!visits.keySet().equals(GRAPH.keySet()) || visits.values().stream().anyMatch(n -> n.get() != 1)) {
            throw new AssertionError("each URL must be visited once: " + visits);
        }
        if (doneReports.get() != 1 || !atDone.equals(GRAPH.keySet()) || f.pending() != 0) {
            throw new AssertionError("done must be reported once, when no work is left; reports " + doneReports
                    + ", visited at that moment " + atDone + ", pending " + f.pending());
        }
    }

    @Test
    void inEveryInterleavingEachUrlIsVisitedOnceAndDoneComesOnlyWhenNothingIsLeft() {
        Lincheck.runConcurrentTest(2_000, () -> drain(true));
    }

    @Test
    void completingBeforeExpandingIsCaught() {
        assertThatThrownBy(() -> Lincheck.runConcurrentTest(2_000, () -> drain(false)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void theDrainCheckPassesOutsideLincheckToo() {
        for (int i = 0; i < 200; i++) {
            drain(true); // throws when a check fails
        }
    }
}
