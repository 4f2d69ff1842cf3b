package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyChoiceTest {

    private static String chosen(ProxySelector selector, String url) {
        Proxy p = selector.select(URI.create(url)).getFirst();
        return p.type() == Proxy.Type.DIRECT ? "direct" : p.address().toString();
    }

    @Test
    void theOptionSendsEveryRequestThroughTheProxy() {
        ProxySelector s = ProxyChoice.of("http://proxy.test:3128", Map.of("no_proxy", "*"));
        assertThat(chosen(s, "http://a.test/")).isEqualTo("proxy.test/<unresolved>:3128");
        assertThat(chosen(s, "https://127.0.0.1/")).isEqualTo("proxy.test/<unresolved>:3128");
    }

    @Test
    void theEnvironmentIsReadAsCurlReadsIt() {
        ProxySelector s = ProxyChoice.of(null, Map.of("HTTP_PROXY", "http://p1.test:8080", "https_proxy", "p2.test:8443",
                "NO_PROXY", "internal.test, .corp.test"));
        assertThat(chosen(s, "http://a.test/")).isEqualTo("p1.test/<unresolved>:8080");
        assertThat(chosen(s, "https://a.test/")).isEqualTo("p2.test/<unresolved>:8443");
        assertThat(chosen(s, "http://internal.test/")).isEqualTo("direct");
        assertThat(chosen(s, "http://www.corp.test/")).isEqualTo("direct");
        assertThat(chosen(s, "http://corp.test.evil/")).isEqualTo("p1.test/<unresolved>:8080");
        assertThat(chosen(s, "http://127.0.0.1:8080/")).as("loopback goes direct").isEqualTo("direct");
        assertThat(chosen(s, "http://localhost/")).isEqualTo("direct");
    }

    @Test
    void noProxyAnywhereMeansDirectConnections() {
        assertThat(ProxyChoice.of(null, Map.of())).isNull();
        assertThat(chosen(ProxyChoice.of(null, Map.of("https_proxy", "http://p.test:1")), "http://a.test/")).isEqualTo("direct");
    }

    @Test
    void aMalformedProxyNamesItsSource() {
        assertThatThrownBy(() -> ProxyChoice.of(null, Map.of("http_proxy", "socks5://p.test:1")))
                .hasMessage("http_proxy must be a URL like http://proxy:3128, was 'socks5://p.test:1'");
    }
}
