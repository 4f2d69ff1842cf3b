package dev.loomcrawl.internal.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.Crawler;
import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.testkit.Fault;
import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A stuck crawl is reported, a slow polite one is not, and JVM-detected deadlocks are named. */
@Timeout(60)
class WatchdogIT {

    @Test
    void aStalledRequestIsReportedWithItsUrlAndAThreadDump() throws Exception {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        try (FaultServer server = FaultServer.start()) {
            server.serve(Map.of("/", Resource.html("<a href=/stuck>s</a>")));
            server.route("/stuck", Fault.stallBeforeHeaders());
            Crawler.builder().retries(0).firstByteTimeout(Duration.ofSeconds(2)).stallAfter(Duration.ofMillis(300))
                    .threadDumps(true).watchdogListener(reports::add).build().crawl(server.url("/"), p -> { });
            assertThat(reports).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo(StallReport.Kind.STALL);
                assertThat(r.quietFor()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(r.inFlight()).singleElement().asString().startsWith(server.url("/stuck") + " (");
                assertThat(r.threadDump()).contains("loomcrawl-visit-");
                assertThat(r.describe()).startsWith("stalled: nothing completed for ").contains(server.url("/stuck"));
            });
        }
    }

    @Test
    void waitingForAPolitenessDelayIsNotAStall() throws Exception {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        try (FaultServer server = FaultServer.start()) {
            server.serve(Map.of("/", Resource.html("<a href=/a>a</a><a href=/b>b</a>"), "/a", Resource.html("a"),
                    "/b", Resource.html("b")));
            Crawler.builder().respectRobots(false).delay(Duration.ofMillis(700)).stallAfter(Duration.ofMillis(200))
                    .watchdogListener(reports::add).build().crawl(server.url("/"), p -> { });
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
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
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
        try (Watchdog w = Watchdog.start(Duration.ofMillis(200), idle, false, r -> {
            reports.add(r);
            reported.countDown();
        }, Ticker.system())) {
            assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();
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
