package dev.loomcrawl.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The lean client against a server that writes exactly the bytes each test scripts. */
class Http1ClientTest {

    /** What the scripted server sends for a request, and whether it closes the connection afterwards. */
    private record Reply(byte[] bytes, boolean close) {
        static Reply of(String head, byte[] body, boolean close) {
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return new Reply(all, close);
        }

        static Reply of(String raw) {
            return of(raw, new byte[0], false);
        }
    }

    /** A loopback server: one platform thread per connection, replies scripted by request number. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final List<String> heads = new CopyOnWriteArrayList<>();
        final List<Socket> open = new CopyOnWriteArrayList<>();

        ScriptedServer(IntFunction<Reply> script) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        open.add(s);
                        connections.incrementAndGet();
                        Thread.ofPlatform().daemon().start(() -> serve(s, script));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s, IntFunction<Reply> script) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    heads.add(head);
                    Reply reply = script.apply(requests.getAndIncrement());
                    out.write(reply.bytes());
                    out.flush();
                    if (reply.close()) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String s = head.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r\n\r\n")) {
                    return s;
                }
            }
            return null;
        }

        String url(String path) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private ScriptedServer server;
    private Http1Client client;

    private Http1Client client(int maxBody) {
        client = new Http1Client(new FetchSettings("loomcrawl-test/1", Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(2), maxBody, null, null, null));
        return client;
    }

    @AfterEach
    void close() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String text(FetchResponse r) {
        return new String(r.body(), 0, r.length(), StandardCharsets.UTF_8);
    }

    @Test
    void sendsAMinimalRequestAndReusesTheConnection() throws Exception {
        server = new ScriptedServer(n -> Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        Http1Client c = client(1 << 20);
        for (int i = 0; i < 3; i++) {
            FetchResponse r = c.get(server.url("/x?q=1"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(text(r)).isEqualTo("hello");
        }
        assertThat(server.connections).hasValue(1);
        assertThat(server.heads.getFirst()).startsWith("GET /x?q=1 HTTP/1.1\r\n")
                .contains("\r\nHost: 127.0.0.1:" + server.socket.getLocalPort() + "\r\n")
                .contains("\r\nUser-Agent: loomcrawl-test/1\r\n", "\r\nAccept-Encoding: gzip, deflate\r\n");
    }

    @Test
    void closingTheClientReleasesEveryPooledSocket() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts sockets through Linux's /proc");
        server = new ScriptedServer(n -> {
            try {
                Thread.sleep(200); // every request in flight at once: one connection each
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        Http1Client c = client(1 << 20);
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                threads.submit(() -> c.get(server.url("/")));
            }
        }
        int port = server.socket.getLocalPort();
        assertThat(server.connections).hasValue(8);
        assertThat(socketsTo(port)).isEqualTo(8);
        c.close();
        assertThat(socketsTo(port)).as("sockets still open after close").isZero();
    }

    /** This process's open TCP sockets connected to {@code port} on the loopback address, from Linux's /proc. */
    private static long socketsTo(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            for (String line : Files.readAllLines(t).subList(1, Files.readAllLines(t).size())) {
                String[] f = line.trim().split("\\s+");
                String remote = f[2];
                if (Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16) == port) {
                    inodes.add(f[9]);
                }
            }
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed meanwhile
                }
            }).filter(link -> link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))).count();
        }
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        server = new ScriptedServer(n -> Reply.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n"));
        Http1Client c = client(1 << 20);
        assertThat(text(c.get(server.url("/")))).isEqualTo("Wikipedia in\r\n\r\nchunks.");
        assertThat(text(c.get(server.url("/")))).isEqualTo("Wikipedia in\r\n\r\nchunks.");
        assertThat(server.connections).hasValue(1);
    }

    @Test
    void readsABodyDelimitedByTheConnectionClosing() throws Exception {
        server = new ScriptedServer(n -> Reply.of("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n",
                "<p>until close</p>".getBytes(StandardCharsets.UTF_8), true));
        Http1Client c = client(1 << 20);
        assertThat(text(c.get(server.url("/")))).isEqualTo("<p>until close</p>");
        assertThat(text(c.get(server.url("/")))).isEqualTo("<p>until close</p>");
        assertThat(server.connections).hasValue(2);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean zlib) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, !zlib))) {
            d.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void decodesGzipAndBothFormsOfDeflate() throws Exception {
        byte[] page = "<a href=/x>compressed</a>".repeat(100).getBytes(StandardCharsets.UTF_8);
        byte[][] bodies = {gzip(page), deflate(page, true), deflate(page, false)};
        String[] encodings = {"gzip", "deflate", "deflate"};
        server = new ScriptedServer(n -> Reply.of("HTTP/1.1 200 OK\r\nContent-Encoding: " + encodings[n]
                + "\r\nContent-Length: " + bodies[n].length + "\r\n\r\n", bodies[n], false));
        Http1Client c = client(1 << 20);
        for (int i = 0; i < 3; i++) {
            FetchResponse r = c.get(server.url("/"));
            assertThat(r.length()).isEqualTo(page.length);
            assertThat(text(r)).isEqualTo(new String(page, StandardCharsets.UTF_8));
            assertThat(r.truncated()).isFalse();
        }
    }

    @Test
    void aBodyOverTheLimitIsCutAndMarkedAndSoIsACompressionBomb() throws Exception {
        byte[] big = new byte[300_000];
        byte[] bomb = gzip(new byte[50_000_000]);
        server = new ScriptedServer(n -> n == 0
                ? Reply.of("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n", big, false)
                : Reply.of("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n\r\n", bomb, false));
        Http1Client c = client(100_000);
        FetchResponse cut = c.get(server.url("/big"));
        assertThat(cut.length()).isEqualTo(100_000);
        assertThat(cut.truncated()).isTrue();
        FetchResponse defused = c.get(server.url("/bomb"));
        assertThat(bomb.length).isLessThan(100_000);
        assertThat(defused.length()).isEqualTo(100_000);
        assertThat(defused.truncated()).isTrue();
        assertThat(server.connections).as("a cut body spends its connection").hasValue(2);
    }

    @Test
    void skipsInformationalResponsesAndReadsNoBodyWhereThereIsNone() throws Exception {
        server = new ScriptedServer(n -> n == 0
                ? Reply.of("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                : Reply.of("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"));
        Http1Client c = client(1 << 20);
        assertThat(text(c.get(server.url("/")))).isEqualTo("ok");
        FetchResponse notModified = c.get(server.url("/"));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.length()).isZero();
    }

    @Test
    void aPooledConnectionTheServerClosedIsRetriedOnANewOne() throws Exception {
        // the server closes after each response without saying so: the second request finds a dead socket
        server = new ScriptedServer(n -> Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "ok".getBytes(), true));
        Http1Client c = client(1 << 20);
        assertThat(text(c.get(server.url("/")))).isEqualTo("ok");
        Thread.sleep(50);
        assertThat(text(c.get(server.url("/")))).isEqualTo("ok");
        assertThat(server.requests).hasValue(2);
        assertThat(server.connections).hasValue(2);
    }

    @Test
    void anInterruptCancelsAWaitingRequestAsAnInterruptNotAnError() throws Exception {
        server = new ScriptedServer(n -> new Reply(new byte[0], false)); // accepts, reads, never answers
        Http1Client c = client(1 << 20);
        Throwable[] thrown = new Throwable[1];
        Thread requester = Thread.ofVirtual().start(() -> {
            try {
                c.get(server.url("/"));
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        while (server.requests.get() == 0) {
            Thread.sleep(5);
        }
        requester.interrupt();
        requester.join(Duration.ofSeconds(1));
        assertThat(requester.isAlive()).isFalse();
        assertThat(thrown[0]).isInstanceOf(InterruptedException.class);
    }

    @Test
    void closingTheClientEndsItsPollerThread() throws Exception {
        server = new ScriptedServer(n -> Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        Http1Client c = client(1 << 20);
        assertThat(text(c.get(server.url("/")))).isEqualTo("ok");
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("loomcrawl-poller"));
        c.close();
        client = null;
        // nothing is left in native code to hold up the JVM's exit
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("loomcrawl-poller"));
        assertThatThrownBy(() -> c.get(server.url("/"))).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void malformedResponsesAndSilentServersAreTransportErrors() throws Exception {
        server = new ScriptedServer(n -> n == 0 ? Reply.of("SSH-2.0-OpenSSH\r\n\r\n") : new Reply(new byte[0], false));
        Http1Client c = client(1 << 20);
        assertThatThrownBy(() -> c.get(server.url("/"))).isInstanceOf(IOException.class).hasMessageContaining("malformed status line");
        assertThatThrownBy(() -> c.get(server.url("/"))).isInstanceOf(SocketTimeoutException.class);
    }
}
