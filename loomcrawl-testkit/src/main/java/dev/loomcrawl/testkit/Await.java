package dev.loomcrawl.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits in a test for something other threads bring about, by looking again and again, never longer than a bound:
 * the test waits for the event itself, not for some time in which it should have happened, and fails instead of
 * hanging when it never comes.
 */
public final class Await {

    /** The bound of {@link #until(String, BooleanSupplier)}: far beyond what any awaited event takes. */
    public static final Duration BOUND = Duration.ofSeconds(30);

    private Await() {}

    /**
     * Returns once {@code condition} holds.
     *
     * @param what the event, for the failure's message
     * @throws AssertionError when it does not hold within {@link #BOUND}
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("never happened within " + BOUND.toSeconds() + " s: " + what);
            }
            Thread.onSpinWait();
        }
    }
}
