package dev.loomcrawl.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fetches over the JDK's {@code java.net.http} client: TLS, HTTP/2 where the server offers it (ALPN), and proxies.
 * Redirects are not followed. Thread-safe.
 */
final class JdkHttpFetcher implements HttpFetcher {

    private final FetchSettings settings;
    private final HttpClient client;

    JdkHttpFetcher(FetchSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_2);
        if (settings.proxy() != null) {
            builder.proxy(settings.proxy());
        }
        if (settings.sslContext() != null) {
            builder.sslContext(settings.sslContext());
        }
        this.client = builder.build();
    }

    @Override
    public FetchResponse get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(toUri(url))
                .timeout(settings.requestTimeout())
                // h2c upgrade on plain http confuses some servers and proxies: HTTP/2 only over TLS
                .version(url.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .header("User-Agent", settings.userAgent())
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .header("Accept-Encoding", "gzip, deflate")
                .GET()
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : response.headers().map().entrySet()) {
            for (String value : e.getValue()) {
                fields.add(e.getKey());
                fields.add(value);
            }
        }
        Headers headers = new Headers(fields);
        BodyBuffer body = new BodyBuffer(settings.maxBodyBytes(), 16384);
        byte[] chunk = new byte[16384];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (!body.append(chunk, 0, n)) {
                    break;
                }
            }
        }
        return body.toResponse(response.statusCode(), headers);
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

    @Override
    public void close() {
        client.close();
    }
}
