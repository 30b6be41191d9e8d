package dev.rayos.log.root;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real file-system failures, said in words: the path and why, never a class name. */
class IoFailuresTest {
    @TempDir
    Path tmp;

    private static String words(ThrowingRunnable r) {
        try {
            r.run();
        } catch (IOException e) {
            return IoFailures.inWords(e, null);
        }
        throw new AssertionError("no failure");
    }

    interface ThrowingRunnable {
        void run() throws IOException;
    }

    @Test
    void listingOrCreatingWhereAFileStandsInADirectorysPlaceSaysTheSame() throws Exception {
        Path dir = tmp.resolve("boot");
        Files.writeString(dir, "not a directory\n");
        String listing = words(() -> Files.list(dir).close());
        String creating = words(() -> Files.createDirectories(dir));
        assertThat(listing).isEqualTo(dir + ": exists and is not a directory");
        assertThat(creating).isEqualTo(listing);
    }

    @Test
    void aMissingFileIsSaidSo() {
        Path missing = tmp.resolve("gone.log");
        assertThat(words(() -> Files.readAllBytes(missing))).isEqualTo(missing + ": no such file or directory");
    }
}
