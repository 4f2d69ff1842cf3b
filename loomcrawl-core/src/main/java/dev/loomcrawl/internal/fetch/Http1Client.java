package dev.loomcrawl.internal.fetch;

import dev.loomcrawl.internal.url.WebUrl;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;

/**
 * A lean HTTP/1.1 client for http and https: one request per pooled keep-alive connection at a time, written for
 * virtual threads: its sockets are non-blocking and a thread that must wait parks on the client's
 * {@link SocketPoller} (an interrupt wakes it and cancels the request). https goes over {@link TlsTransport} with the
 * settings' trust, in the native TLS engine where it loads ({@link TlsTrust#leanContext}). It reads Content-Length,
 * chunked and close-delimited bodies, and gzip or deflate content. A request on a pooled connection that the server
 * has meanwhile closed is retried once, on a new connection, never on another pooled one. Thread-safe;
 * {@link #close()} ends its poller thread.
 */
final class Http1Client implements HttpFetcher {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final FetchSettings settings;
    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final SocketPoller poller;
    private volatile boolean closed;

    Http1Client(FetchSettings settings) {
        this.settings = settings;
        try {
            this.poller = new SocketPoller();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open a selector", e);
        }
    }

    @Override
    public FetchResponse get(String url) throws IOException, InterruptedException {
        return request(url, false);
    }

    @Override
    public FetchResponse head(String url) throws IOException, InterruptedException {
        return request(url, true);
    }

    private FetchResponse request(String url, boolean head) throws IOException, InterruptedException {
        WebUrl target = target(url);
        ConcurrentLinkedDeque<Connection> pool = idle.computeIfAbsent(origin(target), k -> new ConcurrentLinkedDeque<>());
        boolean fresh = false;
        while (true) {
            Connection pooled = fresh ? null : pool.pollFirst();
            Connection c = pooled != null ? pooled : connect(target);
            try {
                Exchange result = c.exchange(target, url, head, settings);
                if (result.reusable() && !closed) {
                    pool.addFirst(c);
                    if (closed) {
                        c.close();
                    }
                } else {
                    c.close();
                }
                return result.response();
            } catch (InterruptedException e) {
                c.close();
                throw e;
            } catch (IOException e) {
                c.close();
                if (Thread.interrupted()) { // an interrupted channel operation closes the channel and says so
                    throw new InterruptedException("request cancelled: " + url);
                }
                if (pooled == null || e instanceof SocketTimeoutException
                        || c.receivedBytes && !(e instanceof ProtocolException && c.inStatusLine)) {
                    throw e;
                }
                // the server closed an idle connection before our request reached it, or left bytes of an earlier
                // response on it (a wrong Content-Length): try once more, on a new connection
                fresh = true;
            }
        }
    }

