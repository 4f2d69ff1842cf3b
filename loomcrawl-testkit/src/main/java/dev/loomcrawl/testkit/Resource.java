package dev.loomcrawl.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A response the test server gives for one path.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type header, or {@code null} for none
 * @param body the body bytes
 * @param headers further response headers
 */
public record Resource(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Resource {
        headers = Map.copyOf(headers);
    }

    public static Resource html(String html) {
        return new Resource(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Resource of(int status, String contentType, byte[] body) {
        return new Resource(status, contentType, body, Map.of());
    }

    public static Resource redirect(int status, String location) {
        return new Resource(status, null, new byte[0], Map.of("Location", location));
    }
}
