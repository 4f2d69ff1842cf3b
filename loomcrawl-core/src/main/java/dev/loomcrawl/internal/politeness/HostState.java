package dev.loomcrawl.internal.politeness;

import java.time.Duration;

/**
 * What a crawl learned about a host's capacity, kept so a resumed crawl starts where the last one left off instead
 * of at full speed against a server that asked for less.
 *
 * @param host the host, as {@code name} or {@code name:port}
 * @param limit the host's concurrency limit, at least 1
 * @param pause how long, from the moment of the snapshot, no request to the host may start ({@link Duration#ZERO}
 *     for none)
 */
public record HostState(String host, int limit, Duration pause) {
    public HostState {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (pause.isNegative()) {
            pause = Duration.ZERO;
        }
    }
}
