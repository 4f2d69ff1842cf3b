package dev.loomcrawl.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy a crawl goes through: {@code --proxy URL} for every request, else the standard environment variables
 * ({@code http_proxy}, {@code https_proxy}, {@code no_proxy}, lower or upper case, as curl and wget read them).
 * Environment proxies are never used for loopback hosts ({@code localhost}, {@code 127.*}, {@code ::1}) or for
 * hosts {@code no_proxy} lists (a name matches itself and its subdomains; {@code *} matches all).
 */
final class ProxyChoice extends ProxySelector {

    private final Proxy http;
    private final Proxy https;
    private final List<String> noProxy;
    private final boolean bypassLoopback;

    private ProxyChoice(Proxy http, Proxy https, List<String> noProxy, boolean bypassLoopback) {
        this.http = http;
        this.https = https;
        this.noProxy = noProxy;
        this.bypassLoopback = bypassLoopback;
    }

    /**
     * The selector for {@code --proxy} (when not null) or the environment; {@code null} when neither names one.
     *
     * @throws IllegalArgumentException when a proxy URL is not {@code http://host:port}
     */
    static ProxySelector of(String option, Map<String, String> env) {
        if (option != null) {
            Proxy p = parse("--proxy", option);
            return new ProxyChoice(p, p, List.of(), false);
        }
        String httpUrl = first(env, "http_proxy", "HTTP_PROXY");
        String httpsUrl = first(env, "https_proxy", "HTTPS_PROXY");
        if (httpUrl == null && httpsUrl == null) {
            return null;
        }
        List<String> noProxy = new ArrayList<>();
        String list = first(env, "no_proxy", "NO_PROXY");
        if (list != null) {
            for (String h : list.split(",")) {
                String t = h.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    noProxy.add(t.startsWith(".") ? t.substring(1) : t);
                }
            }
        }
        return new ProxyChoice(httpUrl == null ? null : parse("http_proxy", httpUrl),
                httpsUrl == null ? null : parse("https_proxy", httpsUrl), noProxy, true);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static Proxy parse(String name, String url) {
        URI uri;
        try {
            uri = URI.create(url.contains("://") ? url : "http://" + url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be a URL like http://proxy:3128, was '" + url + "'");
        }
        if (uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(name + " must be a URL like http://proxy:3128, was '" + url + "'");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        Proxy p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        if (p == null || bypassLoopback && (isLoopback(host) || listed(host))) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(p);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private boolean listed(String host) {
        for (String n : noProxy) {
            if (n.equals("*") || host.equals(n) || host.endsWith("." + n)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // the request fails and its page records why
    }
}
