package dev.loomcrawl.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.OSInfo;

class NativeLibraryTest {

    @TempDir
    Path cache;

    @Test
    void theFirstUseCopiesTheLibraryAndRemembersThePlatformsFolder() throws Exception {
        Path library = NativeLibrary.cached(cache);

        String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
        assertThat(library).isEqualTo(cache.resolve(folder).resolve(System.mapLibraryName("sqlitejdbc")));
        assertThat(Files.size(library)).isGreaterThan(100_000);
        assertThat(Files.readString(remembered())).isEqualTo(folder);
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.filter(f -> f.toString().endsWith(".part"))).isEmpty(); // written by move, whole
        }
    }

    @Test
    void laterUsesTakeTheRememberedFolderWithoutAskingThePlatform() throws Exception {
        NativeLibrary.cached(cache);
        // a remembered folder that the driver would never choose proves that it was not worked out again
        Path elsewhere = cache.resolve("Elsewhere/arch").resolve(System.mapLibraryName("sqlitejdbc"));
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, "not loaded here");
        Files.writeString(remembered(), "Elsewhere/arch\n");

        assertThat(NativeLibrary.cached(cache)).isEqualTo(elsewhere);
    }

    @Test
    void aRememberedFolderWithoutItsLibraryOrOutsideTheCacheIsWorkedOutAgain() throws Exception {
        Path library = NativeLibrary.cached(cache);
        for (String folder : new String[] {"Gone/arch", "../" + cache.getFileName() + "/../x", ""}) {
            Files.writeString(remembered(), folder);

            assertThat(NativeLibrary.cached(cache)).isEqualTo(library);
            assertThat(Files.readString(remembered())).isEqualTo(OSInfo.getNativeLibFolderPathForCurrentOS());
        }
    }

    private Path remembered() throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().startsWith("platform-")).findFirst().orElseThrow();
        }
    }
}
