package dev.loomcrawl.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server on 127.0.0.1 and an ephemeral port that serves a map of paths to {@link Resource}s, waits a
 * fixed latency before each response, and counts what it was asked: requests per request target and the peak
 * number of requests in flight. A path with a query is looked up as written first, then without its query.
 * Unknown paths get a 404 page. Handlers run on virtual threads, so latency costs no platform thread.
 *
 * <pre>{@code
 * try (SiteServer server = SiteServer.start()) {
 *     server.serve(Map.of("/", Resource.html("<a href=/a>a</a>")));
 *     ... crawl server.url("/") ...
 *     assertThat(server.requests("/a")).isEqualTo(1);
 * }
 * }</pre>
 */
public final class SiteServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService handlers;
    private final String scheme;
    private volatile Map<String, Resource> resources = Map.of();
    private volatile Duration latency = Duration.ZERO;
    private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile InFlight shared = new InFlight();

    private SiteServer(HttpServer server, ExecutorService handlers, String scheme) {
        this.server = server;
        this.handlers = handlers;
        this.scheme = scheme;
    }

    /** Starts a server on 127.0.0.1 with an ephemeral port. */
    public static SiteServer start() throws IOException {
        return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024), "http");
    }

    /** Starts an HTTPS server on 127.0.0.1 with an ephemeral port, presenting the key of {@code tls}. */
    public static SiteServer startHttps(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return start(server, "https");
    }

    private static SiteServer start(HttpServer server, String scheme) {
        ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("site-server-", 0).factory());
        server.setExecutor(handlers);
        SiteServer s = new SiteServer(server, handlers, scheme);
        server.createContext("/", s::handle);
        server.start();
        return s;
    }

    /** Replaces what is served. */
    public SiteServer serve(Map<String, Resource> resources) {
        this.resources = Map.copyOf(resources);
        return this;
    }

    /** Counts this server's requests in flight into {@code shared} too, with other servers'. */
    public SiteServer alsoCounting(InFlight shared) {
        this.shared = shared;
        return this;
    }

    /** Sets the delay before every response. */
    public SiteServer latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Such as {@code http://127.0.0.1:41234} (or https), without a trailing slash. */
    public String baseUrl() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The absolute URL of a path on this server. */
    public String url(String path) {
        return baseUrl() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many requests asked for this request target (path and query as sent). */
    public long requests(String target) {
        LongAdder n = requests.get(target);
        return n == null ? 0 : n.sum();
    }

    /** Requests per request target, a snapshot. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** All requests so far. */
    public long totalRequests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The most requests that were being handled at once. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /** Forgets the counts. */
    public void resetStats() {
        requests.clear();
        peakInFlight.set(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            requests.computeIfAbsent(target, k -> new LongAdder()).increment();
            // in flight from arrival until the response starts: the client may send its next request the moment
            // it has read this response, before this handler returns
            peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            InFlight across = shared;
            across.began();
            try {
                Duration delay = latency;
                if (!delay.isZero()) {
                    Thread.sleep(delay);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                inFlight.decrementAndGet();
                across.ended();
            }
            Map<String, Resource> site = resources;
            Resource r = site.get(target);
            if (r == null) {
                r = site.get(exchange.getRequestURI().getRawPath());
            }
            if (r == null) {
                r = Resource.of(404, "text/html", "<!doctype html><title>Not found</title><h1>404</h1>".getBytes());
            }
            if (r.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", r.contentType());
            }
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            boolean noBody = head || r.status() == 204 || r.status() == 304 || r.body().length == 0;
            exchange.sendResponseHeaders(r.status(), noBody ? -1 : r.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }

    /** Stops the server at once and waits for its handler threads. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        handlers.close();
    }
}
