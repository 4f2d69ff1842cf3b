package dev.loomcrawl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebCrawlerTest {

    /** The problem's parser over a fixed graph: {@code edges[i] = {from, to}} index into {@code urls}. */
    private static WebCrawler.HtmlParser parser(String[] urls, int[][] edges) {
        Map<String, List<String>> graph = new HashMap<>();
        for (int[] e : edges) {
            graph.computeIfAbsent(urls[e[0]], k -> new ArrayList<>()).add(urls[e[1]]);
        }
        return url -> graph.getOrDefault(url, List.of());
    }

    @Test
    void exampleOne() {
        String[] urls = {"http://news.yahoo.com", "http://news.yahoo.com/news", "http://news.yahoo.com/news/topics/",
            "http://news.google.com", "http://news.yahoo.com/us"};
        int[][] edges = {{2, 0}, {2, 1}, {3, 2}, {3, 1}, {0, 4}};
        WebCrawler.HtmlParser parser = parser(urls, edges);
        String start = "http://news.yahoo.com/news/topics/";
        assertThat(WebCrawler.crawl(start, parser, 16)).containsExactlyInAnyOrder("http://news.yahoo.com",
                "http://news.yahoo.com/news", "http://news.yahoo.com/news/topics/", "http://news.yahoo.com/us");
        assertThat(WebCrawler.crawlSerially(start, parser)).containsExactlyInAnyOrderElementsOf(WebCrawler.crawl(start, parser, 16));
    }

    @Test
    void exampleTwo() {
        String[] urls = {"http://news.yahoo.com", "http://news.yahoo.com/news", "http://news.yahoo.com/news/topics/",
            "http://news.google.com"};
        int[][] edges = {{0, 2}, {2, 1}, {3, 2}, {3, 1}, {3, 0}};
        WebCrawler.HtmlParser parser = parser(urls, edges);
        assertThat(WebCrawler.crawl("http://news.google.com", parser, 16)).containsExactly("http://news.google.com");
        assertThat(WebCrawler.crawlSerially("http://news.google.com", parser)).containsExactly("http://news.google.com");
    }

    /** Random graphs over two hosts whose parser blocks a little, as a network call would. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theConcurrentCrawlFindsWhatTheSerialOneFinds(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 50 + random.nextInt(400);
        String[] urls = new String[n];
        for (int i = 0; i < n; i++) {
            urls[i] = (random.nextInt(10) == 0 ? "http://other.example" : "http://site.example") + "/p" + i;
        }
        urls[0] = "http://site.example/p0";
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < n * 3; i++) {
            edges.add(new int[] {random.nextInt(n), random.nextInt(n)});
        }
        WebCrawler.HtmlParser graph = parser(urls, edges.toArray(int[][]::new));
        WebCrawler.HtmlParser slow = url -> {
            LockSupport.parkNanos(50_000 + url.hashCode() % 50_000);
            return graph.getUrls(url);
        };
        List<String> serial = WebCrawler.crawlSerially(urls[0], graph);
        for (int concurrency : new int[] {1, 4, 16, 64}) {
            assertThat(WebCrawler.crawl(urls[0], slow, concurrency)).as("concurrency %d", concurrency)
                    .containsExactlyInAnyOrderElementsOf(serial);
        }
    }
}
