package dev.loomcrawl.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * How a {@link FaultServer} answers one request: correctly, or in one of the ways servers and networks fail.
 * Faults that wait (stalls, trickles) wait until the client gives up or the server closes.
 */
@FunctionalInterface
public interface Fault {

    /**
     * Answers {@code request} on {@code socket}; returns whether the connection may carry another request.
     */
    boolean respond(FaultServer.Request request, Socket socket, OutputStream out) throws IOException, InterruptedException;

    /** A correct response with this resource (to HEAD, the head alone). */
    static Fault serve(Resource r) {
        return (request, socket, out) -> {
            writeHead(out, r.status(), r.contentType(), r.headers(), r.body().length);
            if (!request.method().equals("HEAD")) {
                out.write(r.body());
            }
            return true;
        };
    }

    /** Answers HEAD with 405 Method Not Allowed, as some servers do, and other methods as {@code then}. */
    static Fault refusingHead(Fault then) {
        return (request, socket, out) -> request.method().equals("HEAD")
                ? status(405, Map.of("Allow", "GET")).respond(request, socket, out)
                : then.respond(request, socket, out);
    }

    /** A correct response, made for each request from its target (for pages without end, such as calendars). */
    static Fault dynamic(Function<String, Resource> page) {
        return (request, socket, out) -> serve(page.apply(request.target())).respond(request, socket, out);
    }

    /** Closes the connection without a byte of response. */
    static Fault closeAtOnce() {
        return (request, socket, out) -> false;
    }

    /** Sends part of the status line and headers, then resets the connection. */
    static Fault resetMidHeaders() {
        return (request, socket, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Ty".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(socket);
            return false;
        };
    }

    /** Sends the head and a part of the declared body, then resets the connection. */
    static Fault resetMidBody() {
        return (request, socket, out) -> {
            writeHead(out, 200, "text/html", Map.of(), 100_000);
            out.write(html(1000));
            out.flush();
            reset(socket);
            return false;
        };
    }

    /**
     * A body delimited by the connection's end, then the TCP connection closed without a TLS close_notify (over
     * plain http, an ordinary close).
     */
    static Fault closeWithoutCloseNotify(Resource r) {
        return (request, socket, out) -> {
            writeHead(out, r.status(), r.contentType(), Map.of("Connection", "close"), -1);
            out.write(r.body());
            out.flush();
            socket.close(); // the TCP socket beneath any TLS: no close_notify
            return false;
        };
    }

    /** Reads the request and never answers. */
    static Fault stallBeforeHeaders() {
        return (request, socket, out) -> {
            Thread.sleep(Long.MAX_VALUE);
            return false;
        };
    }

    /** Sends the head and a part of the body, then goes silent. */
    static Fault stallMidBody() {
        return (request, socket, out) -> {
            writeHead(out, 200, "text/html", Map.of(), 100_000);
            out.write(html(1000));
            out.flush();
            Thread.sleep(Long.MAX_VALUE);
            return false;
        };
    }

    /** Sends a 10,000-byte page one byte per {@code interval}. */
    static Fault trickle(Duration interval) {
        return (request, socket, out) -> {
            byte[] body = html(10_000);
            writeHead(out, 200, "text/html", Map.of(), body.length);
            out.flush();
            for (byte b : body) {
                out.write(b);
                out.flush();
                Thread.sleep(interval);
            }
            return true;
        };
    }

    /** A body of {@code bytes} zero bytes (say 100 MB), streamed, never held in memory. */
    static Fault hugeBody(long bytes) {
        return (request, socket, out) -> {
            writeHead(out, 200, "application/octet-stream", Map.of(), bytes);
            byte[] block = new byte[64 * 1024];
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
            return true;
        };
    }

    /** An HTML page whose gzip body inflates to {@code inflated} bytes, nearly all spaces (a compression bomb). */
    static Fault gzipBomb(long inflated) {
        byte[] compressed;
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
                gzip.write("<!doctype html><a href=/>home</a>".getBytes(StandardCharsets.US_ASCII));
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (long left = inflated; left > 0; left -= spaces.length) {
                    gzip.write(spaces, 0, (int) Math.min(spaces.length, left));
                }
            }
            compressed = buffer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return serve(new Resource(200, "text/html", compressed, Map.of("Content-Encoding", "gzip")));
    }

    /** Declares a Content-Length of {@code declared} and sends {@code body}, longer or shorter, then closes. */
    static Fault wrongLength(long declared, byte[] body) {
        return (request, socket, out) -> {
            writeHead(out, 200, "text/html", Map.of(), declared);
            out.write(body);
            out.flush();
            return body.length == declared;
        };
    }

    /** Waits {@code delay}, then answers as {@code then} (a page with its own latency). */
    static Fault delayed(Duration delay, Fault then) {
        return (request, socket, out) -> {
            Thread.sleep(delay);
            return then.respond(request, socket, out);
        };
    }

    /** Answers the first {@code times} requests with {@code first}, the later ones with {@code then}. */
    static Fault firstTimes(int times, Fault first, Fault then) {
        AtomicInteger seen = new AtomicInteger();
        return (request, socket, out) -> (seen.getAndIncrement() < times ? first : then).respond(request, socket, out);
    }

    /** A response with this status, a short body and extra headers. */
    static Fault status(int status, Map<String, String> headers) {
        return serve(new Resource(status, "text/html", ("<!doctype html><h1>" + status + "</h1>").getBytes(StandardCharsets.US_ASCII),
                headers));
    }

    /** Writes a response head; a negative {@code length} sends no Content-Length (the body ends with the connection). */
    private static void writeHead(OutputStream out, int status, String contentType, Map<String, String> headers,
                                  long length) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (length >= 0) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** An HTML page of {@code bytes} bytes without links. */
    private static byte[] html(int bytes) {
        StringBuilder b = new StringBuilder("<!doctype html><title>t</title><p>");
        while (b.length() < bytes) {
            b.append('x');
        }
        return b.substring(0, bytes).getBytes(StandardCharsets.US_ASCII);
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
