package dev.loomcrawl.crawl;

/** Why a crawl ended. */
public enum StopReason {
    /** Every reachable URL in scope was visited. */
    COMPLETED,
    /** The page limit was reached; the pages already in flight were finished. */
    MAX_PAGES,
    /** The time limit ran out; what was in flight was cancelled. */
    MAX_TIME,
    /** The crawling thread was interrupted; what was in flight was cancelled. */
    CANCELLED,
    /** A visitor or the result sink failed; what was in flight was cancelled. */
    FAILED
}
