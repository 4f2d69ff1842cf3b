package dev.loomcrawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The LeetCode 1242 contract, against a plain serial depth-first reference. */
class LinkSourceCrawlTest {

    /** LeetCode's HtmlParser over an edge list: edges[i] = {from, to}. */
    private static LinkSource parser(List<String> urls, int[][] edges) {
        Map<String, List<String>> out = new HashMap<>();
        for (int[] e : edges) {
            out.computeIfAbsent(urls.get(e[0]), k -> new ArrayList<>()).add(urls.get(e[1]));
        }
        return url -> out.getOrDefault(url, List.of());
    }

    /** The reference: a serial DFS. */
    private static Set<String> serialDfs(String start, LinkSource source) {
        String host = start.split("/")[2];
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> stack = new ArrayDeque<>();
        stack.push(start);
        seen.add(start);
        while (!stack.isEmpty()) {
            for (String next : source.urls(stack.pop())) {
                if (next.split("/")[2].equals(host) && seen.add(next)) {
                    stack.push(next);
                }
            }
        }
        return seen;
    }

    @Test
    void leetCodeExampleOne() {
        List<String> urls = List.of("http://news.yahoo.com", "http://news.yahoo.com/news",
                "http://news.yahoo.com/news/topics/", "http://news.google.com", "http://news.yahoo.com/us");
        int[][] edges = {{2, 0}, {2, 1}, {3, 2}, {3, 1}, {0, 4}};
        assertThat(LinkSourceCrawler.crawl("http://news.yahoo.com/news/topics/", parser(urls, edges)))
                .containsExactlyInAnyOrder("http://news.yahoo.com", "http://news.yahoo.com/news",
                        "http://news.yahoo.com/news/topics/", "http://news.yahoo.com/us");
    }

    @Test
    void leetCodeExampleTwo() {
        List<String> urls = List.of("http://news.yahoo.com", "http://news.yahoo.com/news",
                "http://news.yahoo.com/news/topics/", "http://news.google.com");
        int[][] edges = {{0, 2}, {2, 1}, {3, 2}, {3, 1}, {3, 0}};
        assertThat(LinkSourceCrawler.crawl("http://news.google.com", parser(urls, edges)))
                .containsExactly("http://news.google.com");
    }

    /** A random graph over a few hosts whose parser sleeps a little, and counts calls per URL. */
    private record RandomGraph(String start, LinkSource source, Map<String, AtomicInteger> calls) {
        static RandomGraph of(long seed, int nodes) {
            Random rng = new Random(seed);
            String[] hosts = {"a.example", "b.example", "a.example.org"};
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                urls.add("http://" + hosts[rng.nextInt(10) < 8 ? 0 : 1 + rng.nextInt(2)] + "/p" + i);
            }
            Map<String, List<String>> out = new HashMap<>();
            for (String u : urls) {
                List<String> next = new ArrayList<>();
                int degree = rng.nextInt(6);
                for (int k = 0; k < degree; k++) {
                    next.add(urls.get(rng.nextInt(nodes)));
                }
                out.put(u, next);
            }
            Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
            LinkSource source = url -> {
                calls.computeIfAbsent(url, k -> new AtomicInteger()).incrementAndGet();
                try {
                    Thread.sleep(rng.nextInt(2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return out.getOrDefault(url, List.of());
            };
            return new RandomGraph("http://a.example/p0", source, calls);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 16, 64})
    void concurrentCrawlEqualsTheSerialReferenceAndAsksOncePerUrl(int concurrency) {
        for (long seed = 1; seed <= 20; seed++) {
            RandomGraph g = RandomGraph.of(seed, 300);
            Set<String> expected = serialDfs(g.start(), g.source());
            g.calls().clear();
            List<String> found = LinkSourceCrawler.crawl(g.start(), g.source(), concurrency);
            assertThat(found).as("seed %d", seed).doesNotHaveDuplicates();
            assertThat(Set.copyOf(found)).as("seed %d", seed).isEqualTo(expected);
            assertThat(g.calls().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        }
    }

    @RepeatedTest(20)
    void manyThreadsFindingTheSameUrlsAtOnceStillAskOncePerUrl() {
        // a complete graph: every page links to every page, so every URL is found by every visit at once
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            urls.add("http://dense.example/" + i);
        }
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        LinkSource source = url -> {
            calls.computeIfAbsent(url, k -> new AtomicInteger()).incrementAndGet();
            return urls;
        };
        assertThat(LinkSourceCrawler.crawl(urls.get(0), source, 64)).containsExactlyInAnyOrderElementsOf(urls);
        assertThat(calls).hasSize(60).allSatisfy((u, n) -> assertThat(n.get()).isEqualTo(1));
    }
}
