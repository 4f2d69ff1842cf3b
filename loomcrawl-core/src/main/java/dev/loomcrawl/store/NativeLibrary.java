package dev.loomcrawl.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Where sqlite-jdbc's native library is loaded from. Left to itself, the driver copies the library (1 MB) into the
 * temporary directory on every start, and a killed process leaves its copy behind; this keeps one copy per driver
 * version in the user's cache ({@code $XDG_CACHE_HOME/loomcrawl}, else {@code ~/.cache/loomcrawl}) and points the
 * driver at it. When that cannot be done (no home, a read-only disk, an unknown platform), the driver's own way
 * stays.
 */
final class NativeLibrary {

    private static boolean prepared;

    private NativeLibrary() {}

    /** Points the driver at the cached library, copying it there the first time. Before the first connection. */
    static synchronized void prepare() {
        if (prepared || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        prepared = true;
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
            Path dir = cacheHome().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()).resolve(folder);
            Path library = dir.resolve(name);
            if (!Files.isRegularFile(library)) {
                try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
                    if (in == null) {
                        return; // not bundled for this platform: the driver knows what else to try
                    }
                    Files.createDirectories(dir);
                    Path part = Files.createTempFile(dir, name, ".part");
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException e) {
            // the driver's own way: a copy in the temporary directory
        }
    }

    private static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "loomcrawl");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "loomcrawl");
    }
}
