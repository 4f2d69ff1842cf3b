package dev.loomcrawl.internal.fetch;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fetches over the JDK's {@code java.net.http} client: TLS, HTTP/2 where the server offers it (ALPN), and proxies.
 * Redirects are not followed. Thread-safe.
 */
final class JdkHttpFetcher implements HttpFetcher {

    private final FetchSettings settings;
    private final HttpClient client;
    /** The client's own tasks run here, so that closing the fetcher can wait for every one of them to end. */
    private final ExecutorService executor =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("loomcrawl-jdk-http-", 0).factory());

    /** @param tls the context of https requests: the settings' trust, as {@link TlsTrust#jdkContext} made it */
    JdkHttpFetcher(FetchSettings settings, javax.net.ssl.SSLContext tls) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_2);
        if (settings.proxy() != null) {
            builder.proxy(settings.proxy());
        }
        this.client = builder.sslContext(tls).build();
    }

    @Override
    public FetchResponse get(String url) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        Duration firstByte = settings.firstByteTimeout().compareTo(settings.requestTimeout()) < 0
                ? settings.firstByteTimeout() : settings.requestTimeout();
        List<String> extra = settings.privateHeaders().forUrl(url);
        HttpRequest request = request(url, firstByte, extra)
                .header("Accept", FetchSettings.ACCEPT)
                .header("Accept-Encoding", BodyBuffer.ACCEPT_ENCODING)
                .GET().build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(request, HttpResponse.BodyHandlers.ofPublisher());
        Headers headers = headers(response);
        BodyBuffer body = new BodyBuffer(settings.maxBodyBytes(), 16384);
        BodyQueue queue = new BodyQueue();
        response.body().subscribe(queue);
        try {
            readBody(queue, body, deadline);
        } finally {
            queue.cancel();
        }
        FetchResponse result = body.toResponse(response.statusCode(), headers);
        return settings.captureRaw() ? result.withRaw(rebuilt(url, extra, response.statusCode(), headers, body.raw())) : result;
    }

    /**
     * The exchange as HTTP/1.1 messages, rebuilt from what java.net.http exposes: its headers as received (but
     * framing ones, which no longer describe the body), the body as transferred but for chunking.
     */
    private FetchResponse.Raw rebuilt(String url, List<String> extra, int status, Headers headers, byte[] body) {
        URI uri = URI.create(url);
        StringBuilder request = new StringBuilder("GET ").append(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\nHost: ")
                .append(uri.getRawAuthority()).append("\r\nUser-Agent: ").append(settings.userAgent())
                .append("\r\nAccept: ").append(FetchSettings.ACCEPT)
                .append("\r\nAccept-Encoding: ").append(BodyBuffer.ACCEPT_ENCODING).append("\r\n");
        for (int i = 0; i < extra.size(); i += 2) {
            request.append(extra.get(i)).append(": ").append(extra.get(i + 1)).append("\r\n");
        }
        request.append("\r\n");
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        List<String> fields = headers.namesAndValues();
        for (int i = 0; i < fields.size(); i += 2) {
            String name = fields.get(i);
            if (!name.startsWith(":") && !name.equalsIgnoreCase("transfer-encoding") && !name.equalsIgnoreCase("content-length")) {
                head.append(name).append(": ").append(fields.get(i + 1)).append("\r\n");
            }
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] response = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, response, h.length, body.length);
        return new FetchResponse.Raw(request.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), response);
    }

    @Override
    public FetchResponse head(String url) throws IOException, InterruptedException {
        HttpRequest request = request(url, settings.requestTimeout(), settings.privateHeaders().forUrl(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding());
        return new FetchResponse(response.statusCode(), headers(response), new byte[0], 0, false);
    }

    /** A request to {@code url} with the headers every request carries, and {@code extra} ones. */
    private HttpRequest.Builder request(String url, Duration timeout, List<String> extra) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(toUri(url))
                .timeout(timeout)
                // h2c upgrade on plain http confuses some servers and proxies: HTTP/2 only over TLS
                .version(url.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .header("User-Agent", settings.userAgent());
        for (int i = 0; i < extra.size(); i += 2) {
            builder.header(extra.get(i), extra.get(i + 1));
        }
        return builder;
    }

    /** Sends a request; a header java.net.http refuses is a failed request, not a crash. */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IllegalArgumentException e) {
            throw new IOException("request refused: " + e.getMessage(), e);
        }
    }

    private static Headers headers(HttpResponse<?> response) {
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            for (String value : e.getValue()) {
                fields.add(e.getKey());
                fields.add(value);
            }
        }
        return new Headers(fields);
    }

    /** Moves the body into {@code body} until its end, the body limit, a silence or the request deadline. */
    private void readBody(BodyQueue queue, BodyBuffer body, long deadline) throws IOException, InterruptedException {
        byte[] chunk = new byte[16384];
        long idle = settings.idleTimeout().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object item = queue.items.poll(Math.min(idle, Math.max(0, left)), TimeUnit.NANOSECONDS);
            if (item == null) {
                throw new SocketTimeoutException(left <= idle ? "request timeout" : "idle timeout");
            }
            if (item == BodyQueue.END) {
                return;
            }
            if (item instanceof Throwable t) {
                throw t instanceof IOException io ? io : new IOException(t);
            }
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            for (ByteBuffer b : buffers) {
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    if (!body.append(chunk, 0, n)) {
                        return;
                    }
                }
            }
            queue.request();
        }
    }

    /** Receives a body from java.net.http one item at a time, so the reader can wait for it with a timeout. */
    private static final class BodyQueue implements Flow.Subscriber<List<ByteBuffer>> {
        static final Object END = new Object();
        final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            items.add(t);
        }

        @Override
        public void onComplete() {
            items.add(END);
        }

        void request() {
            subscription.request(1);
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** java.net.URI refuses brackets in a query, which our URLs keep as written: escape them. */
    private static URI toUri(String url) throws IOException {
        int q = url.indexOf('?');
        String escaped = q < 0 ? url : url.substring(0, q) + url.substring(q).replace("[", "%5B").replace("]", "%5D");
        try {
            return URI.create(escaped);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid URL for java.net.http: " + e.getMessage(), e);
        }
    }

    /** Closes the client and waits until its threads, and the tasks it gave the executor, have ended. */
    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
