package dev.loomcrawl.internal.url;

/**
 * A normalized http(s) URL taken apart once: its scheme, host, port, and path with query. Scope, politeness and
 * the HTTP client read a URL's parts from this value, not each by hand.
 *
 * @param tls whether the scheme is https
 * @param host the host as the URL spells it, lower case; an IPv6 literal keeps its brackets
 * @param port the explicit port, or -1 for the scheme's default
 * @param hostPort the host and any explicit port ({@code example.com:8080}), without user info: the Host header,
 *     and what politeness keeps apart
 * @param pathAndQuery the path and query, the request target ({@code /} at least)
 */
public record WebUrl(boolean tls, String host, int port, String hostPort, String pathAndQuery) {

    /** The parts of {@code url}, or {@code null} when it is not an http(s) URL with a valid port. */
    public static WebUrl parse(String url) {
        int start;
        boolean tls;
        if (url.startsWith("http://")) {
            start = 7;
            tls = false;
        } else if (url.startsWith("https://")) {
            start = 8;
            tls = true;
        } else {
            return null;
        }
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        int hostStart = at >= start ? at + 1 : start;
        String hostPort = url.substring(hostStart, end);
        int bracket = hostPort.lastIndexOf(']');
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort;
        int port = -1;
        if (colon > bracket) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort, colon + 1, hostPort.length(), 10);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        int hash = url.indexOf('#', end);
        String rest = url.substring(end, hash < 0 ? url.length() : hash);
        return new WebUrl(tls, host, port, hostPort, rest.startsWith("/") ? rest : "/" + rest);
    }

    /** The port connected to: the explicit one, or the scheme's default. */
    public int effectivePort() {
        return port != -1 ? port : tls ? 443 : 80;
    }

    /** The host as a socket address names it: an IPv6 literal without its brackets. */
    public String address() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
