package dev.loomcrawl.crawl;

/**
 * A crawl's state directory cannot be used: it is not a loomcrawl store, it is damaged, it holds another crawl, or
 * it cannot be written. The message is one line that says which and what to do; the old state is never replaced
 * silently.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
