package dev.loomcrawl.internal.robots;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import dev.loomcrawl.internal.fetch.FetchResponse;
import dev.loomcrawl.internal.url.UrlNormalizer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.net.ssl.SSLException;

/**
 * Decides whether robots.txt lets the crawler request a URL. Each origin's robots.txt is fetched once, by the
 * first thread that asks; the others wait for that fetch without holding any lock. Parsing and the meaning of
 * failures follow crawler-commons: a 2xx is parsed, a 4xx allows everything, a 5xx allows nothing; a robots.txt
 * that timed out or broke off (after the fetcher's retries) is a server error too and allows nothing, while one
 * whose host refuses connections, does not resolve or fails the TLS handshake allows everything (the page
 * requests then say why they fail). Up to five redirects are followed. Thread-safe.
 */
public final class RobotsPolicy {

    /** Fetches robots.txt, with whatever retries the crawl makes. */
    @FunctionalInterface
    public interface Source {
        FetchResponse fetch(String url) throws IOException, InterruptedException;
    }

    private static final int MAX_REDIRECTS = 5;

    /** The rules of one origin, and what the fetch of its robots.txt came to. */
    private record Loaded(BaseRobotRules rules, String outcome) {}

    private final Source source;
    private final List<String> agentNames;
    private final ConcurrentHashMap<String, FutureTask<Loaded>> byOrigin = new ConcurrentHashMap<>();

    /**
     * @param source how robots.txt is requested
     * @param agentName the product token matched against {@code User-agent} lines, such as {@code loomcrawl}
     */
    public RobotsPolicy(Source source, String agentName) {
        this.source = source;
        this.agentNames = List.of(agentName.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code normalizedUrl} may be requested; fetches its origin's robots.txt the first time. */
    public boolean allowed(String normalizedUrl) throws InterruptedException {
        return load(normalizedUrl).rules().isAllowed(normalizedUrl);
    }

    /** The Crawl-delay robots.txt asks of loomcrawl on the URL's origin, or {@code null}. */
    public Duration crawlDelay(String normalizedUrl) throws InterruptedException {
        long ms = load(normalizedUrl).rules().getCrawlDelay();
        return ms == BaseRobotRules.UNSET_CRAWL_DELAY || ms <= 0 ? null : Duration.ofMillis(ms);
    }

    /** The sitemaps robots.txt names on the URL's origin. */
    public List<String> sitemaps(String normalizedUrl) throws InterruptedException {
        return List.copyOf(load(normalizedUrl).rules().getSitemaps());
    }

    /** What fetching robots.txt of the URL's origin came to, such as {@code robots.txt answered 500: nothing allowed}. */
    public String outcome(String normalizedUrl) throws InterruptedException {
        return load(normalizedUrl).outcome();
    }

    private Loaded load(String normalizedUrl) throws InterruptedException {
        String origin = UrlNormalizer.origin(normalizedUrl);
        FutureTask<Loaded> task = byOrigin.get(origin);
        if (task == null) {
            FutureTask<Loaded> fresh = new FutureTask<>(() -> load(origin + "/robots.txt", 0));
            task = byOrigin.putIfAbsent(origin, fresh);
            if (task == null) {
                task = fresh;
                fresh.run();
            }
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException) {
                byOrigin.remove(origin, task); // cancelled while loading: the next caller tries again
                throw new InterruptedException("robots.txt fetch cancelled");
            }
            throw new IllegalStateException("robots.txt evaluation failed for " + origin, e.getCause());
        }
    }

    private Loaded load(String url, int hops) throws InterruptedException {
        FetchResponse response;
        try {
            response = source.fetch(url);
        } catch (ConnectException | UnknownHostException e) {
            return new Loaded(allowAll(), "robots.txt unreachable: everything allowed");
        } catch (IOException e) {
            if (e instanceof SSLException || e.getMessage() != null && e.getMessage().contains("tls handshake")) {
                // a TLS failure is the site's, not a robots.txt verdict: the page requests fail with it and say so
                return new Loaded(allowAll(), "robots.txt unreachable over TLS: everything allowed");
            }
            return new Loaded(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_NONE),
                    "robots.txt failed (" + e.getMessage() + "): nothing allowed");
        }
        int status = response.status();
        String location = response.headers().first("Location");
        if (status >= 300 && status < 400 && location != null) {
            String next = UrlNormalizer.resolve(url, location);
            if (next == null || hops >= MAX_REDIRECTS) {
                return new Loaded(allowAll(), "robots.txt redirects too far: everything allowed");
            }
            return load(next, hops + 1);
        }
        SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
        if (status >= 200 && status < 300) {
            byte[] content = Arrays.copyOf(response.body(), response.length());
            return new Loaded(parser.parseContent(url, content, response.contentType(), agentNames), "robots.txt read");
        }
        BaseRobotRules rules = parser.failedFetch(status);
        return new Loaded(rules, "robots.txt answered " + status + ": "
                + (rules.isAllowNone() ? "nothing allowed" : "everything allowed"));
    }

    private static BaseRobotRules allowAll() {
        return new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL);
    }
}
