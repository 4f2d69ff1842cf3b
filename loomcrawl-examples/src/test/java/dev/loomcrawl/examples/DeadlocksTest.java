package dev.loomcrawl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.watchdog.Watchdog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each cause of deadlock is caught by the watchdog within a second, naming threads and locks; each fix completes. */
@Timeout(30)
class DeadlocksTest {

    static Stream<Arguments> causes() {
        return Stream.of(
                Arguments.of("a non-reentrant lock taken twice", (Function<Boolean, Deadlocks.Program>) Deadlocks::reentry,
                        StallReport.Kind.STALL, "java.util.concurrent.Semaphore"),
                Arguments.of("two threads waiting on each other", (Function<Boolean, Deadlocks.Program>) Deadlocks::waitingOnEachOther,
                        StallReport.Kind.STALL, "java.util.concurrent.CountDownLatch"),
                Arguments.of("a lock never released", (Function<Boolean, Deadlocks.Program>) Deadlocks::neverReleased,
                        StallReport.Kind.STALL, "java.util.concurrent.locks.ReentrantLock"),
                Arguments.of("locks taken in different orders", (Function<Boolean, Deadlocks.Program>) Deadlocks::lockOrder,
                        StallReport.Kind.DEADLOCK, "java.util.concurrent.locks.ReentrantLock"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("causes")
    void theWatchdogNamesTheStuckThreadsAndTheirLocksWithinASecond(String cause, Function<Boolean, Deadlocks.Program> program,
                                                                  StallReport.Kind kind, String lock) throws Exception {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        try (Deadlocks.Program stuck = program.apply(false);
             Watchdog watchdog = Watchdog.start(Duration.ofMillis(300), probe(stuck), false, r -> {
                 reports.add(r);
                 reported.countDown();
             }, Ticker.system())) {
            assertThat(reported.await(1, TimeUnit.SECONDS)).as("reported within a second").isTrue();
            assertThat(stuck.finishes(10)).isFalse();
        }
        StallReport report = reports.getFirst();
        assertThat(report.kind()).isEqualTo(kind);
        List<String> lines = kind == StallReport.Kind.DEADLOCK ? report.deadlocks() : report.threads();
        assertThat(String.join("\n", lines)).contains(lock);
        System.out.println(cause + ":\n" + report.describe());
    }

    @ParameterizedTest(name = "{0}, fixed")
    @MethodSource("causes")
    void theCorrectedProgramCompletes(String cause, Function<Boolean, Deadlocks.Program> program,
                                      StallReport.Kind kind, String lock) throws Exception {
        try (Deadlocks.Program fixed = program.apply(true)) {
            assertThat(fixed.finishes(10_000)).isTrue();
            assertThat(fixed.steps()).isPositive();
        }
    }

    private static Watchdog.Probe probe(Deadlocks.Program program) {
        return new Watchdog.Probe() {
            @Override
            public long progress() {
                return program.steps();
            }

            @Override
            public boolean busy() {
                return program.threads().stream().anyMatch(Thread::isAlive);
            }

            @Override
            public Map<String, Long> inFlight() {
                return Map.of();
            }

            @Override
            public List<Thread> threads() {
                return program.threads().stream().filter(Thread::isAlive).toList();
            }
        };
    }
}
