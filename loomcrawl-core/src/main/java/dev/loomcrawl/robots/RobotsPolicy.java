package dev.loomcrawl.robots;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import dev.loomcrawl.fetch.FetchResponse;
import dev.loomcrawl.fetch.HttpFetcher;
import dev.loomcrawl.url.UrlNormalizer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Decides whether robots.txt lets the crawler request a URL. Each origin's robots.txt is fetched once, by the
 * first thread that asks; the others wait for that fetch without holding any lock. Parsing and the meaning of
 * failures follow crawler-commons: a 2xx is parsed, a 4xx allows everything, a 5xx allows nothing. A robots.txt
 * that cannot be fetched at all (refused, timed out) allows everything. Up to five redirects are followed.
 * Thread-safe.
 */
public final class RobotsPolicy {

    private static final int MAX_REDIRECTS = 5;

    private final HttpFetcher fetcher;
    private final List<String> agentNames;
    private final ConcurrentHashMap<String, FutureTask<BaseRobotRules>> byOrigin = new ConcurrentHashMap<>();

    /**
     * @param fetcher how robots.txt is requested
     * @param agentName the product token matched against {@code User-agent} lines, such as {@code loomcrawl}
     */
    public RobotsPolicy(HttpFetcher fetcher, String agentName) {
        this.fetcher = fetcher;
        this.agentNames = List.of(agentName.toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether {@code normalizedUrl} may be requested; fetches its origin's robots.txt the first time. */
    public boolean allowed(String normalizedUrl) throws InterruptedException {
        String origin = UrlNormalizer.origin(normalizedUrl);
        FutureTask<BaseRobotRules> task = byOrigin.get(origin);
        if (task == null) {
            FutureTask<BaseRobotRules> fresh = new FutureTask<>(() -> load(origin));
            task = byOrigin.putIfAbsent(origin, fresh);
            if (task == null) {
                task = fresh;
                fresh.run();
            }
        }
        try {
            return task.get().isAllowed(normalizedUrl);
        } catch (ExecutionException e) {
            throw new IllegalStateException("robots.txt evaluation failed for " + origin, e.getCause());
        }
    }

    private BaseRobotRules load(String origin) throws InterruptedException {
        SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
        String url = origin + "/robots.txt";
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            FetchResponse response;
            try {
                response = fetcher.get(url);
            } catch (IOException e) {
                return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
            }
            int status = response.status();
            if (status >= 300 && status < 400 && response.headers().first("Location") != null) {
                String next = UrlNormalizer.resolve(url, response.headers().first("Location"));
                if (next == null) {
                    return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
                }
                url = next;
                continue;
            }
            if (status >= 200 && status < 300) {
                byte[] content = java.util.Arrays.copyOf(response.body(), response.length());
                return parser.parseContent(url, content, response.contentType(), agentNames);
            }
            return parser.failedFetch(status);
        }
        return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
    }
}
