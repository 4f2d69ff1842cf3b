package dev.loomcrawl.internal.fetch;

import java.io.IOException;

/**
 * The byte stream of one connection of the {@link Http1Client}: plain TCP, or TLS over it, on a non-blocking socket
 * whose waits park on the client's {@link SocketPoller}. Used by one thread at a time.
 */
sealed interface Transport permits PlainTransport, TlsTransport {

    /**
     * Reads at least one byte into {@code dst}, waiting until {@code deadlineNanos} (a {@link System#nanoTime()}
     * value); returns how many, or -1 at the end of the stream.
     *
     * @throws java.net.SocketTimeoutException when the deadline passes first
     */
    int read(byte[] dst, long deadlineNanos) throws IOException, InterruptedException;

    /** Writes all of {@code bytes}, waiting until {@code deadlineNanos} at the most. */
    void write(byte[] bytes, long deadlineNanos) throws IOException, InterruptedException;

    /** Closes the socket without waiting; the selector releases it at its next wake-up. */
    void close();
}
