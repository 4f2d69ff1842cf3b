package dev.loomcrawl.cli;

/** The exit codes of the loomcrawl command, as the README documents them. */
final class ExitCode {
    /** The crawl ran (pages with 4xx/5xx or transport errors are results, not failures). */
    static final int OK = 0;
    /** An unexpected internal error; or, for {@code demo}, a result that differs from the ground truth. */
    static final int FAILURE = 1;
    /** A bad command line: unknown option, bad value, invalid URL. */
    static final int USAGE = 2;
    /** The start URL gave no response (refused, unknown host, timed out). */
    static final int START_UNREACHABLE = 3;
    /** The output could not be written. */
    static final int OUTPUT_ERROR = 4;
    /** {@code check} found failing links (broken, broken-anchor, invalid, and what {@code --fail-on} adds). */
    static final int LINKS_FAILING = 5;
    /**
     * The state directory cannot be used: not a loomcrawl crawl, damaged, in use by another process, or holding an
     * unfinished crawl of another URL.
     */
    static final int STATE_ERROR = 6;
    /**
     * The Kafka cluster of {@code worker}, {@code submit} or {@code results} did not answer in time
     * ({@code Cluster.TIMEOUT}), or refused what the command needs (creating a topic).
     */
    static final int CLUSTER_UNAVAILABLE = 7;
    /** Stopped by Ctrl-C (SIGINT); what was crawled was written. */
    static final int INTERRUPTED = 130;

    private ExitCode() {}
}
