package dev.loomcrawl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FizzBuzzIT {

    private static List<String> expected(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(i % 15 == 0 ? "fizzbuzz" : i % 3 == 0 ? "fizz" : i % 5 == 0 ? "buzz" : Integer.toString(i));
        }
        return out;
    }

    /** Runs the four methods on four threads of {@code factory}; returns what they printed, in order. */
    private static List<String> play(int n, ThreadFactory factory) throws InterruptedException {
        FizzBuzz game = new FizzBuzz(n);
        // not synchronized on purpose: turn-taking alone must keep the threads apart
        List<String> printed = new ArrayList<>();
        List<Thread> threads = List.of(
                factory.newThread(run(() -> game.fizz(() -> printed.add("fizz")))),
                factory.newThread(run(() -> game.buzz(() -> printed.add("buzz")))),
                factory.newThread(run(() -> game.fizzbuzz(() -> printed.add("fizzbuzz")))),
                factory.newThread(run(() -> game.number(i -> printed.add(Integer.toString(i))))));
        List<Thread> shuffled = new ArrayList<>(threads);
        Collections.shuffle(shuffled);
        shuffled.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        return printed;
    }

    private interface Play {
        void run() throws InterruptedException;
    }

    private static Runnable run(Play p) {
        return () -> {
            try {
                p.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {true, false})
    void everyNFrom1To1000PrintsExactlyTheSequence(boolean virtual) throws InterruptedException {
        ThreadFactory factory = virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory();
        for (int n = 1; n <= 1000; n++) {
            assertThat(play(n, factory)).as("n = %d", n).isEqualTo(expected(n));
        }
    }

    @Test
    void manyRepetitionsOfALongGameStayInOrder() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            ThreadFactory factory = round % 2 == 0 ? Thread.ofVirtual().factory() : Thread.ofPlatform().factory();
            assertThat(play(300, factory)).isEqualTo(expected(300));
        }
    }
}
