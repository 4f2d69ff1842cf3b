package dev.loomcrawl.cli;

import dev.loomcrawl.crawl.CrawlSummary;
import dev.loomcrawl.crawl.PageResult;
import dev.loomcrawl.crawl.PageSink;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the user sees on stderr: a live progress bar while the crawl runs (only when stderr is a terminal, never
 * with {@code --quiet}), and one summary line at the end. The bar shows pages done against pages discovered, the
 * rate, errors so far, and an ETA when {@code --max-pages} bounds the crawl; it has colours unless {@code NO_COLOR}
 * is set. It is redrawn by its own virtual thread from counters the crawl's threads bump.
 */
final class Progress implements AutoCloseable {

    private static final int BAR_WIDTH = 24;
    /** A bar narrower than this says nothing: it is left out. */
    private static final int MIN_BAR_WIDTH = 6;

    private final PrintWriter err;
    private final boolean color;
    private final long bound;
    private final long began = System.nanoTime();
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong discovered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Thread painter;
    /** Held while a frame is drawn or the bar erased, so that nothing is drawn once the bar is closed. */
    private final ReentrantLock screen = new ReentrantLock();
    private boolean closed; // guarded by screen

    /**
     * @param live whether to draw the bar at all
     * @param bound the most pages the crawl will request (for the ETA), or {@link Long#MAX_VALUE}
     */
    Progress(PrintWriter err, boolean live, long bound) {
        this.err = err;
        this.color = colorWanted(System.getenv());
        this.bound = bound;
        this.painter = live ? Thread.ofVirtual().name("loomcrawl-progress").start(this::paintLoop) : null;
    }

    /** Colours unless NO_COLOR is set to anything (no-color.org). */
    static boolean colorWanted(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return noColor == null || noColor.isEmpty();
    }

    /** Counts the URLs the crawl admits: the bar's "discovered". */
    dev.loomcrawl.crawl.PageInspector discovering() {
        return new dev.loomcrawl.crawl.PageInspector() {
            @Override
            public void admitted(String url) {
                discovered.incrementAndGet();
            }
        };
    }

