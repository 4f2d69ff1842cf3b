package dev.loomcrawl.internal.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.Crawler;
import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.internal.politeness.ManualTicker;
import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stuck crawl is reported, a slow polite one is not, and JVM-detected deadlocks are named. The watchdog's time is
 * a test clock that the tests move; nothing waits for the wall.
 */
@Timeout(60)
class WatchdogIT {

    @Test
    void aStalledRequestIsReportedWithItsUrlAndAThreadDump() throws Exception {
        ManualTicker clock = new ManualTicker();
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch seen = new CountDownLatch(1);
        try (FaultServer server = FaultServer.start()) {
            server.serve(Map.of("/", Resource.html("<a href=/stuck>s</a>")));
            server.route("/stuck", (request, socket, out) -> {
                stuck.countDown();
                seen.await(); // no answer until the test has seen the stall; then the connection closes
                return false;
            });
            Thread timeGoesBy = Thread.ofVirtual().start(() -> {
                try {
                    stuck.await();
                    clock.advance(Duration.ofSeconds(10).toNanos()); // the first look: "/" completed since the start
                    clock.advance(Duration.ofSeconds(10).toNanos()); // nothing since then: a stall
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    seen.countDown();
                }
            });
            Crawler.builder().ticker(clock).retries(0).firstByteTimeout(Duration.ofSeconds(30))
                    .stallAfter(Duration.ofSeconds(10)).threadDumps(true).watchdogListener(reports::add).build()
                    .crawl(server.url("/"), p -> { });
            timeGoesBy.join();
            assertThat(reports).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(StallReport.Kind.STALL);
                assertThat(r.quietFor()).isEqualTo(Duration.ofSeconds(10));
                assertThat(r.inFlight()).singleElement().asString().startsWith(server.url("/stuck") + " (");
                assertThat(r.threadDump()).contains("loomcrawl-visit-");
                assertThat(r.describe()).startsWith("stalled: nothing completed for 10000 ms")
                        .contains(server.url("/stuck"));
            });
        }
    }

    @Test
    void waitingForAPolitenessDelayIsNotAStall() throws Exception {
        ManualTicker clock = new ManualTicker();
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        try (FaultServer server = FaultServer.start()) {
            server.serve(Map.of("/", Resource.html("<a href=/a>a</a><a href=/b>b</a>"), "/a", Resource.html("a"),
                    "/b", Resource.html("b")));
            Crawler.builder().ticker(clock).respectRobots(false).delay(Duration.ofSeconds(7))
                    .stallAfter(Duration.ofSeconds(2)).watchdogListener(reports::add).build()
                    .crawl(server.url("/"), p -> { });
            assertThat(clock.sleptNanos()).as("the delays passed on the crawl's clock")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(14).toNanos());
            assertThat(reports).isEmpty();
        }
    }

    @Test
    void threadsDeadlockedOnLocksTakenInOppositeOrderAreNamed() throws Exception {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread a = Thread.ofPlatform().name("takes-first-then-second").start(() -> lockBoth(first, second, bothHoldOne));
        Thread b = Thread.ofPlatform().name("takes-second-then-first").start(() -> lockBoth(second, first, bothHoldOne));
        ManualTicker clock = new ManualTicker();
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        Watchdog.Probe idle = new Watchdog.Probe() {
            @Override
            public long progress() {
                return 0;
            }

            @Override
            public boolean busy() {
                return false;
            }

            @Override
            public Map<String, Long> inFlight() {
                return Map.of();
            }
        };
        try (Watchdog w = Watchdog.start(Duration.ofSeconds(1), idle, false, reports::add, clock)) {
            Await.until("each thread holds one lock and waits for the other", () -> parkedOnALock(a) && parkedOnALock(b));
            // the watchdog looks once per second of the clock; the JVM may see the cycle a moment after both park
            Await.until("the deadlock reported", () -> {
                clock.advance(Duration.ofSeconds(1).toNanos());
                return !reports.isEmpty();
            });
        } finally {
            a.interrupt();
            b.interrupt();
            a.join();
            b.join();
        }
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(StallReport.Kind.DEADLOCK);
            assertThat(r.deadlocks()).hasSize(2).anySatisfy(line -> assertThat(line)
                    .startsWith("\"takes-first-then-second\" waits for java.util.concurrent.locks.ReentrantLock")
                    .endsWith("held by \"takes-second-then-first\""));
        });
    }

    private static boolean parkedOnALock(Thread t) {
        return t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) != null;
    }

    private static void lockBoth(ReentrantLock one, ReentrantLock two, CountDownLatch bothHoldOne) {
        try {
            one.lockInterruptibly();
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                two.lockInterruptibly();
                two.unlock();
            } finally {
                one.unlock();
            }
        } catch (InterruptedException e) {
            // released by the test
        }
    }
}
