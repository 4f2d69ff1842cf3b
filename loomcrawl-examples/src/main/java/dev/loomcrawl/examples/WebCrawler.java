package dev.loomcrawl.examples;

import dev.loomcrawl.LinkSourceCrawler;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LeetCode 1242, "Web Crawler Multithreaded": from {@code startUrl}, every URL with the same hostname that
 * {@link HtmlParser} links reach, the start included. The notes' serial depth-first search is the reference; the
 * concurrent crawl runs on loomcrawl's engine (atomic seen-set, a count of pending work that says when it is done,
 * one scope of virtual threads) and must find exactly the same set.
 */
public final class WebCrawler {

    /** The problem's interface: the links of a page. Implementations may block (a network call). */
    @FunctionalInterface
    public interface HtmlParser {
        List<String> getUrls(String url);
    }

    private WebCrawler() {}

    /** The serial reference: depth-first, one page at a time, with an explicit stack. */
    public static List<String> crawlSerially(String startUrl, HtmlParser parser) {
        String host = hostname(startUrl);
        Set<String> seen = new HashSet<>();
        List<String> found = new ArrayList<>();
        Deque<String> stack = new ArrayDeque<>();
        stack.push(startUrl);
        seen.add(startUrl);
        while (!stack.isEmpty()) {
            String url = stack.pop();
            found.add(url);
            for (String next : parser.getUrls(url)) {
                if (hostname(next).equals(host) && seen.add(next)) {
                    stack.push(next);
                }
            }
        }
        return found;
    }

    /** The concurrent crawl, {@code concurrency} pages at once, on loomcrawl's engine. */
    public static List<String> crawl(String startUrl, HtmlParser parser, int concurrency) {
        return LinkSourceCrawler.crawl(startUrl, parser::getUrls, concurrency);
    }

    /** The problem's definition of a hostname: {@code http://news.yahoo.com/news} has {@code news.yahoo.com}. */
    static String hostname(String url) {
        return URI.create(url).getHost();
    }
}
