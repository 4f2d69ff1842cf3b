package dev.loomcrawl.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The notes' asyncio lesson, "background tasks versus gather", with virtual threads: {@code slow} takes 10 units
 * and {@code fast} 5. Awaiting them one after the other takes 15; starting {@code slow} in the background and then
 * awaiting {@code fast} takes 10; gathering both takes 10. A background task nobody joins is cancelled when its
 * scope closes, never left running. Time is a {@link VirtualClock}.
 */
public final class Background {

    private final VirtualClock clock;

    public Background(VirtualClock clock) {
        this.clock = clock;
    }

    /** The slow job: 10 units. */
    public String slow() throws InterruptedException {
        clock.sleep(10);
        return "slow";
    }

    /** The fast job: 5 units. */
    public String fast() throws InterruptedException {
        clock.sleep(5);
        return "fast";
    }

    /** One after the other: 15 units. */
    public List<String> sequential() throws InterruptedException {
        return List.of(slow(), fast());
    }

    /** {@code slow} in the background while {@code fast} runs here, then join it: 10 units. */
    public List<String> backgroundThenAwait() throws Exception {
        try (Scope scope = new Scope(clock)) {
            Scope.Task<String> slow = scope.fork(this::slow);
            String fast = fast();
            return List.of(slow.join(), fast);
        }
    }

    /** Both at once, wait for both: 10 units. */
    public List<String> gather() throws Exception {
        try (Scope scope = new Scope(clock)) {
            Scope.Task<String> slow = scope.fork(this::slow);
            Scope.Task<String> fast = scope.fork(this::fast);
            return List.of(slow.join(), fast.join());
        }
    }

    /**
     * {@code slow} started and forgotten, {@code fast} awaited: the scope's end cancels {@code slow}. Returns the
     * forgotten task, to show it was cancelled and its thread is gone.
     */
    public Scope.Task<String> forgottenBackgroundTask() throws Exception {
        Scope.Task<String> forgotten;
        try (Scope scope = new Scope(clock)) {
            forgotten = scope.fork(this::slow);
            fast();
        }
        return forgotten;
    }

    /**
     * A structured scope of virtual threads on a virtual clock: tasks forked in it end before {@link #close()}
     * returns; close cancels (interrupts) those not finished, then waits for every one. Used by one thread.
     */
    public static final class Scope implements AutoCloseable {

        /** A forked task. */
        public static final class Task<T> {
            private final Thread thread;
            private final VirtualClock clock;
            private volatile T result;
            private volatile Exception failure;
            private volatile boolean done;
            private final AtomicBoolean cancelled = new AtomicBoolean();

            private Task(Callable<T> body, VirtualClock clock) {
                this.clock = clock;
                clock.join(); // counted from the fork, so the clock cannot run ahead before the thread starts
                this.thread = Thread.ofVirtual().unstarted(() -> {
                    try {
                        result = body.call();
                    } catch (InterruptedException e) {
                        cancelled.set(true);
                    } catch (Exception e) {
                        failure = e;
                    } finally {
                        done = true;
                        clock.leave();
                    }
                });
            }

            /** Waits for the result; the waiting thread does not hold the clock back. */
            public T join() throws Exception {
                clock.await(() -> done);
                if (failure != null) {
                    throw failure;
                }
                return result;
            }

            /** Whether the task was cancelled before it finished. */
            public boolean cancelled() {
                return cancelled.get();
            }

            /** Whether its thread is still alive. */
            public boolean alive() {
                return thread.isAlive();
            }
        }

        private final VirtualClock clock;
        private final List<Task<?>> tasks = new ArrayList<>();

        public Scope(VirtualClock clock) {
            this.clock = clock;
        }

        public <T> Task<T> fork(Callable<T> body) {
            Task<T> task = new Task<>(body, clock);
            tasks.add(task);
            task.thread.start();
            return task;
        }

        @Override
        public void close() throws InterruptedException {
            for (Task<?> t : tasks) {
                if (!t.done) {
                    t.thread.interrupt();
                }
            }
            for (Task<?> t : tasks) {
                t.thread.join();
            }
        }
    }
}
