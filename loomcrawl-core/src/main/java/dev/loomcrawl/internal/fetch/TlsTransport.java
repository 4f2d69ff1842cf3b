package dev.loomcrawl.internal.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS over a non-blocking socket with an {@link SSLEngine}, the native engine's or the JDK's as the context
 * provides: TLS 1.2 and 1.3, SNI, the server's certificate checked against the context's trust and its host name
 * (RFC 2818, as HTTPS does), ALPN offering {@code http/1.1} alone. Engines are made for the peer's host and port,
 * so the context's session cache resumes sessions across a host's connections.
 *
 * <p>A connection that ends without a close_notify ends the stream like a close after one: HTTP/1.1 framing says
 * whether a body was whole, as in curl and browsers.
 */
final class TlsTransport implements Transport {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SocketPoller poller;
    private final SSLEngine engine;
    /** Bytes from the socket not yet unwrapped, in [0, position). */
    private ByteBuffer netIn;
    /** Bytes wrapped, not yet written, in [0, position). */
    private ByteBuffer netOut;
    /** Bytes unwrapped, not yet read, in [position, limit). */
    private ByteBuffer appIn;
    private boolean inboundDone;

    private TlsTransport(SocketChannel channel, SocketPoller poller, SSLEngine engine) {
        this.channel = channel;
        this.poller = poller;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(packet);
        this.netOut = ByteBuffer.allocateDirect(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).limit(0);
    }

    /**
     * Makes the handshake with {@code host} on a connected channel.
     *
     * @throws SocketTimeoutException ("tls handshake timeout") when the deadline passes first; every failure of
     *     the handshake says "tls handshake", or is an {@link SSLException}
     * @throws javax.net.ssl.SSLHandshakeException when the server's certificate or protocol is refused
     */
    static TlsTransport handshake(SocketChannel channel, SocketPoller poller, SSLContext context, String host, int port,
                                  long deadlineNanos) throws IOException, InterruptedException {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        if (!isIpLiteral(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                // a name SNI cannot carry (such as one with '_'): sent without, as browsers do
            }
        }
        engine.setSSLParameters(parameters);
        TlsTransport tls = new TlsTransport(channel, poller, engine);
        boolean done = false;
        try {
            engine.beginHandshake();
            tls.completeHandshake(deadlineNanos);
            done = true;
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("tls handshake timeout");
        } catch (SSLException e) {
            tls.sendLastWords();
            throw e;
        } catch (EOFException e) {
            throw new EOFException("connection closed during tls handshake");
        } catch (java.net.SocketException e) {
            throw new java.net.SocketException((e.getMessage() == null ? "connection failed" : e.getMessage())
                    + " during tls handshake", e);
        } finally {
            if (!done) {
                tls.release();
            }
        }
        return tls;
    }

    private static boolean isIpLiteral(String host) {
        try {
            java.net.InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void completeHandshake(long deadlineNanos) throws IOException, InterruptedException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    if (wrap(EMPTY, deadlineNanos) == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed the tls session during the handshake");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && receive(deadlineNanos) < 0) {
                        throw new EOFException("connection closed during tls handshake");
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the server closed the tls session during the handshake");
                    }
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    @Override
    public int read(byte[] dst, long deadlineNanos) throws IOException, InterruptedException {
        while (!appIn.hasRemaining()) {
            if (inboundDone) {
                return -1;
            }
            SSLEngineResult r = unwrap();
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    if (receive(deadlineNanos) < 0) {
                        inboundDone = true; // without close_notify: the HTTP framing tells whether a body was whole
                    }
                }
                case CLOSED -> inboundDone = true;
                case OK, BUFFER_OVERFLOW -> {
                    if (r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                            && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.FINISHED) {
                        completeHandshake(deadlineNanos); // a key update or renegotiation
                    }
                }
            }
        }
        int n = Math.min(dst.length, appIn.remaining());
        appIn.get(dst, 0, n);
        return n;
    }

    @Override
    public void write(byte[] bytes, long deadlineNanos) throws IOException, InterruptedException {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        while (src.hasRemaining()) {
            if (wrap(src, deadlineNanos) == SSLEngineResult.Status.CLOSED) {
                throw new EOFException("connection closed before response");
            }
        }
    }

    /** Wraps what it can of {@code src} into {@link #netOut} and writes it out; returns the engine's status. */
    private SSLEngineResult.Status wrap(ByteBuffer src, long deadlineNanos) throws IOException, InterruptedException {
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && netOut.position() == 0) {
            netOut = larger(netOut.flip(), engine.getSession().getPacketBufferSize()); // too small even when empty
        }
        flush(deadlineNanos);
        return r.getStatus();
    }

    /** Unwraps what {@link #netIn} holds into {@link #appIn}, keeping the bytes read of neither. */
    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        appIn.compact();
        try {
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                appIn = larger(appIn.flip(), engine.getSession().getApplicationBufferSize());
            }
            return r;
        } finally {
            appIn.flip();
            netIn.compact();
        }
    }

    /** Reads from the socket into {@link #netIn}, waiting for at least one byte; -1 at the end of the stream. */
    private int receive(long deadlineNanos) throws IOException, InterruptedException {
        if (!netIn.hasRemaining()) {
            netIn = larger(netIn.flip(), engine.getSession().getPacketBufferSize());
        }
        return poller.read(channel, netIn, deadlineNanos);
    }

    private void flush(long deadlineNanos) throws IOException, InterruptedException {
        netOut.flip();
        try {
            while (netOut.hasRemaining()) {
                if (channel.write(netOut) == 0) {
                    poller.await(channel, SelectionKey.OP_WRITE, deadlineNanos);
                }
            }
        } finally {
            netOut.compact();
        }
    }

    /** A buffer of twice the capacity, or {@code size} if more, holding {@code full}'s remaining bytes, in write mode. */
    private static ByteBuffer larger(ByteBuffer full, int size) {
        ByteBuffer bigger = full.isDirect() ? ByteBuffer.allocateDirect(Math.max(size, full.capacity() * 2))
                : ByteBuffer.allocate(Math.max(size, full.capacity() * 2));
        return bigger.put(full);
    }

    /**
     * Sends what the engine has to say on its own (an alert after a failed handshake, close_notify after
     * {@link SSLEngine#closeOutbound}), if the socket takes it now: the connection is ending either way.
     */
    private void sendLastWords() {
        try {
            netOut.clear();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            channel.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // the connection ends either way; a failed handshake's exception is what the caller reports
        }
    }

    /**
     * Closes both directions of the engine, which frees the native engine's memory now rather than when the engine
     * is collected. The peer's close_notify is not waited for: the connection is ending.
     */
    private void release() {
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException ignored) {
            // the JDK's engine says the peer sent no close_notify: it need not have, the socket closes anyway
        }
    }

    @Override
    public void close() {
        engine.closeOutbound();
        sendLastWords();
        release();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with this socket
        }
    }
}
