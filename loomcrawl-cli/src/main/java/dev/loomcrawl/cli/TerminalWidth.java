package dev.loomcrawl.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal the progress bar is drawn on, asked again every {@value #RECHECK_NANOS} ns so that a
 * resized window is followed: {@code stty size} on {@code /dev/tty} (the JVM cannot ask the terminal itself), or
 * {@code COLUMNS}, or 80. Used by the bar's one painting thread; not thread-safe.
 */
final class TerminalWidth {

    private static final long RECHECK_NANOS = 1_000_000_000L;
    private static final int FALLBACK = 80;

    private int columns = -1;
    private long askedAt;
    private boolean sttyWorks = new File("/dev/tty").canRead();

    /** The terminal's columns now, as last asked. */
    int columns() {
        long now = System.nanoTime();
        if (columns < 0 || now - askedAt >= RECHECK_NANOS) {
            askedAt = now;
            columns = ask();
        }
        return columns;
    }

    private int ask() {
        if (sttyWorks) {
            try {
                Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    sttyWorks = false;
                    return fallback();
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.exitValue() == 0) {
                    String[] rowsAndColumns = out.split("\\s+");
                    int n = Integer.parseInt(rowsAndColumns[rowsAndColumns.length - 1]);
                    if (n > 0) {
                        return n;
                    }
                }
                sttyWorks = false; // no terminal behind /dev/tty: fall back for good
            } catch (IOException | NumberFormatException e) {
                sttyWorks = false; // no stty, or no terminal behind /dev/tty: fall back for good
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return fallback();
    }

    /** {@code COLUMNS}, or 80. */
    private static int fallback() {
        try {
            int n = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            return n > 0 ? n : FALLBACK;
        } catch (NumberFormatException e) {
            return FALLBACK;
        }
    }
}
