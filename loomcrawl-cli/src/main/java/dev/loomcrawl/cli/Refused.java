package dev.loomcrawl.cli;

/**
 * A run refused before it changed anything: one line for stderr, and the exit code. {@link Main} prints it, as it
 * does a usage error.
 */
final class Refused extends RuntimeException {
    final int exitCode;

    Refused(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
