package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.FaultServer;
import dev.loomcrawl.testkit.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options from a TOML file: applied, overridden by the command line, and every mistake named by file, line and key. */
class ConfigFileTest {

    private FaultServer site;



    @BeforeEach
    void start() throws Exception {
        site = FaultServer.start();
        site.serve(Map.of("/", Resource.html("<a href=/a>a</a><a href=/b>b</a><a href=/c>c</a>"),
                "/a", Resource.html("a"), "/b", Resource.html("b"), "/c", Resource.html("c")));
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private static Path write(Path dir, String toml) throws Exception {
        Path file = dir.resolve("loomcrawl.toml");
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void theReadmeExampleLoadsAndApplies(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```toml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README has a toml example").isTrue();
        Path file = write(dir, m.group(1));
        Run r = run("check", site.url("/"), "--config", file.toString(), "--format", "jsonl");
        assertThat(r.err()).doesNotContain("unknown key", "Invalid value");
        assertThat(r.code()).isZero();
        // the example sends a header to the start host: every request carries it
        assertThat(site.requestLog()).allSatisfy(req -> assertThat(req.headers()).containsKey("x-crawled-by"));
    }

    @Test
    void optionsComeFromTheFileAndTheCommandLineWins(@TempDir Path dir) throws Exception {
        Path file = write(dir, "# a crawl of two pages\nmax-pages = 2\nconcurrency = 1\nformat = \"jsonl\"\nignore-robots = true\n"
                + "header = [\"X-One: 1\", \"X-Two: 2\"]\n");
        Run fromFile = run("crawl", site.url("/"), "--config", file.toString());
        assertThat(fromFile.code()).isZero();
        assertThat(fromFile.out().lines()).hasSize(2).allMatch(l -> l.startsWith("{\"url\":"));
        assertThat(site.requests("/robots.txt")).isZero();
        assertThat(site.requestLog()).allSatisfy(req -> assertThat(req.headers()).containsKeys("x-one", "x-two"));
        Run overridden = run("crawl", site.url("/"), "--config", file.toString(), "--max-pages", "3", "--format", "text");
        assertThat(overridden.out().lines()).hasSize(3).allMatch(l -> l.startsWith("http://"));
    }

    @Test
    void checkOptionsInTheFileAreIgnoredByCrawl(@TempDir Path dir) throws Exception {
        Path file = write(dir, "fail-on = [\"blocked\"]\nmax-pages = 1\n");
        assertThat(run("crawl", site.url("/"), "--config", file.toString()).out().lines()).hasSize(1);
    }

    @Test
    void mistakesNameTheFileLineAndKey(@TempDir Path dir) throws Exception {
        Path unknown = write(dir, "concurrency = 4\n\nmax-page = 3\n");
        Run r = run("crawl", site.url("/"), "--config", unknown.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("loomcrawl: " + unknown + " line 3: unknown key 'max-page'");

        Path wrongType = write(dir, "concurrency = \"many\"\n");
        r = run("crawl", site.url("/"), "--config", wrongType.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("loomcrawl: " + wrongType + " line 1: Invalid value for option '--concurrency'")
                .contains("'many' is not an int");

        Path flag = write(dir, "sitemaps = \"yes\"\n");
        assertThat(run("crawl", site.url("/"), "--config", flag.toString()).err())
                .startsWith("loomcrawl: " + flag + " line 1: sitemaps must be true or false");

        Path list = write(dir, "\n\nmax-depth = [1, 2]\n");
        assertThat(run("crawl", site.url("/"), "--config", list.toString()).err())
                .startsWith("loomcrawl: " + list + " line 3: max-depth takes one value, not a list");

        Path broken = write(dir, "concurrency = = 4\n");
        assertThat(run("crawl", site.url("/"), "--config", broken.toString()).err())
                .startsWith("loomcrawl: " + broken).contains("not valid TOML");

        Path outOfRange = write(dir, "max-pages = 5\nconcurrency = 0\n");
        Run range = run("crawl", site.url("/"), "--config", outOfRange.toString());
        assertThat(range.code()).isEqualTo(2);
        assertThat(range.err()).startsWith("loomcrawl: " + outOfRange + " line 2: --concurrency must be 1..4096, was 0\n");

        Path binary = dir.resolve("binary.toml");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe});
        Run notText = run("crawl", site.url("/"), "--config", binary.toString());
        assertThat(notText.code()).isEqualTo(2);
        assertThat(notText.err()).startsWith("loomcrawl: config file '" + binary + "' is not text (TOML in UTF-8)\n");

        Run missing = run("crawl", site.url("/"), "--config", dir.resolve("nope.toml").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("loomcrawl: config file '" + dir.resolve("nope.toml") + "' does not exist");
    }

    @Test
    void loomcrawlTomlInTheWorkingDirectoryIsReadWithoutAsking(@TempDir Path dir) throws Exception {
        write(dir, "max-pages = 1\nignore-robots = true\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "crawl",
                site.url("/")).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out.lines()).containsExactly(site.url("/"));
    }
}
