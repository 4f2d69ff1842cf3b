package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks virtual threads until their non-blocking sockets are ready, with one selector on one platform thread that
 * {@link #close()} ends.
 *
 * <p>Why not the JDK's own pollers, which blocking sockets on virtual threads use: they never end, and at exit
 * HotSpot waits for a while for any thread still in native code. With this poller nothing is left in native code
 * once the client is closed.
 *
 * <p>A waiting thread hands its channel to the selector thread through a queue and parks; the selector thread
 * registers the interest, and on readiness clears it and unparks the thread. No lock is held while waiting.
 * Timeouts and interrupts are the waiting thread's own. Thread-safe.
 */
final class SocketPoller implements AutoCloseable {

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Waiter> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** A thread waiting for {@code ops} on {@code channel}. */
    private static final class Waiter {
        final SocketChannel channel;
        final int ops;
        final Thread thread;
        volatile boolean ready;

        Waiter(SocketChannel channel, int ops, Thread thread) {
            this.channel = channel;
            this.ops = ops;
            this.thread = thread;
        }

        void wake() {
            ready = true;
            LockSupport.unpark(thread);
        }
    }

    SocketPoller() throws IOException {
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().daemon().name("loomcrawl-poller").start(this::loop);
    }

    /**
     * Parks the calling thread until {@code channel} is ready for {@code ops} (one of the {@link SelectionKey}
     * operations), or the deadline passes.
     *
     * @throws SocketTimeoutException when {@code deadlineNanos} (a {@link System#nanoTime()} value) passes
     * @throws InterruptedException when the thread is interrupted
     * @throws IOException when the poller is closed
     */
    void await(SocketChannel channel, int ops, long deadlineNanos) throws IOException, InterruptedException {
        Waiter w = new Waiter(channel, ops, Thread.currentThread());
        requests.add(w);
        selector.wakeup();
        while (!w.ready) {
            if (closed) {
                throw new IOException("client closed");
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("request timeout");
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException("request cancelled");
            }
        }
    }

    /**
     * Reads at least one byte from {@code channel} into {@code dst}, parking the calling thread on this poller
     * while it has none. When the first read finds nothing, a virtual thread first lets the carrier run the other
     * virtual threads that are ready and reads once more: a response's bytes often arrive microseconds apart (one
     * TLS record after another, the body after the headers), and a second read then spares a wait's round trip
     * through the selector thread, which costs switches of the operating system's threads. When it finds nothing,
     * it has cost one more system call.
     *
     * @return the bytes read, or -1 at the end of the stream
     * @throws SocketTimeoutException as {@link #await}
     * @throws InterruptedException as {@link #await}
     * @throws IOException as {@link #await}, or when the read fails
     */
    int read(SocketChannel channel, ByteBuffer dst, long deadlineNanos) throws IOException, InterruptedException {
        int n = channel.read(dst);
        if (n == 0 && Thread.currentThread().isVirtual()) {
            Thread.yield();
            n = channel.read(dst);
        }
        while (n == 0) {
            await(channel, SelectionKey.OP_READ, deadlineNanos);
            n = channel.read(dst);
        }
        return n;
    }

    /** Lets the selector thread release a closed channel's socket now rather than at its next wake-up. */
    void forget() {
        selector.wakeup();
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select();
                Waiter w;
                while ((w = requests.poll()) != null) {
                    try {
                        SelectionKey key = w.channel.keyFor(selector);
                        if (key == null) {
                            w.channel.register(selector, w.ops, w);
                        } else {
                            key.attach(w);
                            key.interestOps(w.ops);
                        }
                    } catch (ClosedChannelException | CancelledKeyException e) {
                        w.wake(); // the channel is closed: the waiter's next read or write says so
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        key.interestOps(0);
                    }
                    ((Waiter) key.attachment()).wake();
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            // the selector failed: waiters see `closed` when they wake
        } finally {
            closed = true;
            for (Waiter w : requests) {
                w.wake();
            }
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Waiter w) {
                    w.wake();
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Ends the selector thread and waits for it; threads still waiting are woken and fail. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        dev.loomcrawl.internal.engine.Join.uninterruptibly(thread);
    }
}
