package dev.loomcrawl.internal.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Where sqlite-jdbc's native library is loaded from. Left to itself, the driver copies the library (1 MB) into the
 * temporary directory on every start, and a killed process leaves its copy behind; this keeps one copy per driver
 * version in the user's cache ({@code $XDG_CACHE_HOME/loomcrawl}, else {@code ~/.cache/loomcrawl}) and points the
 * driver at it. When that cannot be done (no home, a read-only disk, an unknown platform), the driver's own way
 * stays.
 *
 * <p>The driver's name for the platform's folder of libraries ({@code Linux/x86_64}, {@code Linux-Musl/aarch64})
 * is remembered in the cache too: working it out runs {@code uname -o} in a child process at every start that
 * opens a store.
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
            Path library = cached(cacheHome().resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()));
            if (library != null) {
                System.setProperty("org.sqlite.lib.path", library.getParent().toString());
                System.setProperty("org.sqlite.lib.name", library.getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            // the driver's own way: a copy in the temporary directory
        }
    }

    /**
     * The library in {@code dir} (one driver version's cache), copied there from the driver's jar when it is not
     * yet; null when the driver bundles none for this platform.
     */
    static Path cached(Path dir) throws IOException {
        String name = System.mapLibraryName("sqlitejdbc");
        Path remembered = dir.resolve("platform-" + platformKey());
        if (Files.isRegularFile(remembered)) {
            String folder = Files.readString(remembered, StandardCharsets.UTF_8).strip();
            Path library = dir.resolve(folder).resolve(name);
            if (!folder.isEmpty() && library.normalize().startsWith(dir.normalize()) && Files.isRegularFile(library)) {
                return library;
            }
        }
        String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
        Path library = dir.resolve(folder).resolve(name);
        if (!Files.isRegularFile(library)) {
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream("/org/sqlite/native/" + folder + "/" + name)) {
                if (in == null) {
                    return null; // not bundled for this platform: the driver knows what else to try
                }
                Files.createDirectories(library.getParent());
                writeWhole(library, in);
            }
        }
        writeWhole(remembered, new ByteArrayInputStream(folder.getBytes(StandardCharsets.UTF_8)));
        return library;
    }

    /**
     * Writes {@code target} from {@code content} beside it, then moves it into place: a process that reads it, or
     * one killed meanwhile, never sees it half written.
     */
    private static void writeWhole(Path target, InputStream content) throws IOException {
        Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            Files.copy(content, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part); // gone after the move; left by a failed write otherwise
        }
    }

    /**
     * What tells the platforms apart that may share one home directory: the system, the processor, and the two
     * Linux variants the driver has other libraries for that cost nothing to recognize (musl's C library, Android's
     * runtime). Termux, the one variant only {@code uname} recognizes, has a home of its own.
     */
    private static String platformKey() {
        String key = System.getProperty("os.name") + "-" + System.getProperty("os.arch")
                + (OSInfo.isMusl() ? "-musl" : "") + (OSInfo.isAndroidRuntime() ? "-android" : "");
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }

    private static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "loomcrawl");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "loomcrawl");
    }
}
