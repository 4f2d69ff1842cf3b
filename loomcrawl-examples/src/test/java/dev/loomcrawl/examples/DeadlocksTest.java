package dev.loomcrawl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.internal.politeness.ManualTicker;
import dev.loomcrawl.internal.watchdog.Watchdog;
import dev.loomcrawl.testkit.Await;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each cause of deadlock is caught by the watchdog once its stall time has passed on the watchdog's clock, naming
 * threads and locks; each fix completes.
 */
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
    void theWatchdogNamesTheStuckThreadsAndTheirLocksOnceTheStallTimePasses(String cause,
            Function<Boolean, Deadlocks.Program> program, StallReport.Kind kind, String lock) throws Exception {
        List<StallReport> reports = new CopyOnWriteArrayList<>();
        ManualTicker clock = new ManualTicker();
        Duration stallAfter = Duration.ofMillis(300);
        try (Deadlocks.Program stuck = program.apply(false);
             Watchdog watchdog = Watchdog.start(stallAfter, probe(stuck), false, reports::add, clock)) {
            Await.until("every live thread of the program waits on its " + lock, () -> stuckOn(stuck, lock));
            long steps = stuck.steps();
            clock.advance(stallAfter.toNanos()); // a look: progress since the start, or a deadlock already
            clock.advance(stallAfter.toNanos()); // no progress for the stall time
            assertThat(reports).as("reported once the stall time passed").isNotEmpty();
            assertThat(stuck.steps()).isEqualTo(steps);
            assertThat(stuck.threads()).anyMatch(Thread::isAlive);
        }
        StallReport report = reports.stream().filter(r -> r.kind() == kind).findFirst().orElseThrow();
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

    /** Whether the program's live threads (one at least) all wait on a lock of the class {@code lock}. */
    private static boolean stuckOn(Deadlocks.Program program, String lock) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Thread> alive = program.threads().stream().filter(Thread::isAlive).toList();
        return !alive.isEmpty() && alive.stream().allMatch(t -> {
            ThreadInfo info = threads.getThreadInfo(t.threadId());
            return info != null && info.getLockName() != null && info.getLockName().startsWith(lock);
        });
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
