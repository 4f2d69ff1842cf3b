package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomcrawl.crawl.ContentFormat;
import dev.loomcrawl.crawl.PageContent;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.StopReason;
import dev.loomcrawl.output.OutputFormat;
import dev.loomcrawl.testkit.Await;
import dev.loomcrawl.testkit.Resource;
import dev.loomcrawl.testkit.SiteServer;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crawl with content: each 2xx HTML page carries what the extractor gives for its bytes alone, nothing else
 * carries any, the output stays byte-identical at any concurrency, and a store gives the content back to a report
 * and to a resumed crawl without asking for the page again.
 */
@Timeout(120)
class ContentCrawlIT {

    private static final int PAGES = 60;

    /** An article page with the furniture of a real site around it, linking to two children and a few pages. */
    private static String article(int i) {
        StringBuilder links = new StringBuilder();
        for (int child : new int[] {2 * i + 1, 2 * i + 2}) {
            if (child < PAGES) {
                links.append("<p>Read on in <a href=\"/p").append(child).append(".html\">part ").append(child)
                        .append("</a>, which takes the story further, with more detail and more examples.</p>");
            }
        }
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Part %1$d | Saga</title>
                <meta name="description" content="Part %1$d of the saga."><meta property="og:site_name" content="Saga"></head>
                <body><header><nav><a href="/p0.html">Home</a> <a href="/p1.html">One NAVMARKER</a> <a href="/data.txt">Data</a>
                <a href="/old">Old</a> <a href="/missing">Missing</a></nav></header>
                <article><h1>Part %1$d</h1>
                <p>This is part %1$d of the saga, unique sentence number %1$d, told at some length so that it reads as
                prose, with commas, clauses, and a point of its own.</p>
                <h2>Details of part %1$d</h2>
                <ul><li>first item of %1$d</li><li>second item of %1$d</li></ul>
                %2$s</article>
                <aside class="sidebar"><h3>Popular SIDEMARKER</h3><ul><li><a href="/p2.html">Two</a></li></ul></aside>
                <footer>Copyright FOOTERMARKER</footer></body></html>
                """.formatted(i, links);
    }

    private static Map<String, Resource> site() {
        Map<String, Resource> site = new LinkedHashMap<>();
        for (int i = 0; i < PAGES; i++) {
            site.put("/p" + i + ".html", Resource.html(article(i)));
        }
        site.put("/data.txt", Resource.of(200, "text/plain", "plain text, not a page".getBytes(StandardCharsets.UTF_8)));
        site.put("/old", Resource.redirect(301, "/p3.html"));
        return site;
    }

    @Test
    void eachHtmlPageCarriesTheContentTheExtractorGivesForItsBytesAlone() throws Exception {
        try (SiteServer server = SiteServer.start()) {
            server.serve(site());
            List<PageResult> pages = new CopyOnWriteArrayList<>();
            Crawler.builder().concurrency(8).content(ContentFormat.MARKDOWN).build()
                    .crawl(server.url("/p0.html"), pages::add);
            assertThat(pages).hasSize(PAGES + 3);
            for (PageResult p : pages) {
                String path = p.url().substring(server.baseUrl().length());
                if (path.startsWith("/p")) {
                    int i = Integer.parseInt(path.substring(2, path.indexOf('.')));
                    PageContent alone = ContentExtractor.extract(article(i).getBytes(StandardCharsets.UTF_8),
                            "text/html", p.url(), ContentFormat.MARKDOWN);
                    assertThat(p.content().fetched()).isNotNull();
                    assertThat(p.content().fetchedAt(null)).isEqualTo(alone);
                    assertThat(alone.body()).contains("unique sentence number " + i + ",").contains("## Details of part " + i)
                            .contains("- second item of " + i).doesNotContain("MARKER").doesNotContain("# Part " + i + "\n");
                    assertThat(alone.title()).isEqualTo("Part " + i + " | Saga");
                    assertThat(alone.siteName()).isEqualTo("Saga");
                } else {
                    assertThat(p.content()).as("%s is not a 2xx HTML page", path).isNull();
                }
            }
        }
    }

    @Test
    void theOutputWithContentIsByteIdenticalAtAnyConcurrency() throws Exception {
        try (SiteServer server = SiteServer.start()) {
            server.serve(site()).latency(Duration.ofMillis(1));
            for (ContentFormat format : ContentFormat.values()) {
                List<String> outputs = new ArrayList<>();
                for (int concurrency : new int[] {1, 4, 32}) {
                    StringWriter out = new StringWriter();
                    Crawler.builder().concurrency(concurrency).content(format).build()
                            .crawl(server.url("/p0.html"), OutputFormat.JSONL.sink(out));
                    outputs.add(out.toString().replaceAll("\"fetch_ms\":\\d+", "\"fetch_ms\":0"));
                    assertThat(server.requestCounts().values()).as("each URL requested once").allMatch(n -> n == 1);
                    server.resetStats();
                }
                assertThat(outputs.get(0)).contains("\"" + format.label() + "\":\"This is part 0 of the saga")
                        .contains("\"words\":").contains("\"site_name\":\"Saga\"");
                assertThat(outputs).containsOnly(outputs.get(0));
            }
        }
    }

    @Test
    void aStoreGivesTheContentBackToAReportAndToAResumedCrawlWithoutAskingAgain(@TempDir Path dir) throws Exception {
        try (SiteServer server = SiteServer.start()) {
            server.serve(site()).latency(Duration.ofMillis(5));
            Crawler crawler = Crawler.builder().concurrency(4).content(ContentFormat.MARKDOWN).build();
            List<PageResult> reference = new ArrayList<>();
            crawler.crawl(server.url("/p0.html"), reference::add);
            server.resetStats();

            try (CrawlStore store = CrawlStore.open(dir)) {
                store.startNew(server.url("/p0.html"), "crawl", List.of("--content", "markdown"));
                Thread crawling = Thread.ofPlatform().start(() -> crawler.crawl(server.url("/p0.html"), p -> { }, store));
                Await.until("20 requests", () -> server.totalRequests() >= 20 || !crawling.isAlive());
                crawling.interrupt();
                crawling.join();
            }
            server.resetStats();
            Set<String> recorded = new HashSet<>();
            List<PageResult> resumed = new ArrayList<>();
            try (CrawlStore store = CrawlStore.open(dir)) {
                for (PageResult p : reference) {
                    if (store.session().recall(p.url()) != null) {
                        recorded.add(p.url().substring(server.baseUrl().length()));
                        PageContent stored = store.session().recall(p.url()).page().content();
                        if (p.content() == null) {
                            assertThat(stored).as(p.url()).isNull();
                        } else {
                            assertThat(stored.fetchedAt(null)).as(p.url()).isEqualTo(p.content().fetchedAt(null));
                            assertThat(stored.fetched()).isNotNull();
                        }
                    }
                }
                assertThat(recorded).isNotEmpty();
                store.resume();
                assertThat(crawler.crawl(server.url("/p0.html"), resumed::add, store).stopReason())
                        .isEqualTo(StopReason.COMPLETED);
            }
            for (String target : recorded) {
                assertThat(server.requestCounts()).as("%s was recorded, so not requested again", target)
                        .doesNotContainKey(target);
            }
            assertThat(withoutTimes(resumed)).containsExactlyElementsOf(withoutTimes(reference));
            List<PageResult> reported = new ArrayList<>();
            try (CrawlStore store = CrawlStore.open(dir)) {
                store.pages(reported::add);
            }
            assertThat(reported).containsExactlyElementsOf(resumed);
        }
    }

    /** The results without what differs from run to run: fetch times, and when content was fetched. */
    private static List<PageResult> withoutTimes(List<PageResult> pages) {
        return pages.stream().map(p -> new PageResult(p.url(), p.depth(), p.parent(), p.status(), p.contentType(),
                p.bytes(), 0, p.redirect(), p.error(), p.links(), p.truncated(), p.attempts(), p.noindex(), p.nofollow(),
                p.nofollowLinks(), p.source(), p.inSitemap(), p.content() == null ? null : p.content().fetchedAt(null)))
                .toList();
    }
}
