package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where {@code --content-dir} writes a page: the URL's path, made safe as a file name. */
class ContentFilesTest {

    @Test
    void thePathMirrorsTheUrl() {
        assertThat(ContentFiles.pathOf("https://example.org/")).isEqualTo("index.md");
        assertThat(ContentFiles.pathOf("https://example.org/docs/intro/")).isEqualTo("docs/intro/index.md");
        assertThat(ContentFiles.pathOf("https://example.org/a.html")).isEqualTo("a.md");
        assertThat(ContentFiles.pathOf("https://example.org/a")).isEqualTo("a.md");
        assertThat(ContentFiles.pathOf("https://example.org/find?q=x%20y&page=2")).isEqualTo("find_q=x%20y_page=2.md");
        assertThat(ContentFiles.pathOf("https://example.org/data.json")).isEqualTo("data.json.md");
    }

    @Test
    void unsafeNamesAreMadeSafe() {
        assertThat(ContentFiles.pathOf("https://example.org/a%2F..%2Fb/c:d*e")).isEqualTo("a%2F..%2Fb/c_d_e.md");
        assertThat(ContentFiles.pathOf("https://example.org/x/.../y")).isEqualTo("x/.../y.md");
        assertThat(ContentFiles.pathOf("https://example.org/a//b")).isEqualTo("a/_/b.md");
        // a directory never takes a file's name: /a is a.md, so /a.md/x goes under a.md_/
        assertThat(ContentFiles.pathOf("https://example.org/a.md/x")).isEqualTo("a.md_/x.md");
        assertThat(ContentFiles.pathOf("https://example.org/A.MD/")).isEqualTo("A.MD_/index.md");
    }

    @Test
    void longNamesAreCutAndHashed() {
        String segment = "s".repeat(300);
        String path = ContentFiles.pathOf("https://example.org/" + segment + "/page");
        assertThat(path).matches("s{120}-[0-9a-f]{12}/page\\.md");
        String name = ContentFiles.pathOf("https://example.org/" + "p".repeat(110) + "?" + "q=" + "v".repeat(115));
        assertThat(name).matches("p{110}_q=v{7}-[0-9a-f]{12}\\.md");
        assertThat(name.length()).isLessThan(255 - "-99".length());
        assertThat(ContentFiles.pathOf("https://example.org/" + "p".repeat(110) + "?q=" + "w".repeat(115)))
                .as("names cut alike stay apart").isNotEqualTo(name);
    }
}
