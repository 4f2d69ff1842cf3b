package dev.loomcrawl.internal.url;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlNormalizerTest {

    private static final String PAGE = "http://example.com/a/b/page.html?x=1";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // resolution against the page
        "other.html | http://example.com/a/b/other.html",
        "./other.html | http://example.com/a/b/other.html",
        "../up.html | http://example.com/a/up.html",
        "../../../../too-far.html | http://example.com/too-far.html",
        "/root.html | http://example.com/root.html",
        "//cdn.example.org/x | http://cdn.example.org/x",
        "?y=2 | http://example.com/a/b/page.html?y=2",
        "'' | http://example.com/a/b/page.html?x=1",
        "https://Other.COM/ | https://other.com/",
        "http:same-scheme.html | http://example.com/a/b/same-scheme.html",
        // whitespace
        "'  spaced.html  ' | http://example.com/a/b/spaced.html",
        "'new\nline.html' | http://example.com/a/b/newline.html",
        // case, ports, fragments
        "HTTP://EXAMPLE.COM/Path | http://example.com/Path",
        "http://example.com:80/x | http://example.com/x",
        "https://example.com:443/x | https://example.com/x",
        "http://example.com:8080/x | http://example.com:8080/x",
        "https://example.com:80/x | https://example.com:80/x",
        "http://example.com: | http://example.com/",
        "page.html#section | http://example.com/a/b/page.html",
        "#top | http://example.com/a/b/page.html?x=1",
        "http://example.com | http://example.com/",
        // dot segments
        "/a/./b/../c/./d.html | http://example.com/a/c/d.html",
        "/a/b/.. | http://example.com/a/",
        "/a/b/. | http://example.com/a/b/",
        // percent-encoding
        "/%7Euser/%41%2f%2F%3a | http://example.com/~user/A%2F%2F%3A",
        "/caf\u00e9 | http://example.com/caf%C3%A9",
        "/a b | http://example.com/a%20b",
        "/100% | http://example.com/100%25",
        "/x?q=a%2fb&r=%7e | http://example.com/x?q=a%2fb&r=%7e",
        "/x?q=caf\u00e9 s | http://example.com/x?q=caf%C3%A9%20s",
        "/x?q=1&Q=2&a= | http://example.com/x?q=1&Q=2&a=",
        "\\back\\slash.html | http://example.com/back/slash.html",
        // internationalized host
        "http://b\u00fccher.example/ | http://xn--bcher-kva.example/",
    })
    void resolvesAndNormalizes(String href, String expected) {
        assertThat(UrlNormalizer.resolve(PAGE, href)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // the page's own origin, written as the page's URL writes it or otherwise
        "c.html | http://user@example.com:8080/a/c.html",
        "/x?q=%7e | http://user@example.com:8080/x?q=%7e",
        "http://user@example.com:8080/x/../y | http://user@example.com:8080/y",
        "http://user@EXAMPLE.com:8080/y | http://user@example.com:8080/y",
        "https://user@example.com:8080/y | https://user@example.com:8080/y",
        "//user@example.com:8080 | http://user@example.com:8080/",
        "http://example.com:8080/y | http://example.com:8080/y",
        "http://user@example.com:80/y | http://user@example.com/y",
    })
    void linksOnAPageWithAPortAndUserInfo(String href, String expected) {
        assertThat(UrlNormalizer.resolve("http://user@example.com:8080/a/b.html", href)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailto:someone@example.com", "javascript:void(0)", "tel:+15551234", "data:text/html,hi",
        "ftp://example.com/file", "file:///etc/passwd", "http://", "http:///nohost", "http://example.com:99999/",
        "http://example.com:8a/", "http://exa mple.com/", "http://exa|mple.com/", "http://a<b>/", "http://a^b/",
        "http://[::1/"})
    void ignoresWhatIsNotAnHttpUrl(String href) {
        assertThat(UrlNormalizer.resolve(PAGE, href)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "/relative/only", "example.com"})
    void anAbsoluteUrlIsRequiredWithoutABase(String url) {
        assertThat(UrlNormalizer.normalize(url)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://example.com/x | example.com",
        "http://user:pw@example.com:8080/x | example.com",
        "http://[::1]:8080/ | [::1]",
    })
    void hostOfANormalizedUrl(String url, String host) {
        assertThat(UrlNormalizer.host(url)).isEqualTo(host);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8080/ | http://127.0.0.1:8080/a | true",
        "http://127.0.0.1:8080/ | https://127.0.0.1:8080/a | true",
        "http://127.0.0.1:8080/ | http://127.0.0.1:8081/a | false",
        "http://127.0.0.1:8080/ | http://localhost:8080/a | false",
        "http://example.com/ | https://example.com/a | true",
        "http://example.com/ | http://example.com:8080/a | false",
        "http://example.com/ | http://www.example.com/a | false",
        "http://example.com/ | http://user@example.com/a | true",
        "http://example.com/ | http://user@evil.org/a | false",
        "http://127.0.0.1:8080/ | http://127.0.0.1:80801/a | false",
        "http://example.com/ | http://example.com.evil.org/ | false",
        "http://example.com/ | https://example.com | true",
    })
    void scopeIsTheStartHostAndPortOverHttpAndHttps(String start, String url, boolean inScope) {
        assertThat(CrawlScope.of(start).contains(url)).isEqualTo(inScope);
    }
}
