package dev.loomcrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless Chromium (Debian's {@code chromium}, which {@code ./test} installs when it is
 * missing): it loads from a file with no network and no console error, its script runs (the filter box), it shows
 * the right counts, and a screenshot is kept as a test artifact in {@code target/}.
 */
class HtmlReportIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Runs headless Chromium on {@code url} with {@code extra} arguments; returns stdout, and stderr in {@code log}. */
    private static String chromium(Path profile, Path log, String url, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(extra));
        command.add(url);
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium ends").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theReportLoadsInChromiumWithoutErrorsAndShowsTheCounts(@TempDir Path dir) throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium; ./test installs it (apt-get install chromium)").exists();
        Path report = dir.resolve("report.html");
        try (FaultServer site = FaultServer.start()) {
            site.serve(Map.of(
                    "/", Resource.html("<a href=/ok>Fine</a>\n<a href=/missing>Gone</a>\n<a href=/moved>Moved</a>\n"
                            + "<a href='/ok#nope'>Nope</a>\n<a href=/blog/post>Post</a>"),
                    "/ok", Resource.html("ok"),
                    "/moved", Resource.redirect(301, "/ok"),
                    "/blog/post", Resource.html("<a href=/blog/gone>gone too</a>")));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"check", site.url("/"), "--format", "html", "-o", report.toString(), "--no-state"},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(5);
        }
        String html = Files.readString(report);
        assertThat(html).doesNotContain("http://cdn", "https://cdn", "<script src", "<link rel=stylesheet");

        Path log = dir.resolve("chromium.log");
        String dom = chromium(dir.resolve("profile"), log, report.toUri() + "?q=gone", "--dump-dom");
        Document page = Jsoup.parse(dom);
        assertThat(page.getElementById("total-pages").text()).isEqualTo("6");
        assertThat(page.getElementById("total-links").text()).isEqualTo("6");
        assertThat(page.getElementById("total-failing").text()).isEqualTo("3");
        assertThat(page.getElementById("count-broken").text()).isEqualTo("2");
        assertThat(page.getElementById("count-broken-anchor").text()).isEqualTo("1");
        assertThat(page.getElementById("count-redirected").text()).isEqualTo("1");
        assertThat(page.getElementById("depth-2").text()).isEqualTo("1");
        assertThat(page.select("#problems tr.row")).hasSize(4);
        assertThat(page.getElementById("shown").text()).as("the filter box ran: 'gone' matches two rows").isEqualTo("2");
        assertThat(page.select("#redirects li").text()).contains("/moved -> ");
        assertThat(page.select("#sections td").eachText()).contains("/blog");
        assertThat(page.select("#problems tr.row td.verdict").eachText())
                .as("one row per target, failing first, the most linked first")
                .containsExactly("broken 404", "broken 404", "broken-anchor 200", "redirected 200");
        assertThat(page.getElementById("total-targets").text()).isEqualTo("3");
        assertThat(html.indexOf("id=problems")).as("what to fix before the page charts").isLessThan(html.indexOf("id=depths"));
        assertThat(consoleErrors(log)).isEmpty();

        Document byPage = Jsoup.parse(chromium(dir.resolve("profile3"), log, report.toUri() + "?q=blog/post", "--dump-dom"));
        assertThat(byPage.getElementById("shown").text()).as("a page's URL filters its links").isEqualTo("1");
        assertThat(consoleErrors(log)).isEmpty();

        for (int width : new int[] {1400, 390}) {
            Path screenshot = Path.of("target", "check-report-" + width + ".png").toAbsolutePath();
            Files.deleteIfExists(screenshot);
            chromium(dir.resolve("profile-" + width), dir.resolve("shot.log"), report.toUri().toString(),
                    "--screenshot=" + screenshot, "--window-size=" + width + ",1600", "--hide-scrollbars");
            assertThat(screenshot).exists().isNotEmptyFile();
        }
    }

    /** Chromium's log lines that tell of a script error or a failed load. */
    private static List<String> consoleErrors(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(l -> l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error"))
                        || l.contains("net::ERR_") && !l.contains("favicon"))
                .toList();
    }
}