    private Connection connect(WebUrl target) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("client closed");
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
            InetSocketAddress address = new InetSocketAddress(target.address(), target.effectivePort());
            if (address.isUnresolved()) {
                throw new UnknownHostException(target.address());
            }
            settings.addressGuard().check(target, address.getAddress());
            if (!channel.connect(address)) {
                while (!channel.finishConnect()) {
                    try {
                        poller.await(channel, SelectionKey.OP_CONNECT, deadline);
                    } catch (SocketTimeoutException e) {
                        throw new SocketTimeoutException("connect timeout");
                    }
                }
            }
            Transport transport = target.tls()
                    ? TlsTransport.handshake(channel, poller, tls(), target.address(), target.effectivePort(), deadline)
                    : new PlainTransport(channel, poller);
            return new Connection(transport, poller);
        } catch (IOException | InterruptedException | RuntimeException e) {
            channel.close();
            poller.forget();
            if (e instanceof IOException && Thread.interrupted()) {
                throw new InterruptedException("connect cancelled");
            }
            throw e;
        }
    }

    /** The lean client's TLS context with the settings' trust. */
    private SSLContext tls() throws IOException, InterruptedException {
        try {
            return settings.tls().leanContext();
        } catch (java.security.GeneralSecurityException | IllegalStateException e) {
            throw new javax.net.ssl.SSLException("no TLS implementation: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedDeque<Connection> pool : idle.values()) {
            Connection c;
            while ((c = pool.pollFirst()) != null) {
                c.closeChannel(); // released by the selector as it closes: one wake-up for all, not one each
            }
        }
        poller.close();
    }

    /** Where a request goes: the URL taken apart. */
    private static WebUrl target(String url) {
        WebUrl target = WebUrl.parse(url);
        if (target == null) {
            throw new IllegalArgumentException("not an http or https URL: " + url);
        }
        return target;
    }

    /** The pool's key: connections of one scheme, host and port are alike. */
    private static String origin(WebUrl target) {
        return (target.tls() ? "https:" : "http:") + target.address() + ":" + target.effectivePort();
    }

    private record Exchange(FetchResponse response, boolean reusable) {}

    /** One socket with its buffers; used by one thread at a time (it is either pooled or owned). */
    private static final class Connection {
        private final Transport transport;
        private final SocketPoller poller;
        private final byte[] buf = new byte[16384];
        private int pos;
        private int lim;
        private boolean receivedBytes;
        private boolean inStatusLine;
        private long firstByteNanos;
        private long idleNanos;
        /** Every byte read for the current response, when raw bytes are kept; else {@code null}. */
        private java.io.ByteArrayOutputStream tap;

        Connection(Transport transport, SocketPoller poller) {
            this.transport = transport;
            this.poller = poller;
        }

        void close() {
            closeChannel();
            poller.forget();
        }

        void closeChannel() {
            transport.close();
        }

        Exchange exchange(WebUrl target, String url, boolean head, FetchSettings settings)
                throws IOException, InterruptedException {
            receivedBytes = false;
            long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
            firstByteNanos = settings.firstByteTimeout().toNanos();
            idleNanos = settings.idleTimeout().toNanos();
            StringBuilder request = new StringBuilder(256).append(head ? "HEAD " : "GET ").append(target.pathAndQuery())
                    .append(" HTTP/1.1\r\nHost: ").append(target.hostPort())
                    .append("\r\nUser-Agent: ").append(settings.userAgent())
                    .append("\r\nAccept: ").append(FetchSettings.ACCEPT)
                    .append("\r\nAccept-Encoding: ").append(BodyBuffer.ACCEPT_ENCODING).append("\r\n");
            List<String> extra = settings.privateHeaders().forUrl(url);
            for (int i = 0; i < extra.size(); i += 2) {
                request.append(extra.get(i)).append(": ").append(extra.get(i + 1)).append("\r\n");
            }
            request.append("Connection: keep-alive\r\n\r\n");
            byte[] requestBytes = request.toString().getBytes(StandardCharsets.ISO_8859_1);
            tap = settings.captureRaw() ? new java.io.ByteArrayOutputStream(16384) : null;
            transport.write(requestBytes, deadline);
            int status;
            boolean http11;
            List<String> fields;
            do {
                inStatusLine = true;
                String statusLine = readLine(deadline);
                if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                    throw new ProtocolException("malformed status line: " + abbreviate(statusLine));
                }
                http11 = statusLine.charAt(7) != '0';
                try {
                    status = Integer.parseInt(statusLine, 9, 12, 10);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("malformed status line: " + abbreviate(statusLine));
                }
                inStatusLine = false;
                fields = readHeaders(deadline);
            } while (status >= 100 && status < 200 && status != 101);
            Headers headers = new Headers(fields);
            String connection = lower(headers.first("Connection"));
            boolean keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive");
            BodyBuffer body;
            boolean complete;
            String transferEncoding = lower(headers.first("Transfer-Encoding"));
            String contentLength = headers.first("Content-Length");
            if (head || status == 204 || status == 304) {
                body = new BodyBuffer(settings.maxBodyBytes(), 0);
                complete = true;
            } else if (transferEncoding.contains("chunked")) {
                body = new BodyBuffer(settings.maxBodyBytes(), 16384);
                complete = readChunked(body, deadline);
            } else if (contentLength != null) {
                long n;
                try {
                    n = Long.parseLong(contentLength.trim());
                } catch (NumberFormatException e) {
                    throw new IOException("malformed Content-Length: " + abbreviate(contentLength));
                }
                body = new BodyBuffer(settings.maxBodyBytes(), (int) Math.min(n, Integer.MAX_VALUE));
                complete = readFixed(body, n, deadline);
            } else {
                body = new BodyBuffer(settings.maxBodyBytes(), 16384);
                readToEnd(body, deadline);
                complete = false;
            }
            FetchResponse response = body.toResponse(status, headers);
            if (tap != null) {
                byte[] read = tap.toByteArray();
                // bytes read past this response's end are not part of it
                response = response.withRaw(new FetchResponse.Raw(requestBytes,
                        java.util.Arrays.copyOf(read, read.length - (lim - pos))));
                tap = null;
            }
            return new Exchange(response, keepAlive && complete && pos == lim);
        }

        private static String lower(String s) {
            return s == null ? "" : s.toLowerCase(Locale.ROOT);
        }

        private static String abbreviate(String s) {
            return s.length() > 80 ? s.substring(0, 80) + "..." : s;
        }

        /**
         * Reads what the socket has, waiting at most until the first byte, idle or request deadline, whichever
         * comes first; returns false at the end of the stream.
         */
        private boolean fill(long requestDeadline) throws IOException, InterruptedException {
            long quiet = System.nanoTime() + (receivedBytes ? idleNanos : firstByteNanos);
            long deadline = Math.min(quiet, requestDeadline);
            int n;
            try {
                n = transport.read(buf, deadline);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException(deadline == requestDeadline ? "request timeout"
                        : receivedBytes ? "idle timeout" : "first byte timeout");
            }
            if (n < 0) {
                return false;
            }
            receivedBytes = true;
            pos = 0;
            lim = n;
            if (tap != null) {
                tap.write(buf, 0, n);
            }
            return true;
        }

        private String readLine(long deadline) throws IOException, InterruptedException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (pos == lim && !fill(deadline)) {
                    throw new EOFException(receivedBytes ? "connection closed mid-response" : "connection closed before response");
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append((char) (b & 0xff));
                if (line.length() > MAX_HEADER_BYTES) {
                    throw new IOException("header line too long");
                }
            }
        }

        private List<String> readHeaders(long deadline) throws IOException, InterruptedException {
            List<String> fields = new ArrayList<>(24);
            int total = 0;
            while (true) {
                String line = readLine(deadline);
                if (line.isEmpty()) {
                    return fields;
                }
                total += line.length();
                if (total > MAX_HEADER_BYTES) {
                    throw new IOException("response headers too large");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue; // not a field: ignore, as browsers do
                }
                fields.add(line.substring(0, colon).trim());
                fields.add(line.substring(colon + 1).trim());
            }
        }

        /** Reads {@code n} bytes; returns false when the body was cut at the limit (the connection is then spent). */
        private boolean readFixed(BodyBuffer body, long n, long deadline) throws IOException, InterruptedException {
            long remaining = n;
            while (remaining > 0) {
                if (pos == lim && !fill(deadline)) {
                    throw new EOFException("connection closed mid-body");
                }
                int take = (int) Math.min(remaining, lim - pos);
                boolean room = body.append(buf, pos, take);
                pos += take;
                remaining -= take;
                if (!room) {
                    return false;
                }
            }
            return true;
        }

        private boolean readChunked(BodyBuffer body, long deadline) throws IOException, InterruptedException {
            while (true) {
                String sizeLine = readLine(deadline);
                int semi = sizeLine.indexOf(';');
                String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size: " + abbreviate(sizeLine));
                }
                if (size == 0) {
                    while (!readLine(deadline).isEmpty()) {
                        // trailer fields are not used
                    }
                    return true;
                }
                if (!readFixed(body, size, deadline)) {
                    return false;
                }
                readLine(deadline); // the CRLF after the chunk
            }
        }

        private void readToEnd(BodyBuffer body, long deadline) throws IOException, InterruptedException {
            while (true) {
                if (pos == lim && !fill(deadline)) {
                    return;
                }
                boolean room = body.append(buf, pos, lim - pos);
                pos = lim;
                if (!room) {
                    return;
                }
            }
        }
    }
}
