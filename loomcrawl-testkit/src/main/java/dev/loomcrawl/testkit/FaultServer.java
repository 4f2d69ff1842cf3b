package dev.loomcrawl.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A loopback HTTP/1.1 server written on raw sockets, so that it can misbehave as real servers and networks do:
 * each path answers with a {@link Fault} (a normal {@link Resource} is one). It keeps connections alive, counts
 * requests per request target and records every request's headers, so tests can check what a crawler sent and
 * where. {@link #close()} stops everything, stalled handlers included.
 *
 * <pre>{@code
 * try (FaultServer server = FaultServer.start()) {
 *     server.route("/", Fault.serve(Resource.html("<a href=/slow>s</a>")));
 *     server.route("/slow", Fault.trickle(Duration.ofMillis(200)));
 *     ...
 * }
 * }</pre>
 */
public final class FaultServer implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param method the request method, such as {@code GET} or {@code HEAD}
     * @param target the request target (path and query)
     * @param headers the header fields, names in lower case
     */
    public record Request(String method, String target, Map<String, String> headers) {}

    /**
     * One TLS handshake as the server saw it, whether full or resumed.
     *
     * @param protocol the version agreed, such as {@code TLSv1.3}
     * @param serverNames the host names the client asked for by SNI (none for an IP address)
     * @param offeredProtocols the application protocols the client offered by ALPN, in its order
     * @param sessionCreated when the session was made ({@link SSLSession#getCreationTime}): a resumed session
     *     keeps its first handshake's time
     */
    public record Handshake(String protocol, List<String> serverNames, List<String> offeredProtocols,
                            long sessionCreated) {}

    private final ServerSocket listener;
    private final Thread acceptor;
    private final Map<String, Fault> routes = new ConcurrentHashMap<>();
    private volatile Fault fallback;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Notified whenever a request is read or answered, or a connection closes. */
    private final Object activity = new Object();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile boolean closed;
    /** The TLS context connections are served with, or {@code null} for plain http. */
    private final SSLContext tls;
    private final HandshakeFault handshakeFault;
    /** The TLS versions the server accepts, or {@code null} for its context's defaults. */
    private final String[] protocols;
    private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();

    /** How a TLS server can fail before any HTTP: each connection's handshake goes this way. */
    public enum HandshakeFault {
        /** Reads the ClientHello and never answers. */
        STALL,
        /** Reads the ClientHello and resets the connection. */
        RESET,
        /** Refuses the client's versions with a protocol_version alert, as a server that speaks TLS 1.0 alone. */
        TLS_1_0_ONLY,
        /** Answers in plain http (400), as a plain http server does on the port an https URL names. */
        PLAIN_HTTP
    }

    private FaultServer(ServerSocket listener, SSLContext tls, HandshakeFault handshakeFault, String[] protocols) {
        this.listener = listener;
        this.tls = tls;
        this.handshakeFault = handshakeFault;
        this.protocols = protocols;
        this.fallback = Fault.serve(Resource.of(404, "text/html", "<!doctype html><h1>404</h1>".getBytes(StandardCharsets.US_ASCII)));
        this.acceptor = Thread.ofVirtual().name("fault-server-accept").unstarted(this::accept);
    }

    /** Starts a server on 127.0.0.1 and an ephemeral port. */
    public static FaultServer start() throws IOException {
        return start(null, null, null);
    }

    /**
     * Starts an https server on 127.0.0.1 and an ephemeral port, presenting the key of {@code tls}. Faults act on
     * the decrypted stream; a reset resets the TCP connection, and closing the connection sends close_notify unless
     * the fault closes the socket beneath ({@link Fault#closeWithoutCloseNotify}).
     */
    public static FaultServer startTls(SSLContext tls) throws IOException {
        return start(tls, null, null);
    }

    /** As {@link #startTls(SSLContext)}, accepting only these TLS versions (such as {@code TLSv1.2}). */
    public static FaultServer startTls(SSLContext tls, String... protocols) throws IOException {
        return start(tls, null, protocols.clone());
    }

    /** Starts a server on 127.0.0.1 whose every TLS handshake fails as {@code fault} says. */
    public static FaultServer startFailingHandshakes(HandshakeFault fault) throws IOException {
        return start(null, fault, null);
    }

    private static FaultServer start(SSLContext tls, HandshakeFault fault, String[] protocols) throws IOException {
        FaultServer s = new FaultServer(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()), tls, fault,
                protocols);
        s.acceptor.start();
        return s;
    }

    /** Answers {@code target} (a path, or a path and query) with {@code fault}. */
    public FaultServer route(String target, Fault fault) {
        routes.put(target, fault);
        return this;
    }

    /** Serves each resource normally. */
    public FaultServer serve(Map<String, Resource> resources) {
        resources.forEach((path, r) -> routes.put(path, Fault.serve(r)));
        return this;
    }

    /** Answers targets no route names (default: a 404 page). */
    public FaultServer otherwise(Fault fault) {
        this.fallback = fault;
        return this;
    }

    public String baseUrl() {
        return (tls != null || handshakeFault != null ? "https" : "http") + "://127.0.0.1:" + listener.getLocalPort();
    }

    public String url(String path) {
        return baseUrl() + path;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many requests asked for this target. */
    public long requests(String target) {
        LongAdder n = counts.get(target);
        return n == null ? 0 : n.sum();
    }

    /** Requests per target, a snapshot. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Every TLS handshake so far, full or resumed, in the order they ended. */
    public List<Handshake> handshakes() {
        return List.copyOf(handshakes);
    }

    /**
     * The full handshakes among {@link #handshakes()}: the sessions made, as told by their creation times, which a
     * resumed session keeps. Two made in the same millisecond count as one.
     */
    public long fullHandshakes() {
        return handshakes.stream().mapToLong(Handshake::sessionCreated).distinct().count();
    }

    private static Handshake handshake(SSLSession session, List<String> offered) {
        List<String> names = new ArrayList<>();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    names.add(host.getAsciiName());
                }
            }
        }
        return new Handshake(session.getProtocol(), List.copyOf(names), List.copyOf(offered), session.getCreationTime());
    }

    /** Every request so far, in arrival order. */
    public List<Request> requestLog() {
        return List.copyOf(log);
    }

    /**
     * Waits until the server has read {@code n} requests in all, or {@code timeout} has passed.
     *
     * @return whether it has read them
     */
    public boolean awaitRequests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (activity) {
            while (log.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                activity.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void changed() {
        synchronized (activity) {
            activity.notifyAll();
        }
    }

    /** The most requests that were being answered at once. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(socket);
            Thread t = Thread.ofVirtual().name("fault-server-conn").unstarted(() -> serve(socket));
            handlers.add(t);
            t.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true); // a head and body written apart must not wait for the client's delayed ACK
            if (handshakeFault != null) {
                failHandshake(socket);
                return;
            }
            Socket stream = socket;
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, false);
                secure.setUseClientMode(false);
                if (protocols != null) {
                    secure.setEnabledProtocols(protocols);
                }
                List<String> offered = new CopyOnWriteArrayList<>();
                secure.setHandshakeApplicationProtocolSelector((ignored, offers) -> {
                    offered.addAll(offers);
                    return offers.contains("http/1.1") ? "http/1.1" : "";
                });
                secure.startHandshake();
                handshakes.add(handshake(secure.getSession(), offered));
                stream = secure;
            }
            InputStream in = new BufferedInputStream(stream.getInputStream());
            OutputStream out = new java.io.BufferedOutputStream(stream.getOutputStream(), 64 * 1024);
            try (Socket closing = stream) { // over TLS: sends close_notify, unless a fault closed the socket beneath
                serve(socket, in, out);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server is closing
        } finally {
            open.remove(socket);
            handlers.remove(Thread.currentThread());
            changed();
        }
    }

    /** Answers requests on one connection until it ends, a fault ends it, or the server closes. */
    private void serve(Socket socket, InputStream in, OutputStream out) throws IOException, InterruptedException {
        while (!closed) {
            Request request = readRequest(in);
            if (request == null) {
                return;
            }
            counts.computeIfAbsent(request.target(), k -> new LongAdder()).increment();
            log.add(request);
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            changed();
            boolean keepOpen;
            try {
                Fault fault = routes.get(request.target());
                if (fault == null) {
                    int q = request.target().indexOf('?');
                    fault = q < 0 ? null : routes.get(request.target().substring(0, q));
                }
                keepOpen = (fault == null ? fallback : fault).respond(request, socket, out);
            } finally {
                inFlight.decrementAndGet();
                changed();
            }
            if (socket.isClosed()) {
                return;
            }
            out.flush();
            if (!keepOpen || "close".equalsIgnoreCase(request.headers().get("connection"))) {
                return;
            }
        }
    }

    /** Reads the ClientHello's record, then fails as {@link #handshakeFault} says. */
    private void failHandshake(Socket socket) throws IOException, InterruptedException {
        InputStream in = socket.getInputStream();
        byte[] header = in.readNBytes(5);
        if (header.length < 5) {
            return;
        }
        in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
        switch (handshakeFault) {
            case STALL -> Thread.sleep(Long.MAX_VALUE);
            case RESET -> {
                socket.setSoLinger(true, 0);
                socket.close();
            }
            case TLS_1_0_ONLY -> {
                OutputStream out = socket.getOutputStream();
                out.write(new byte[] {0x15, 3, 1, 0, 2, 2, 70}); // fatal alert protocol_version, in a TLS 1.0 record
                out.flush();
                in.read(); // until the client's alert or close
            }
            case PLAIN_HTTP -> {
                socket.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 11\r\nConnection: close\r\n\r\nBad Request").getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                in.transferTo(OutputStream.nullOutputStream()); // until the client closes: no reset
            }
        }
    }

    /** Reads a request head; returns null at the end of the stream. Request bodies are not expected. */
    private static Request readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 3) {
            throw new IOException("bad request line: " + requestLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (first, more) -> first + ", " + more); // a repeated field, as HTTP joins it
            }
        }
        return new Request(parts[0], parts[1], headers);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Stops accepting, closes every connection, and waits for every handler to end. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        List<Thread> all = new ArrayList<>(handlers);
        all.add(acceptor);
        for (Thread t : all) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
