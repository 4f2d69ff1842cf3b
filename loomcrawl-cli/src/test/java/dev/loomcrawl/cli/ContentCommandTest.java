package dev.loomcrawl.cli;

import static dev.loomcrawl.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content on the command line: {@code --content} in jsonl, {@code --content-dir}'s files named after the URLs,
 * {@code --llms-txt}, {@code report} giving the content again from the store, and {@code extract}.
 */
class ContentCommandTest {

    private SiteServer server;

    private static String page(String title, String description, String body, String... links) {
        StringBuilder nav = new StringBuilder("<nav>");
        for (String link : links) {
            nav.append("<a href=\"").append(link).append("\">").append(link).append("</a> ");
        }
        return "<!doctype html><html lang=en><head><title>" + title + "</title>"
                + (description == null ? "" : "<meta name=description content=\"" + description + "\">")
                + "<meta property=og:site_name content=\"Handbook\"></head><body>" + nav + "</nav><main><h1>" + title
                + "</h1><p>" + body + "</p><p>Every page of the handbook has a second paragraph too, long enough to "
                + "read as prose, with a comma or two.</p></main><footer>FOOTER</footer></body></html>";
    }

    @BeforeEach
    void start() throws Exception {
        server = SiteServer.start();
        Map<String, Resource> site = new LinkedHashMap<>();
        site.put("/", Resource.html(page("Handbook", "All about the handbook.", "Welcome to the handbook, start here.",
                "/a", "/a.html", "/docs/", "/docs/intro/", "/find?q=x%20y&page=2", "/data.txt", "/blog/post.html")));
        site.put("/a", Resource.html(page("A", "The page A.", "Page A says hello, with a sentence of its own.")));
        site.put("/a.html", Resource.html(page("A again", null, "Page A.html is another page, with its own words.")));
        site.put("/docs/", Resource.html(page("Docs", "The docs.", "The documentation starts here, with an index.")));
        site.put("/docs/intro/", Resource.html(page("Intro", "An introduction.", "The introduction, \"quoted\": a: b.")));
        site.put("/find?q=x%20y&page=2", Resource.html(page("Find", null, "Search results, in a page of their own.")));
        site.put("/blog/post.html", Resource.html(page("Post", "A post.", "A blog post, with thoughts in it.")));
        site.put("/data.txt", Resource.of(200, "text/plain", "not html".getBytes()));
        site.put("/moved", Resource.redirect(301, "/docs/intro/"));
        server.serve(site);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void contentDirHoldsAMarkdownFilePerPageNamedAfterItsUrl(@TempDir Path dir) throws Exception {
        Path files = dir.resolve("content");
        Run r = run("crawl", server.url("/"), "--content-dir", files.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(tree(files).keySet()).containsExactly("a-2.md", "a.md", "blog/post.md", "docs/index.md",
                "docs/intro/index.md", "find_q=x%20y_page=2.md", "index.md");
        String intro = Files.readString(files.resolve("docs/intro/index.md"));
        assertThat(intro).startsWith("---\nurl: \"" + server.url("/docs/intro/") + "\"\ntitle: \"Intro\"\n"
                + "description: \"An introduction.\"\nlang: \"en\"\nfetched: \"");
        assertThat(intro).contains("\n---\n\nThe introduction, \"quoted\": a: b.\n\nEvery page of the handbook")
                .doesNotContain("FOOTER");
        assertThat(Files.readString(files.resolve("a.md"))).contains("Page A says hello");
        assertThat(Files.readString(files.resolve("a-2.md"))).as("/a.html comes after /a: told apart")
                .contains("Page A.html is another page");

        Path again = dir.resolve("again");
        assertThat(run("crawl", server.url("/"), "--content-dir", again.toString(), "--concurrency", "1", "-q").code()).isZero();
        assertThat(tree(again)).as("the same files at any concurrency").isEqualTo(tree(files));
    }

    @Test
    void llmsTxtIndexesTheSiteAndLlmsFullHoldsEveryPage(@TempDir Path dir) throws Exception {
        Path llms = dir.resolve("llms.txt");
        Run r = run("crawl", server.url("/"), "--llms-txt", llms.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(llms)).isEqualTo("""
                # Handbook

                > All about the handbook.

                ## Pages

                - [Handbook](%1$s/): All about the handbook.
                - [A](%1$s/a): The page A.
                - [A again](%1$s/a.html): Page A.html is another page, with its own words.
                - [Find](%1$s/find?q=x%%20y&page=2): Search results, in a page of their own.

                ## docs

                - [Docs](%1$s/docs/): The docs.
                - [Intro](%1$s/docs/intro/): An introduction.

                ## blog

                - [Post](%1$s/blog/post.html): A post.
                """.formatted(server.baseUrl()));
        String full = Files.readString(dir.resolve("llms-full.txt"));
        assertThat(full).startsWith("# Handbook\n\nSource: " + server.url("/") + "\n\nWelcome to the handbook")
                .contains("# Intro\n\nSource: " + server.url("/docs/intro/") + "\n\nThe introduction");
        assertThat(full.split("\nSource: ")).hasSize(8);
    }

    @Test
    void jsonlCarriesTheContentAndReportGivesItAgainFromTheStore(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path crawled = dir.resolve("crawl.jsonl");
        Run r = run("crawl", server.url("/"), "--content", "text", "--format", "jsonl", "--state", state.toString(),
                "-o", crawled.toString(), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        String out = Files.readString(crawled);
        assertThat(out).contains("\"title\":\"Intro\",\"description\":\"An introduction.\",\"lang\":\"en\"")
                .contains("\"text\":\"The introduction, \\\"quoted\\\": a: b.\\n\\nEvery page")
                .contains("\"content_error\":null");
        assertThat(out.lines().filter(l -> l.contains("data.txt")).findFirst().orElseThrow()).doesNotContain("\"text\"");
        Path reported = dir.resolve("report.jsonl");
        Run report = run("report", state.toString(), "--format", "jsonl", "-o", reported.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readString(reported)).isEqualTo(out);

        Run many = run("crawl", server.url("/a"), server.url("/docs/"), "--content", "text", "--format", "jsonl",
                "--max-depth", "0", "-q");
        assertThat(many.code()).as(many.err()).isZero();
        assertThat(many.out().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"site\":")
                .contains("\"text\":").contains("\"site_name\":\"Handbook\""));
    }

    @Test
    void contentOptionsThatCannotWorkAreUsageErrors(@TempDir Path dir) {
        Run text = run("crawl", server.url("/"), "--content", "text", "--content-dir", dir.toString());
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.err()).startsWith("loomcrawl: --content-dir and --llms-txt write Markdown; leave out --content text\n");
        Run bad = run("crawl", server.url("/"), "--content", "html");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("loomcrawl: content must be one of markdown, text; was 'html'\n");
        Run many = run("crawl", server.url("/"), server.url("/docs/"), "--content-dir", dir.toString());
        assertThat(many.code()).isEqualTo(2);
        assertThat(many.err()).startsWith("loomcrawl: --content-dir and --llms-txt are for one site\n");
    }

    @Test
    void contentOutputsThatCannotBeWrittenChangeNothingAndNothingIsLeftForAnUnreachableSite(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "a file");
        Path out = Files.writeString(dir.resolve("out.txt"), "kept");
        Run notDir = run("crawl", server.url("/"), "--content-dir", file.resolve("md").toString(), "-o", out.toString(),
                "--state", dir.resolve("state").toString());
        assertThat(notDir.code()).isEqualTo(4);
        assertThat(notDir.err()).startsWith("loomcrawl: cannot write content directory '" + file.resolve("md") + "': ");
        assertThat(Files.readString(out)).isEqualTo("kept");
        assertThat(dir.resolve("state")).doesNotExist();

        Files.createDirectory(dir.resolve("llms-full.txt"));
        Run fullTaken = run("crawl", server.url("/"), "--llms-txt", dir.resolve("llms.txt").toString(), "--no-state");
        assertThat(fullTaken.code()).isEqualTo(4);
        assertThat(fullTaken.err()).contains("llms-full.txt': it is a directory");
        assertThat(dir.resolve("llms.txt")).doesNotExist();

        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Run unreachable = run("crawl", "http://127.0.0.1:1/", "--llms-txt", elsewhere.resolve("llms.txt").toString(),
                "--no-state", "--retries", "0");
        assertThat(unreachable.code()).isEqualTo(3);
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void extractPrintsOnePagesContentFromAFileStdinOrAUrl(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("page.html");
        Files.writeString(file, page("Intro", "An introduction.", "Read <a href=\"next.html\">the next page</a> after this one."));
        Run md = run("extract", file.toString(), "--base-url", "https://example.org/docs/");
        assertThat(md.code()).as(md.err()).isZero();
        assertThat(md.out()).startsWith("Read [the next page](https://example.org/docs/next.html) after this one.\n\n");
        Run json = run("extract", file.toString(), "--format", "json");
        assertThat(json.out()).startsWith("{\"url\":null,\"title\":\"Intro\",\"description\":\"An introduction.\"")
                .contains("\"markdown\":\"Read the next page after this one.");
        Run url = run("extract", server.url("/docs/intro/"), "--format", "text");
        assertThat(url.code()).as(url.err()).isZero();
        assertThat(url.out()).isEqualTo("The introduction, \"quoted\": a: b.\n\nEvery page of the handbook has a second "
                + "paragraph too, long enough to read as prose, with a comma or two.\n");
        Run moved = run("extract", server.url("/moved"), "--format", "text");
        assertThat(moved.code()).as(moved.err()).isZero();
        assertThat(moved.out()).isEqualTo(url.out());
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(file)));
            Run piped = run("extract", "-", "--base-url", "https://example.org/docs/");
            assertThat(piped.code()).as(piped.err()).isZero();
            assertThat(piped.out()).isEqualTo(md.out());
        } finally {
            System.setIn(stdin);
        }
        Run unreachable = run("extract", "http://127.0.0.1:1/");
        assertThat(unreachable.code()).isEqualTo(3);
        assertThat(unreachable.err()).startsWith("loomcrawl: ").doesNotContain("Exception");
        Run notHtml = run("extract", server.url("/data.txt"));
        assertThat(notHtml.code()).isEqualTo(3);
        assertThat(notHtml.err()).isEqualTo("loomcrawl: " + server.url("/data.txt") + " gave 200 and text/plain, not HTML\n");
        Run missing = run("extract", dir.resolve("nope.html").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("loomcrawl: no such file: " + dir.resolve("nope.html") + "\n");
        Path empty = dir.resolve("empty.html");
        Files.writeString(empty, "<html><body></body></html>");
        Run nothing = run("extract", empty.toString());
        assertThat(nothing.code()).isZero();
        assertThat(nothing.out()).isEmpty();
        assertThat(nothing.err()).isEqualTo("loomcrawl: no main content\n");
    }

    /** Each file under {@code root}, by its relative path, with the front matter's fetch time taken out. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p).replaceAll("fetched: \"[^\"]*\"", "fetched"));
            }
        }
        return files;
    }

}
