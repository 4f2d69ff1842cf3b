package dev.loomcrawl.internal.url;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://example.com/a?b=1          | false | example.com   | -1   | example.com        | /a?b=1 | 80   | example.com
            https://example.com:8443/         | true  | example.com   | 8443 | example.com:8443   | /      | 8443 | example.com
            http://user:pw@example.com:81/x   | false | example.com   | 81   | example.com:81     | /x     | 81   | example.com
            https://[::1]:8443/p              | true  | [::1]         | 8443 | [::1]:8443         | /p     | 8443 | ::1
            https://[2001:db8::1]/            | true  | [2001:db8::1] | -1   | [2001:db8::1]      | /      | 443  | 2001:db8::1
            http://example.com?q              | false | example.com   | -1   | example.com        | /?q    | 80   | example.com
            http://example.com                | false | example.com   | -1   | example.com        | /      | 80   | example.com
            http://example.com/a#frag         | false | example.com   | -1   | example.com        | /a     | 80   | example.com
            """)
    void takesANormalizedUrlApartOnce(String url, boolean tls, String host, int port, String hostPort, String path,
                                      int effectivePort, String address) {
        WebUrl parts = WebUrl.parse(url);
        assertThat(parts).isEqualTo(new WebUrl(tls, host, port, hostPort, path));
        assertThat(parts.effectivePort()).isEqualTo(effectivePort);
        assertThat(parts.address()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "mailto:a@example.com", "http://example.com:port/", "//example.com/",
            "http://example.com:99999999999/"})
    void isNullForWhatIsNotAnHttpUrlWithAPort(String url) {
        assertThat(WebUrl.parse(url)).isNull();
    }
}
