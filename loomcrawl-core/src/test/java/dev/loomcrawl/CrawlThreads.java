package dev.loomcrawl;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The crawl's threads still alive, virtual ones included (every thread a crawl starts is named {@code loomcrawl-*}). */
final class CrawlThreads {

    private static final Pattern NAME = Pattern.compile("^#\\d+ \"(loomcrawl-[^\"]*)\"", Pattern.MULTILINE);

    private CrawlThreads() {}

    /** Names of live threads called {@code loomcrawl-*}, from a full thread dump. */
    static List<String> alive() {
        try {
            Path file = Files.createTempFile("crawl-threads", ".txt");
            try {
                Files.delete(file);
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
                Matcher m = NAME.matcher(Files.readString(file));
                return m.results().map(r -> r.group(1)).toList();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
