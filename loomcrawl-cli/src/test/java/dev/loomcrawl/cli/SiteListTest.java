package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteListTest {

    private static final ByteArrayInputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    @Test
    void argumentsComeFirstThenTheFileSkippingBlankLinesAndCommentsAndKeepingBadLinesAsFailingSites(@TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("sites.txt");
        Files.writeString(file, "\uFEFF# clients\r\nhttp://b.example/docs/\r\n\r\n   https://C.example  \nhtp:/bad\n"
                + "http://a.example\n#http://skipped.example/\n");
        List<SiteList.Site> sites = SiteList.of(List.of("http://a.example/"), file, NO_STDIN);
        assertThat(sites).extracting(SiteList.Site::where).containsExactly("argument 1", file + ":2", file + ":4",
                file + ":5", file + ":6");
        assertThat(sites).extracting(SiteList.Site::start).containsExactly("http://a.example/",
                "http://b.example/docs/", "https://c.example/", null, "http://a.example/");
        assertThat(sites).extracting(SiteList.Site::problem).containsExactly(null, null, null,
                "invalid URL: it must be an absolute http or https URL", "listed before, at argument 1");
        assertThat(sites.get(3).name()).isEqualTo("htp:/bad");
        assertThat(sites).extracting(SiteList.Site::index).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void dashReadsStdin() {
        List<SiteList.Site> sites = SiteList.of(List.of(), Path.of("-"),
                new ByteArrayInputStream("http://x.example/\nhttp://y.example/\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(sites).extracting(SiteList.Site::start).containsExactly("http://x.example/", "http://y.example/");
        assertThat(sites.getFirst().where()).isEqualTo("stdin:1");
    }

    @Test
    void anEmptyMissingOrBinaryListIsAUsageErrorNamingTheFileAndLine(@TempDir Path tmp) throws Exception {
        Path empty = tmp.resolve("empty.txt");
        Files.writeString(empty, "# nothing yet\n\n");
        assertThatThrownBy(() -> SiteList.of(List.of(), empty, NO_STDIN)).isInstanceOf(Refused.class)
                .hasMessage("the site list " + empty + " holds no start URL (2 lines, all blank or # comments)")
                .satisfies(e -> assertThat(((Refused) e).exitCode).isEqualTo(ExitCode.USAGE));
        Path missing = tmp.resolve("missing.txt");
        assertThatThrownBy(() -> SiteList.of(List.of(), missing, NO_STDIN))
                .hasMessage("cannot read the site list " + missing + ": no such file");
        Path binary = tmp.resolve("list.gz");
        Files.write(binary, new byte[] {'h', 't', 't', 'p', '\n', 0x1f, (byte) 0x8b, 8, 0, 0});
        assertThatThrownBy(() -> SiteList.of(List.of(), binary, NO_STDIN)).isInstanceOf(Refused.class)
                .hasMessageStartingWith("the site list " + binary + " is not").hasMessageContaining("line 2");
        assertThatThrownBy(() -> SiteList.of(List.of(), tmp, NO_STDIN)).isInstanceOf(Refused.class)
                .hasMessageStartingWith("cannot read the site list " + tmp);
    }

    @Test
    void siteFilesAreNamedByHostAndPortNumberedWhenAHostComesAgain() {
        List<SiteList.Site> sites = SiteList.of(List.of("http://a.example/", "https://a.example/x/",
                "http://127.0.0.1:8080/", "bad", "http://[::1]:81/", "http://A.example:8000/"), null, NO_STDIN);
        SiteFiles files = SiteFiles.of(sites);
        assertThat(List.of(files.name(0), files.name(1), files.name(2), files.name(4), files.name(5)))
                .containsExactly("a.example", "a.example-2", "127.0.0.1_8080", "--1_81", "a.example_8000");
        assertThat(files.name(3)).isNull();
        assertThat(ManySites.warcOf(Path.of("out/site.warc.gz"), "a.example"))
                .isEqualTo(Path.of("out/site-a.example.warc.gz"));
    }
}
