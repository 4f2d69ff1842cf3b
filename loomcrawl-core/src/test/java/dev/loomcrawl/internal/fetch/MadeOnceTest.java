package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.testkit.Await;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** A value made once by the first thread that needs it, while the others wait without a lock. */
class MadeOnceTest {

    /** A thread that gets the value, and sets {@code got} to it or to what was thrown. */
    private static Thread calling(MadeOnce<?> once, AtomicReference<Object> got) {
        return Thread.ofPlatform().start(() -> {
            try {
                got.set(once.get());
            } catch (Exception e) {
                got.set(e);
            }
        });
    }

    private static boolean allWaiting(List<Thread> threads) {
        return threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
    }

    @RepeatedTest(5)
    void threadsThatNeedTheValueWhileItIsMadeWaitForItAndItIsMadeOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger makes = new AtomicInteger();
        MadeOnce<Object> once = new MadeOnce<>(() -> {
            makes.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new Object();
        });
        ConcurrentLinkedQueue<Object> got = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await(); // all at once: the first calls meet
                    entered.incrementAndGet();
                    got.add(once.get());
                } catch (Exception e) {
                    got.add(e);
                }
            }));
        }
        Await.until("every thread is ready", () -> allWaiting(threads));
        go.countDown();
        Await.until("every thread waits: one in the maker, the others for it",
                () -> entered.get() == 8 && makes.get() == 1 && allWaiting(threads));
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(makes).hasValue(1);
        assertThat(got).hasSize(8).allMatch(v -> v == got.peek()).noneMatch(v -> v instanceof Exception);
        assertThat(once.get()).isSameAs(got.peek());
    }

    @Test
    void aFailureIsKeptAndEachCallerGetsItsOwnExceptionWithTheMakersMessage() {
        AtomicInteger makes = new AtomicInteger();
        GeneralSecurityException thrown = new GeneralSecurityException("no trust store");
        MadeOnce<Object> once = new MadeOnce<>(() -> {
            makes.incrementAndGet();
            throw thrown;
        });
        AtomicReference<Throwable> first = new AtomicReference<>();
        assertThatThrownBy(once::get).isInstanceOf(GeneralSecurityException.class).hasMessage("no trust store")
                .hasCause(thrown).satisfies(first::set);
        assertThatThrownBy(once::get).isInstanceOf(GeneralSecurityException.class).hasMessage("no trust store")
                .hasCause(thrown).isNotSameAs(first.get());
        assertThat(makes).hasValue(1);
    }

    @Test
    void anErrorIsThrownAsItIsAndNotKept() throws Exception {
        AtomicInteger makes = new AtomicInteger();
        MadeOnce<String> once = new MadeOnce<>(() -> {
            if (makes.incrementAndGet() == 1) {
                throw new StackOverflowError("deep");
            }
            return "made";
        });
        assertThatThrownBy(once::get).isInstanceOf(StackOverflowError.class).hasMessage("deep");
        assertThat(once.get()).isEqualTo("made");
        assertThat(once.get()).isEqualTo("made");
        assertThat(makes).hasValue(2);
    }

    @Test
    void anUncheckedFailureIsAnIllegalState() {
        MadeOnce<Object> once = new MadeOnce<>(() -> {
            throw new UnsupportedOperationException("no provider");
        });
        assertThatThrownBy(once::get).isInstanceOf(IllegalStateException.class).hasMessage("no provider")
                .hasCauseInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aWaiterThatIsInterruptedStopsWaitingAndTheValueIsStillMade() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MadeOnce<String> once = new MadeOnce<>(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "context";
        });
        AtomicReference<Object> maker = new AtomicReference<>();
        AtomicReference<Object> waiter = new AtomicReference<>();
        Thread making = calling(once, maker);
        Await.until("the maker waits", () -> making.getState() == Thread.State.WAITING);
        Thread waiting = calling(once, waiter);
        Await.until("the other thread waits for the value", () -> waiting.getState() == Thread.State.WAITING);
        waiting.interrupt();
        waiting.join();
        assertThat(waiter.get()).isInstanceOf(InterruptedException.class);
        release.countDown();
        making.join();
        assertThat(maker).hasValue("context");
        assertThat(once.get()).isEqualTo("context");
    }
}
