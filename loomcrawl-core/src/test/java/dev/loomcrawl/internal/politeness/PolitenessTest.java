package dev.loomcrawl.internal.politeness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loomcrawl.crawl.Slowdown;
import dev.loomcrawl.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Politeness decisions against a manual clock. One test bounds a wait for something that must not happen (a third
 * request while two hold the host's slots) by 200 ms of real time; no other waits for the wall.
 */
class PolitenessTest {

    private static final String URL = "http://example.test/page";
    private static final long SECOND = 1_000_000_000L;

    private final ManualTicker ticker = new ManualTicker();

    private Politeness politeness(int perHost, Duration delay, double rate, Duration crawlDelay) {
        return politeness(perHost, delay, rate, crawlDelay, MachineLoad.NEVER);
    }

    private Politeness politeness(int perHost, Duration delay, double rate, Duration crawlDelay, MachineLoad load) {
        return new Politeness(new PolitenessSettings(perHost, delay, rate, Duration.ofSeconds(30),
                Duration.ofMinutes(2), true, load), ticker, url -> crawlDelay);
    }

    /** Acquires and releases {@code n} permits one after another; returns when each could start. */
    private List<Long> starts(Politeness p, int n) throws InterruptedException {
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Politeness.Permit permit = p.acquire(URL);
            starts.add(ticker.nanoTime());
            permit.release(Politeness.Signal.OK);
        }
        return starts;
    }

    private static List<Long> gaps(List<Long> starts) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            gaps.add(starts.get(i) - starts.get(i - 1));
        }
        return gaps;
    }

    @Test
    void eachChangeOfAHostIsToldAndARestoredStateIsWhereANewCrawlStarts() throws InterruptedException {
        PolitenessSettings settings = new PolitenessSettings(8, null, 0, Duration.ofSeconds(30), Duration.ofMinutes(2), true,
                MachineLoad.NEVER);
        List<HostState> told = new ArrayList<>();
        Politeness first = new Politeness(settings, ticker, url -> null, List.of(), told::add);
        first.acquire(URL).release(Politeness.Signal.OVERLOADED);
        first.pause(URL, Duration.ofSeconds(40), "429 with Retry-After");
        assertThat(told).containsExactly(new HostState("example.test", 4, Duration.ZERO),
                new HostState("example.test", 4, Duration.ofSeconds(40)));

        ticker.advance(Duration.ofSeconds(10).toNanos());
        Politeness resumed = new Politeness(settings, ticker, url -> null,
                List.of(new HostState("example.test", 4, Duration.ofSeconds(30)), new HostState("other.test", 99, Duration.ZERO)),
                state -> { });
        assertThat(resumed.limit(URL)).isEqualTo(4);
        assertThat(resumed.limit("http://other.test/")).as("never above the configured limit").isEqualTo(8);
        long before = ticker.nanoTime();
        resumed.acquire(URL).release(Politeness.Signal.OK);
        assertThat(ticker.nanoTime() - before).as("the pause left goes on").isEqualTo(30 * SECOND);
    }

    @Test
    void requestsToAHostStartNoCloserThanTheDelay() throws InterruptedException {
        List<Long> starts = starts(politeness(4, Duration.ofSeconds(1), 0, null), 5);
        assertThat(gaps(starts)).containsOnly(SECOND);
    }

    @Test
    void aRateCapSpacesRequestsEvenly() throws InterruptedException {
        assertThat(gaps(starts(politeness(4, null, 4, null), 5))).containsOnly(SECOND / 4);
    }

    @Test
    void robotsCrawlDelayIsHonoredUpToTheCapAndAnExplicitDelayOverridesIt() throws InterruptedException {
        assertThat(gaps(starts(politeness(4, null, 0, Duration.ofSeconds(2)), 3))).containsOnly(2 * SECOND);
        assertThat(gaps(starts(politeness(4, null, 0, Duration.ofHours(1)), 3))).containsOnly(30 * SECOND);
        assertThat(gaps(starts(politeness(4, Duration.ofMillis(100), 0, Duration.ofSeconds(2)), 3)))
                .containsOnly(SECOND / 10);
    }

    @Test
    void otherHostsAreNotHeldBackByABusyOne() throws InterruptedException {
        Politeness p = politeness(1, Duration.ofSeconds(10), 0, null);
        p.acquire("http://a.test/1").release(Politeness.Signal.OK);
        long before = ticker.nanoTime();
        p.acquire("http://b.test/1").release(Politeness.Signal.OK);
        assertThat(ticker.nanoTime()).isEqualTo(before);
    }

    @Test
    void noMoreThanPerHostRequestsAreInFlight() throws Exception {
        Politeness p = politeness(2, null, 0, null);
        Politeness.Permit first = p.acquire(URL);
        Politeness.Permit second = p.acquire(URL);
        CountDownLatch third = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                p.acquire(URL).release(Politeness.Signal.OK);
                third.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(third.await(200, TimeUnit.MILLISECONDS)).as("a third request waits for a slot").isFalse();
        first.release(Politeness.Signal.OK);
        assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
        second.release(Politeness.Signal.OK);
        waiter.join();
    }

    @Test
    void retryAfterPausesTheHostForThatLongAtMostTheCap() throws InterruptedException {
        Politeness p = politeness(4, null, 0, null);
        long now = ticker.nanoTime();
        p.pause(URL, Duration.ofSeconds(5), "429 with Retry-After 5s");
        p.acquire(URL).release(Politeness.Signal.OK);
        assertThat(ticker.nanoTime() - now).isEqualTo(5 * SECOND);
        now = ticker.nanoTime();
        p.pause(URL, Duration.ofDays(1), "503 with Retry-After 86400s");
        p.acquire(URL).release(Politeness.Signal.OK);
        assertThat(ticker.nanoTime() - now).isEqualTo(120 * SECOND);
        assertThat(p.slowdowns()).extracting(Slowdown::reason)
                .containsExactly("429 with Retry-After 5s: host paused 5s", "503 with Retry-After 86400s: host paused 120s");
    }

    @Test
    void overloadHalvesTheLimitOncePerRoundAndHealthBringsItBack() throws InterruptedException {
        Politeness p = politeness(16, null, 0, null);
        List<Politeness.Permit> round = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            round.add(p.acquire(URL));
        }
        ticker.advance(1_000_000);
        round.get(0).release(Politeness.Signal.OVERLOADED);
        assertThat(p.limit(URL)).isEqualTo(8);
        round.get(1).release(Politeness.Signal.OVERLOADED); // began before the cut: the same overload
        assertThat(p.limit(URL)).isEqualTo(8);
        ticker.advance(1_000_000);
        Politeness.Permit later = p.acquire(URL);
        ticker.advance(1_000_000);
        later.release(Politeness.Signal.OVERLOADED);
        assertThat(p.limit(URL)).isEqualTo(4);
        round.get(2).release(Politeness.Signal.OK);
        round.get(3).release(Politeness.Signal.OK);
        for (int i = 0; i < 200 && p.limit(URL) < 16; i++) {
            Politeness.Permit ok = p.acquire(URL);
            ticker.advance(1_000_000);
            ok.release(Politeness.Signal.OK);
        }
        assertThat(p.limit(URL)).isEqualTo(16);
        assertThat(p.slowdowns()).extracting(Slowdown::reason).containsExactly(
                "overloaded (429/503): concurrency 16 -> 8", "overloaded (429/503): concurrency 8 -> 4",
                "healthy again: concurrency back to 16");
        assertThat(p.slowdowns()).allMatch(s -> s.host().equals("example.test"));
    }

    @Test
    void risingLatencyLowersTheLimit() throws InterruptedException {
        Politeness p = politeness(8, null, 0, null);
        for (int i = 0; i < 10; i++) {
            Politeness.Permit permit = p.acquire(URL);
            ticker.advance(20_000_000); // 20 ms
            permit.release(Politeness.Signal.OK);
        }
        assertThat(p.limit(URL)).isEqualTo(8);
        for (int i = 0; i < 5 && p.limit(URL) == 8; i++) {
            Politeness.Permit permit = p.acquire(URL);
            ticker.advance(5 * SECOND);
            permit.release(Politeness.Signal.OK);
        }
        assertThat(p.limit(URL)).isEqualTo(4);
        assertThat(p.slowdowns()).singleElement().satisfies(s ->
                assertThat(s.reason()).startsWith("latency rose from 20ms to ").endsWith(": concurrency 8 -> 4"));
    }

    @Test
    void risingLatencyOnSaturatedProcessorsIsThisMachinesAndLowersNothingButOverloadStillDoes()
            throws InterruptedException {
        AtomicBoolean saturated = new AtomicBoolean();
        Politeness p = politeness(8, null, 0, null, saturated::get);
        for (int i = 0; i < 10; i++) {
            Politeness.Permit permit = p.acquire(URL);
            ticker.advance(20_000_000); // 20 ms while the processors are free: the baseline
            permit.release(Politeness.Signal.OK);
        }
        saturated.set(true);
        for (int i = 0; i < 20; i++) {
            Politeness.Permit permit = p.acquire(URL);
            ticker.advance(5 * SECOND); // the crawl's own cores are busy, and every response seems slow
            permit.release(Politeness.Signal.OK);
        }
        assertThat(p.limit(URL)).as("no latency cut while saturated").isEqualTo(8);
        p.acquire(URL).release(Politeness.Signal.OVERLOADED);
        assertThat(p.limit(URL)).as("a 429 or 503 still counts").isEqualTo(4);
        saturated.set(false);
        for (int i = 0; i < 5 && p.slowdownCount() < 2; i++) {
            Politeness.Permit permit = p.acquire(URL);
            ticker.advance(5 * SECOND); // now the server itself is slow
            permit.release(Politeness.Signal.OK);
        }
        assertThat(p.slowdowns()).extracting(Slowdown::reason).containsExactly("overloaded (429/503): concurrency 8 -> 4",
                "latency rose from 20ms to 1813ms: concurrency 4 -> 2"); // the first slow one began as the last cut happened
    }

    @Test
    void anInterruptedWaitGivesItsSlotBack() throws Exception {
        Politeness p = politeness(1, null, 0, null);
        Politeness.Permit held = p.acquire(URL);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                p.acquire(URL);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        Await.until("the waiter parked or ended", () -> waiter.getState() == Thread.State.WAITING
                || waiter.getState() == Thread.State.TERMINATED);
        waiter.interrupt();
        waiter.join();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        held.release(Politeness.Signal.OK);
        p.acquire(URL).release(Politeness.Signal.OK); // the slot is free again
    }

    @Test
    void settingsOutOfRangeNameTheSetting() {
        assertThatThrownBy(() -> new PolitenessSettings(0, null, 0, Duration.ZERO, Duration.ZERO, true))
                .hasMessageContaining("perHost must be 1..4096");
        assertThatThrownBy(() -> new PolitenessSettings(1, null, -1, Duration.ZERO, Duration.ZERO, true))
                .hasMessageContaining("rate must be");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertThat(RetryAfter.parse("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 12:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 11:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse("-5", now)).isNull();
        assertThat(RetryAfter.parse(null, now)).isNull();
    }

    @Test
    void backoffIsExponentialWithFullJitterUpToTheCap() {
        Backoff backoff = new Backoff(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        SplittableRandom random = new SplittableRandom(42);
        for (int retry = 1; retry <= 10; retry++) {
            long bound = Math.min(1_000_000_000L, 100_000_000L << (retry - 1));
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                delays.add(backoff.delayNanos(retry, random));
            }
            assertThat(delays).allMatch(d -> d >= 0 && d <= bound);
            assertThat(delays.stream().distinct().count()).as("jittered").isGreaterThan(100);
            assertThat(delays.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(bound / 2);
        }
        assertThatThrownBy(() -> new Backoff(101, Duration.ZERO, Duration.ZERO)).hasMessageContaining("retries must be 0..100");
    }
}
