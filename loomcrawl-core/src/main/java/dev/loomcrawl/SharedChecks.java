package dev.loomcrawl;

import dev.loomcrawl.crawl.Ticker;
import dev.loomcrawl.internal.politeness.Politeness;
import dev.loomcrawl.internal.run.DirectChecks;
import dev.loomcrawl.internal.run.DirectChecks.Outcome;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The external links of several link checks, each requested once: give the same instance to each checker
 * ({@link LinkChecker.Builder#sharedChecks}), as the sites of one run do, and a URL that several sites link to is
 * asked by the first check that needs it; the others wait for its outcome and take it. Only URLs outside a check's
 * own site are shared; each site's own pages and resources are its own. The checks also share one throttle of the
 * hosts they ask, so that sites checked at once never ask one host more than {@value LinkChecker#EXTERNAL_PER_HOST}
 * requests at a time. Thread-safe.
 */
public final class SharedChecks {

    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private volatile Politeness hosts;

    /**
     * The throttle of the hosts the sharing checks ask directly, made on first use with the clock of the check that
     * asks first: {@value LinkChecker#EXTERNAL_PER_HOST} requests at a time to each host, whichever check asks.
     */
    Politeness hosts(Ticker ticker) {
        Politeness h = hosts;
        if (h == null) {
            synchronized (this) {
                h = hosts;
                if (h == null) {
                    h = DirectChecks.hosts(ticker);
                    hosts = h;
                }
            }
        }
        return h;
    }

    /** External URLs checked by one of the checks sharing this, or being checked. */
    public int size() {
        return outcomes.size();
    }

    /**
     * The outcome of each of {@code urls}: those {@code shared} accepts from whichever check asked first (asking
     * {@code check} for the ones no check has asked yet), the others from {@code check}. A URL whose check was cut
     * short (an interrupt) is missing from the answer, and another check may ask it again; an interrupt while
     * waiting for another check's answer leaves the rest missing, with the interrupt status kept.
     */
    Map<String, Outcome> check(Set<String> urls, Predicate<String> shared, Function<Set<String>, Map<String, Outcome>> check) {
        Set<String> asked = new LinkedHashSet<>();
        Map<String, CompletableFuture<Outcome>> claimed = new HashMap<>();
        Map<String, CompletableFuture<Outcome>> awaited = new LinkedHashMap<>();
        for (String url : urls) {
            if (!shared.test(url)) {
                asked.add(url);
                continue;
            }
            CompletableFuture<Outcome> mine = new CompletableFuture<>();
            CompletableFuture<Outcome> earlier = outcomes.putIfAbsent(url, mine);
            if (earlier == null) {
                claimed.put(url, mine);
                asked.add(url);
            } else {
                awaited.put(url, earlier);
            }
        }
        Map<String, Outcome> out = new HashMap<>();
        try {
            if (!asked.isEmpty()) {
                out.putAll(check.apply(asked));
            }
        } finally {
            claimed.forEach((url, future) -> {
                Outcome o = out.get(url);
                if (o == null) {
                    outcomes.remove(url, future); // not asked after all: the next check that needs it asks
                }
                future.complete(o);
            });
        }
        for (Map.Entry<String, CompletableFuture<Outcome>> e : awaited.entrySet()) {
            try {
                Outcome o = e.getValue().get();
                if (o != null) {
                    out.put(e.getKey(), o);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible); // the futures are completed with values only
            }
        }
        return out;
    }
}
