package dev.loomcrawl.internal.politeness;

import dev.loomcrawl.crawl.Slowdown;
import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.url.WebUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Decides when each request may start so that no host is hammered: a slot under the host's concurrency limit,
 * the host's delay or rate, and any pause a server asked for. Every request takes a {@link Permit} first and
 * releases it with what the response said, which drives the adaptive limit. One per crawl; thread-safe.
 */
public final class Politeness {

    /** The most slowdown events kept; later ones are counted only. */
    static final int MAX_EVENTS = 100;

    /** What a response tells about the host's health. */
    public enum Signal {
        /** A response that is not a sign of overload. */
        OK,
        /** 429 or 503: the host asks for less. */
        OVERLOADED,
        /** No response, or one that says nothing about load: the limit stays. */
        FAILED
    }

    /** The right to make one request to a host; release it exactly once. */
    public static final class Permit {
        private final HostThrottle throttle;
        private final long startedAt;

        Permit(HostThrottle throttle, long startedAt) {
            this.throttle = throttle;
            this.startedAt = startedAt;
        }

        long startedAt() {
            return startedAt;
        }

        /** Ends the request, telling what it showed of the host's health. */
        public void release(Signal signal) {
            throttle.release(this, signal);
        }
    }

    private final PolitenessSettings settings;
    private final Ticker ticker;
    private final Function<String, Duration> crawlDelay;
    private final long began;
    private final ConcurrentHashMap<String, HostThrottle> hosts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Slowdown> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger eventCount = new AtomicInteger();
    private final AtomicInteger sleeping = new AtomicInteger();
    private final Map<String, HostState> restored;
    private final Consumer<HostState> changes;

    /**
     * @param crawlDelay the robots.txt Crawl-delay of a URL's host, or {@code null}; asked once per host
     */
    public Politeness(PolitenessSettings settings, Ticker ticker, Function<String, Duration> crawlDelay) {
        this(settings, ticker, crawlDelay, List.of(), state -> { });
    }

    /**
     * A politeness that starts from what an earlier crawl learned, and tells of each change a later one should know.
     *
     * @param restored host states to start from (a limit above the configured one is cut to it)
     * @param changes told each time a host's limit or pause changes; called with the host's lock held, so it must be
     *     quick, take no lock of its own that waits, and never throw
     */
    public Politeness(PolitenessSettings settings, Ticker ticker, Function<String, Duration> crawlDelay,
                      List<HostState> restored, Consumer<HostState> changes) {
        this.settings = settings;
        this.ticker = ticker;
        this.crawlDelay = crawlDelay;
        this.began = ticker.nanoTime();
        Map<String, HostState> byHost = new java.util.HashMap<>();
        restored.forEach(h -> byHost.put(h.host(), h));
        this.restored = Map.copyOf(byHost);
        this.changes = changes;
    }

    /** Waits until a request to {@code url}'s host may start. */
    public Permit acquire(String url) throws InterruptedException {
        return throttle(url).acquire();
    }

    /** Starts no request to {@code url}'s host for {@code pause} (capped at the configured maximum). */
    public void pause(String url, Duration pause, String why) {
        Duration p = pause.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : pause;
        throttle(url).pause(ticker.nanoTime() + p.toNanos(), why + ": host paused " + format(p));
    }

    /** The current concurrency limit of {@code url}'s host. */
    public int limit(String url) {
        return throttle(url).limit();
    }

    /** How many requests are waiting for their host's next start time (not stuck: scheduled). */
    public int waitingForTime() {
        return sleeping.get();
    }

    /** When and why the crawl slowed down, in order: the first {@value #MAX_EVENTS}. */
    public List<Slowdown> slowdowns() {
        return new ArrayList<>(events);
    }

    /** How many slowdowns happened, kept or not. */
    public int slowdownCount() {
        return eventCount.get();
    }

    private HostThrottle throttle(String url) {
        String host = host(url);
        HostThrottle t = hosts.get(host);
        if (t == null) {
            long interval = settings.intervalNanos(crawlDelay.apply(url)); // may wait for robots.txt: not in the map's lock
            t = hosts.computeIfAbsent(host, h -> new HostThrottle(h, this, ticker, interval, settings.perHost(),
                    settings.adaptive(), settings.machineLoad(), restored.get(h)));
        }
        return t;
    }

    void sleep(Ticker t, long nanos) throws InterruptedException {
        sleeping.incrementAndGet();
        try {
            t.sleep(nanos);
        } finally {
            sleeping.decrementAndGet();
        }
    }

    void changed(HostState state) {
        changes.accept(state);
    }

    void record(String host, String reason) {
        if (eventCount.incrementAndGet() <= MAX_EVENTS) {
            events.add(new Slowdown(Duration.ofNanos(ticker.nanoTime() - began), host, reason));
        }
    }

    /** {@code host} or {@code host:port} of an http(s) URL: what politeness keeps apart. */
    static String host(String url) {
        WebUrl parts = WebUrl.parse(url);
        if (parts == null) {
            throw new IllegalArgumentException("not an http or https URL: " + url);
        }
        return parts.hostPort();
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
