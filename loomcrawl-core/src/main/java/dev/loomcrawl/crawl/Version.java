package dev.loomcrawl.crawl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build of loomcrawl, read once from the jar. */
public final class Version {

    private static final String CURRENT = load();

    private Version() {}

    /** Such as {@code 0.1.0}. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
