package dev.loomcrawl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** The time each schedule takes, on the simulated clock: exact, whatever the machine's load. */
class BackgroundTest {

    private final VirtualClock clock = new VirtualClock();
    private final Background jobs = new Background(clock);

    @BeforeEach
    void takePart() {
        clock.join();
    }

    @RepeatedTest(20)
    void awaitingOneAfterTheOtherTakesFifteen() throws Exception {
        assertThat(jobs.sequential()).containsExactly("slow", "fast");
        assertThat(clock.now()).isEqualTo(15);
    }

    @RepeatedTest(20)
    void aBackgroundTaskAndAnAwaitTakeTen() throws Exception {
        assertThat(jobs.backgroundThenAwait()).containsExactly("slow", "fast");
        assertThat(clock.now()).isEqualTo(10);
    }

    @RepeatedTest(20)
    void gatherTakesTen() throws Exception {
        assertThat(jobs.gather()).containsExactly("slow", "fast");
        assertThat(clock.now()).isEqualTo(10);
    }

    @RepeatedTest(20)
    void aBackgroundTaskNobodyJoinsIsCancelledWhenItsScopeCloses() throws Exception {
        Background.Scope.Task<String> forgotten = jobs.forgottenBackgroundTask();
        assertThat(clock.now()).as("the scope ended after fast, not after slow").isEqualTo(5);
        assertThat(forgotten.cancelled()).isTrue();
        assertThat(forgotten.alive()).isFalse();
        assertThat(List.of(clock.now())).containsExactly(5L);
    }
}
