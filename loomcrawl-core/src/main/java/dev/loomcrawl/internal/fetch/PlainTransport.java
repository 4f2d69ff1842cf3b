package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** Plain TCP: the socket's bytes as they come, through one direct buffer. */
final class PlainTransport implements Transport {

    private final SocketChannel channel;
    private final SocketPoller poller;
    private final ByteBuffer io = ByteBuffer.allocateDirect(16384);

    PlainTransport(SocketChannel channel, SocketPoller poller) {
        this.channel = channel;
        this.poller = poller;
    }

    @Override
    public int read(byte[] dst, long deadlineNanos) throws IOException, InterruptedException {
        io.clear().limit(Math.min(io.capacity(), dst.length));
        int n = poller.read(channel, io, deadlineNanos);
        if (n > 0) {
            io.flip().get(dst, 0, n);
        }
        return n;
    }

    @Override
    public void write(byte[] bytes, long deadlineNanos) throws IOException, InterruptedException {
        for (int off = 0; off < bytes.length; ) {
            io.clear();
            int n = Math.min(io.capacity(), bytes.length - off);
            io.put(bytes, off, n).flip();
            while (io.hasRemaining()) {
                if (channel.write(io) == 0) {
                    poller.await(channel, SelectionKey.OP_WRITE, deadlineNanos);
                }
            }
            off += n;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with this socket
        }
    }
}
