package dev.loomcrawl.internal.watchdog;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.loomcrawl.crawl.StallReport;
import dev.loomcrawl.crawl.Ticker;
import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Makes a stuck program loud. Several times per {@code stallAfter} of its {@link Ticker}'s time, a check scheduled
 * on the ticker looks at a progress count: when work is pending and the count has not moved for
 * {@code stallAfter}, it reports a stall naming what is in flight and for how long (and, if asked, a dump of every
 * thread, virtual ones included). It also reports each set of threads the JVM finds deadlocked on monitors or locks
 * ({@link ThreadMXBean#findDeadlockedThreads}, which sees platform threads), naming the threads and the locks.
 * Checks run one after another, never at once. {@link #close()} cancels the next check and waits for one that
 * runs; nothing outlives it.
 */
public final class Watchdog implements AutoCloseable {

    /** What the watchdog watches. Its methods are called on the thread that runs a check, and must not block. */
    public interface Probe {
        /** A count that grows whenever work completes. */
        long progress();

        /** Whether work is pending that should be making progress (not waiting on a schedule). */
        boolean busy();

        /** What is in flight: a name (a URL) and the {@link Ticker#nanoTime()} it began. */
        Map<String, Long> inFlight();

        /** Threads whose state a stall report should tell (what each waits for, and who holds it). None by default. */
        default List<Thread> threads() {
            return List.of();
        }
    }

    private final Duration stallAfter;
    private final Probe probe;
    private final boolean threadDumps;
    private final Consumer<StallReport> listener;
    private final Ticker ticker;
    private final long period;
    private final ReentrantLock scheduling = new ReentrantLock();
    private Ticker.Cancellable next; // guarded by scheduling
    private boolean closed; // guarded by scheduling
    // the checks' state: each check runs after the one before has scheduled it, so each sees the last one's writes
    private ThreadMXBean threads;
    private long lastProgress;
    private long quietSince;
    private boolean reported;
    private List<Long> reportedDeadlock = List.of();

    private Watchdog(Duration stallAfter, Probe probe, boolean threadDumps, Consumer<StallReport> listener, Ticker ticker) {
        this.stallAfter = stallAfter;
        this.probe = probe;
        this.threadDumps = threadDumps;
        this.listener = listener;
        this.ticker = ticker;
        this.period = Math.max(10_000_000L, stallAfter.toNanos() / 5);
    }

    /**
     * Starts watching.
     *
     * @param stallAfter how long without progress, while busy, makes a stall
     * @param threadDumps whether a stall report carries a dump of every thread
     * @param listener receives reports on the thread that runs a check; must not block for long
     * @param ticker whose time the checks follow
     */
    public static Watchdog start(Duration stallAfter, Probe probe, boolean threadDumps, Consumer<StallReport> listener,
                                 Ticker ticker) {
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive, was " + stallAfter);
        }
        Watchdog w = new Watchdog(stallAfter, probe, threadDumps, listener, ticker);
        w.lastProgress = probe.progress();
        w.quietSince = ticker.nanoTime();
        w.scheduleNext();
        return w;
    }

    private void scheduleNext() {
        scheduling.lock();
        try {
            if (!closed) {
                next = ticker.schedule(period, this::check);
            }
        } finally {
            scheduling.unlock();
        }
    }

    private void check() {
        if (threads == null) {
            threads = ManagementFactory.getThreadMXBean();
        }
        long now = ticker.nanoTime();
        long progress = probe.progress();
        if (progress != lastProgress || !probe.busy()) {
            lastProgress = progress;
            quietSince = now;
            reported = false;
        } else if (!reported && now - quietSince >= stallAfter.toNanos()) {
            reported = true;
            listener.accept(new StallReport(StallReport.Kind.STALL, Duration.ofNanos(now - quietSince),
                    inFlight(), List.of(), describe(probe.threads()), threadDumps ? threadDump() : null));
        }
        long[] ids = threads.findDeadlockedThreads();
        List<Long> deadlocked = ids == null ? List.of() : Arrays.stream(ids).sorted().boxed().toList();
        if (!deadlocked.isEmpty() && !deadlocked.equals(reportedDeadlock)) {
            listener.accept(new StallReport(StallReport.Kind.DEADLOCK, Duration.ZERO, inFlight(), describe(ids),
                    List.of(), threadDumps ? threadDump() : null));
        }
        reportedDeadlock = deadlocked;
        scheduleNext();
    }

    private List<String> inFlight() {
        long now = ticker.nanoTime();
        List<String> out = new ArrayList<>();
        probe.inFlight().entrySet().stream()
                .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .forEach(e -> out.add(e.getKey() + " (" + String.format("%.1f", (now - e.getValue()) / 1e9) + " s)"));
        return out;
    }

    private List<String> describe(long[] ids) {
        List<String> lines = new ArrayList<>();
        for (ThreadInfo t : threads.getThreadInfo(ids, true, true)) {
            if (t == null) {
                continue;
            }
            LockInfo lock = t.getLockInfo();
            lines.add("\"" + t.getThreadName() + "\" waits for " + (lock == null ? "?" : lock)
                    + " held by \"" + t.getLockOwnerName() + "\"");
        }
        return lines;
    }

    /**
     * A line per thread: {@code "name" WAITING for <lock> held by "owner"}. The JVM names the lock and its owner
     * for platform threads; for others the object the thread parked on stands for the lock.
     */
    private List<String> describe(List<Thread> watched) {
        List<String> lines = new ArrayList<>();
        for (Thread t : watched) {
            Thread.State state = t.getState();
            StringBuilder line = new StringBuilder("\"").append(t.getName()).append("\" ").append(state);
            ThreadInfo info = t.isVirtual() ? null : threads.getThreadInfo(t.threadId());
            Object blocker = java.util.concurrent.locks.LockSupport.getBlocker(t);
            if (info != null && info.getLockName() != null) {
                line.append(" for ").append(info.getLockName());
                if (info.getLockOwnerName() != null) {
                    line.append(" held by \"").append(info.getLockOwnerName()).append('"');
                }
            } else if (blocker != null) {
                line.append(" for ").append(blocker.getClass().getName()).append('@')
                        .append(Integer.toHexString(System.identityHashCode(blocker)));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Every thread's stack, virtual threads included, as the JDK's thread dump writes it. */
    private static String threadDump() {
        try {
            Path file = Files.createTempFile("loomcrawl-threads", ".txt");
            try {
                Files.delete(file); // the dump refuses to overwrite
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        }
    }

    /** Stops watching: cancels the next check, and waits for one that runs. */
    @Override
    public void close() {
        Ticker.Cancellable last;
        scheduling.lock();
        try {
            closed = true;
            last = next;
        } finally {
            scheduling.unlock();
        }
        if (last != null) {
            last.cancel();
        }
    }
}
