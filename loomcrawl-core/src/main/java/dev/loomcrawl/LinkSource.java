package dev.loomcrawl;

import java.util.List;

/**
 * Where a crawl learns the links of a URL without HTTP: the {@code HtmlParser} of LeetCode 1242, a test graph,
 * or a cache. Called concurrently from many virtual threads; an implementation must be thread-safe.
 */
@FunctionalInterface
public interface LinkSource {

    /** The URLs the page at {@code url} links to. */
    List<String> urls(String url);
}
