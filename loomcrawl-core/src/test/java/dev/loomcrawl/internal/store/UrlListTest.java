package dev.loomcrawl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlListTest {

    private static final String PAGE = "http://example.com:8080/a/b.html";

    @Test
    void urlsOnThePagesOriginAreKeptAsPathsAndComeBackWhole() {
        List<String> urls = List.of("http://example.com:8080/", "http://example.com:8080/x?q=\"1\"\\2",
                "http://example.com:8080.evil/", "http://example.com/", "https://example.com:8080/y", "http://other/z");
        String json = UrlList.encode(PAGE, urls);
        assertThat(json).startsWith("[\"/\",\"/x?q=\\\"1\\\"\\\\2\",\"http://example.com:8080.evil/\"");
        assertThat(UrlList.decode(PAGE, json)).containsExactlyElementsOf(urls);
    }

    @Test
    void theLocalUrlsAreThoseKeptAsPaths() {
        List<String> urls = List.of("http://example.com:8080/", "http://example.com:8080.evil/", "http://example.com/",
                "https://example.com:8080/y", "http://example.com:8080/z#f", "http://example.com:8080");
        assertThat(UrlList.local(PAGE, urls)).containsExactly("http://example.com:8080/", "http://example.com:8080/z#f");
        assertThat(UrlList.encode(PAGE, UrlList.local(PAGE, urls))).isEqualTo("[\"/\",\"/z#f\"]");
    }

    @Test
    void anEmptyListAndControlCharactersRoundTrip() {
        assertThat(UrlList.decode(PAGE, UrlList.encode(PAGE, List.of()))).isEmpty();
        List<String> odd = List.of("http://other/\u0001\t\n");
        assertThat(UrlList.decode(PAGE, UrlList.encode(PAGE, odd))).isEqualTo(odd);
        assertThat(UrlList.decode(PAGE, " [ \"http://o/\u00e9\" , \"\\u0041\" ] ")).containsExactly("http://o/\u00e9", "A");
    }

    @Test
    void somethingElseIsMalformed() {
        assertThatThrownBy(() -> UrlList.decode(PAGE, "[\"a\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlList.decode(PAGE, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrlList.decode(PAGE, "[1]")).isInstanceOf(IllegalArgumentException.class);
    }
}
