package dev.loomcrawl.crawl;

import java.time.Duration;

/**
 * A moment when the crawl slowed down for a host, and why.
 *
 * @param at the time since the crawl began
 * @param host the host, as {@code name} or {@code name:port}
 * @param reason what happened, such as {@code 429 with Retry-After: paused 5s} or {@code 503: concurrency 16 -> 8}
 */
public record Slowdown(Duration at, String host, String reason) {}
