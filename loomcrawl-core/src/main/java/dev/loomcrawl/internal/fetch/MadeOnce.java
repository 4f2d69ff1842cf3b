package dev.loomcrawl.internal.fetch;

import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A value made once, on first need, by the first thread that needs it, and kept: a TLS context, or a trust manager
 * that reads the JDK's trust store. No lock is held while it is made, which may read files; the other threads that
 * need it meanwhile wait for it, or for its failure, which is kept too and thrown to each of them (an {@link Error}
 * is not kept: the next caller tries again). Thread-safe.
 *
 * @param <T> what is made
 */
final class MadeOnce<T> {

    /**
     * Makes the value; called once, or again after an {@link Error}. It must not fail because its thread is
     * interrupted, as that failure would be kept.
     */
    @FunctionalInterface
    interface Maker<T> {
        T make() throws GeneralSecurityException;
    }

    private final Maker<T> maker;
    private final AtomicReference<FutureTask<T>> made = new AtomicReference<>();

    MadeOnce(Maker<T> maker) {
        this.maker = maker;
    }

    /**
     * The value, made by this thread if no other made it or is making it.
     *
     * @throws GeneralSecurityException when it could not be made: a new exception each time, with the maker's message,
     *     caused by what the maker threw
     * @throws IllegalStateException likewise, when the maker failed with an unchecked exception
     * @throws Error as the maker threw it
     * @throws InterruptedException when this thread is interrupted while another makes it; the value is still made
     */
    T get() throws GeneralSecurityException, InterruptedException {
        FutureTask<T> task = made.get();
        if (task == null) {
            FutureTask<T> mine = new FutureTask<>(maker::make);
            task = made.compareAndExchange(null, mine);
            if (task == null) {
                task = mine;
                mine.run();
            }
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            switch (cause) {
                case GeneralSecurityException g -> throw new GeneralSecurityException(g.getMessage(), g);
                case Error error -> {
                    made.compareAndSet(task, null); // not kept: the next caller tries again
                    throw error;
                }
                default -> throw new IllegalStateException(cause.getMessage(), cause);
            }
        }
    }
}
