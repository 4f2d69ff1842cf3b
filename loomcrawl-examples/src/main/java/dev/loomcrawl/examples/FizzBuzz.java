package dev.loomcrawl.examples;

import java.util.function.IntConsumer;

/**
 * LeetCode 1195, "Fizz Buzz Multithreaded": four threads share one instance; {@code fizz} prints for multiples of 3
 * only, {@code buzz} for multiples of 5 only, {@code fizzbuzz} for multiples of 15, {@code number} for the rest,
 * and together they print 1..n in order. Each number is a {@link Turns turn}: only the thread that owns it acts,
 * so "one thread at a time" holds by construction, and no thread spins.
 */
public final class FizzBuzz {

    private final int n;
    private final Turns turns = new Turns(1);

    public FizzBuzz(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more, was " + n);
        }
        this.n = n;
    }

    /** Prints "fizz" for multiples of 3 that are not multiples of 5. */
    public void fizz(Runnable printFizz) throws InterruptedException {
        play(i -> i % 3 == 0 && i % 5 != 0, i -> printFizz.run());
    }

    /** Prints "buzz" for multiples of 5 that are not multiples of 3. */
    public void buzz(Runnable printBuzz) throws InterruptedException {
        play(i -> i % 5 == 0 && i % 3 != 0, i -> printBuzz.run());
    }

    /** Prints "fizzbuzz" for multiples of 15. */
    public void fizzbuzz(Runnable printFizzBuzz) throws InterruptedException {
        play(i -> i % 15 == 0, i -> printFizzBuzz.run());
    }

    /** Prints the numbers that are multiples of neither 3 nor 5. */
    public void number(IntConsumer printNumber) throws InterruptedException {
        play(i -> i % 3 != 0 && i % 5 != 0, printNumber);
    }

    private void play(java.util.function.IntPredicate mine, IntConsumer act) throws InterruptedException {
        for (int i = 1; i <= n; i++) {
            if (mine.test(i)) {
                turns.await(i);
                act.accept(i);
                turns.pass();
            }
        }
    }
}