    /** Whether stderr is a terminal: the launcher tells us, as the JVM cannot see it for stderr alone. */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("loomcrawl.stderr.tty");
        if (told != null) {
            return told.equals("true");
        }
        return System.console() != null && System.console().isTerminal();
    }

    /** Wraps a sink so that what passes through is counted. */
    PageSink counting(PageSink sink) {
        return page -> {
            count(page);
            sink.accept(page);
        };
    }

    private void count(PageResult page) {
        pages.incrementAndGet();
        if (!page.hasResponse()) {
            errors.incrementAndGet();
        }
    }

    private void paintLoop() {
        TerminalWidth width = new TerminalWidth();
        try {
            while (true) {
                Thread.sleep(250);
                double seconds = (System.nanoTime() - began) / 1e9;
                String frame = "\r\033[K" + bar(pages.get(), discovered.get(), errors.get(), seconds, bound, color,
                        width.columns());
                screen.lock();
                try {
                    if (closed) {
                        return;
                    }
                    err.print(frame);
                    err.flush();
                } finally {
                    screen.unlock();
                }
            }
        } catch (InterruptedException e) {
            // the crawl is over
        }
    }

    /**
     * One frame of the bar, such as {@code [#########...............] 1,204/3,310 pages  412/s  3 errors  ETA 00:05},
     * that fits in {@code columns} (less one, so that the cursor never wraps): on a narrow terminal the bar
     * shrinks, then the time, the errors and the rate are left out, and at last the counts are cut.
     */
    static String bar(long done, long discovered, long errors, double seconds, long bound, boolean color, int columns) {
        long total = Math.max(done, Math.min(discovered, bound));
        double rate = done / Math.max(seconds, 1e-3);
        List<String> parts = new ArrayList<>(List.of(String.format(Locale.ROOT, "%,d/%,d pages", done, total),
                String.format(Locale.ROOT, "%,.0f/s", rate), String.format(Locale.ROOT, "%,d errors", errors),
                bound != Long.MAX_VALUE && rate > 0
                        ? "ETA " + clock(Math.max(0, Math.min(bound, Math.max(discovered, done)) - done) / rate)
                        : clock(seconds)));
        int room = Math.max(1, columns - 1);
        while (parts.size() > 1 && String.join("  ", parts).length() > room) {
            parts.removeLast();
        }
        String text = String.join("  ", parts);
        if (text.length() > room) {
            return text.substring(0, room);
        }
        int barWidth = Math.min(BAR_WIDTH, room - text.length() - 3);
        StringBuilder b = new StringBuilder(128);
        if (barWidth >= MIN_BAR_WIDTH) {
            int filled = total == 0 ? 0 : (int) (barWidth * done / total);
            b.append('[').append(color ? "\033[32m" : "").append("#".repeat(filled)).append(color ? "\033[0m" : "")
                    .append(".".repeat(barWidth - filled)).append("] ");
        }
        String errorText = parts.size() > 2 ? parts.get(2) : null;
        return b.append(color && errors > 0 && errorText != null
                ? text.replace(errorText, "\033[31m" + errorText + "\033[0m") : text).toString();
    }

    @Override
    public void close() {
        if (painter == null) {
            return;
        }
        screen.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            painter.interrupt();
            err.print("\r\033[K");
            err.flush();
        } finally {
            screen.unlock();
        }
    }

    /** Such as {@code loomcrawl: 2,000 pages (200: 1,950, 404: 50), 0 errors, 41.2 MB in 1.9 s, 1,052 pages/s; completed}. */
    static String summaryLine(CrawlSummary s) {
        StringBuilder statuses = new StringBuilder();
        for (Map.Entry<Integer, Long> e : s.statuses().entrySet()) {
            statuses.append(statuses.isEmpty() ? "" : ", ").append(e.getKey()).append(": ")
                    .append(String.format(Locale.ROOT, "%,d", e.getValue()));
        }
        StringBuilder excluded = new StringBuilder();
        for (Map.Entry<String, Long> e : s.excluded().entrySet()) {
            excluded.append(excluded.isEmpty() ? String.format(Locale.ROOT, ", %,d not requested (", s.excludedCount()) : ", ")
                    .append(e.getKey()).append(": ").append(String.format(Locale.ROOT, "%,d", e.getValue()));
        }
        if (!excluded.isEmpty()) {
            excluded.append(')');
        }
        return String.format(Locale.ROOT, "loomcrawl: %,d pages (%s), %,d errors%s, %s in %.2f s, %,.0f pages/s; %s",
                s.pages(), statuses.isEmpty() ? "none" : statuses, s.errors(), excluded, size(s.bytes()),
                s.elapsed().toNanos() / 1e9, s.pagesPerSecond(), reason(s));
    }

    /** The lines after the summary line, when there is more to tell: robots.txt, slowdowns, sitemaps. */
    static List<String> detailLines(CrawlSummary s) {
        List<String> lines = new ArrayList<>();
        if (s.robotsOutcome() != null && !s.robotsOutcome().equals("robots.txt read")) {
            lines.add("loomcrawl: " + s.robotsOutcome());
        }
        if (s.slowdownCount() > 0) {
            lines.add(String.format(Locale.ROOT, "loomcrawl: slowed down %,d time%s:", s.slowdownCount(),
                    s.slowdownCount() == 1 ? "" : "s"));
            s.slowdowns().stream().limit(10).forEach(d -> lines.add(String.format(Locale.ROOT,
                    "  at %.1f s, %s: %s", d.at().toMillis() / 1e3, d.host(), d.reason())));
            if (s.slowdownCount() > 10) {
                lines.add(String.format(Locale.ROOT, "  ... and %,d more", s.slowdownCount() - 10));
            }
        }
        CrawlSummary.Sitemaps m = s.sitemaps();
        if (m != null) {
            lines.add(String.format(Locale.ROOT, "loomcrawl: sitemaps: %,d read%s, %,d URLs listed, %,d orphans "
                    + "(listed, linked from nowhere), %,d linked pages not listed", m.read(),
                    m.failed() > 0 ? String.format(Locale.ROOT, " (%,d failed)", m.failed()) : "", m.listed(),
                    m.orphans(), m.notListed()));
        }
        return lines;
    }

    private static String reason(CrawlSummary s) {
        return switch (s.stopReason()) {
            case COMPLETED -> "completed";
            case MAX_PAGES -> "stopped at --max-pages";
            case MAX_TIME -> "stopped at --max-time";
            case CANCELLED -> "interrupted";
            case FAILED -> "failed";
        };
    }

    private static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
