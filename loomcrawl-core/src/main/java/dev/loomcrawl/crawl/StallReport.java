package dev.loomcrawl.crawl;

import java.time.Duration;
import java.util.List;

/**
 * What the watchdog of a crawl reports: a stall (nothing completed for a while, though work was pending)
 * or a deadlock among threads.
 *
 * @param kind a stall or a deadlock
 * @param quietFor how long no progress was made (for a stall)
 * @param inFlight what was in flight, longest first, as {@code name (seconds)}
 * @param deadlocks for a deadlock, one line per thread: which lock it waits for and who holds it
 * @param threads for a stall, one line per thread the probe names: its state, what it waits for, who holds it
 * @param threadDump a dump of all threads when asked for, or {@code null}
 */
public record StallReport(Kind kind, Duration quietFor, List<String> inFlight, List<String> deadlocks,
                          List<String> threads, String threadDump) {

    public enum Kind { STALL, DEADLOCK }

    /** The report in a few lines of text. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (kind == Kind.STALL) {
            b.append("stalled: nothing completed for ").append(quietFor.toMillis()).append(" ms; ")
                    .append(inFlight.size()).append(" in flight");
            inFlight.stream().limit(20).forEach(s -> b.append("\n  ").append(s));
            if (inFlight.size() > 20) {
                b.append("\n  ... and ").append(inFlight.size() - 20).append(" more");
            }
            threads.forEach(s -> b.append("\n  ").append(s));
        } else {
            b.append("deadlock detected:");
            deadlocks.forEach(s -> b.append("\n  ").append(s));
        }
        if (threadDump != null) {
            b.append("\n").append(threadDump);
        }
        return b.toString();
    }
}
