package dev.loomcrawl.crawl;

/** A crawl was stopped because a visitor or a result sink threw; the cause is what it threw. */
public final class CrawlFailedException extends RuntimeException {

    public CrawlFailedException(Throwable cause) {
        super("crawl failed: " + cause, cause);
    }
}
