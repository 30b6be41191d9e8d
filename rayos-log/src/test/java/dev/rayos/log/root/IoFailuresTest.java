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

    @Test
    void aPathThatNamesAFileThroughAnotherFileSaysTheSystemsReason() throws Exception {
        Path file = tmp.resolve("boot");
        Files.writeString(file, "a file\n");
        Path through = file.resolve("history");
        // ENOTDIR is no exception class of its own: the system's words are kept, in our lower case
        assertThat(words(() -> Files.readAllBytes(through))).isEqualTo(through + ": not a directory");
    }

    @Test
    void creatingADirectoryThatIsAlreadyThereSaysItExists() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("logs"));
        assertThat(words(() -> Files.createDirectory(dir))).isEqualTo(dir + ": already exists");
    }

    @Test
    void listingAPathThatIsGoneSaysNoSuchFileNotThatItIsNoDirectory() throws Exception {
        Path gone = tmp.resolve("gone");
        assertThat(words(() -> Files.newDirectoryStream(gone).close())).isEqualTo(gone + ": no such file or directory");
    }

    @Test
    void removingADirectoryWithFilesInItSaysItIsNotEmpty() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("boot"));
        Files.writeString(dir.resolve("a.json"), "{}");
        assertThat(words(() -> Files.delete(dir))).isEqualTo(dir + ": directory not empty");
    }

    @Test
    void aFailedLinkNamesBothPaths() throws Exception {
        Path existing = Files.writeString(tmp.resolve("a.json"), "{}");
        Path link = tmp.resolve("missing/a.json");
        assertThat(words(() -> Files.createLink(link, existing)))
                .isEqualTo(link + " -> " + existing + ": no such file or directory");
    }

    @Test
    void aFileTheSystemRefusesEvenToRootSaysPermissionDenied() {
        // a read-only sysctl (mode 0444) refuses a write with EACCES even to root
        Path readOnly = Path.of("/proc/sys/kernel/cap_last_cap");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(readOnly), "no /proc/sys here");
        assertThat(words(() -> Files.writeString(readOnly, "1\n"))).isEqualTo(readOnly + ": permission denied");
        // the same refusal through java.io, a plain IOException whose message carries the reason
        try (var out = new java.io.FileOutputStream(readOnly.toFile())) {
            throw new AssertionError("opened " + readOnly);
        } catch (IOException e) {
            assertThat(IoFailures.inWords(e, tmp)).isEqualTo(tmp + ": permission denied");
        }
    }

    @Test
    void aFullDiskSaysDiskFullWithThePlaceItWasWriting() throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "no /dev/full here");
        IOException e = null;
        try (var ch = java.nio.channels.FileChannel.open(full, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'x', '\n'}));
        } catch (IOException x) {
            e = x;
        }
        assertThat(e).as("a write to /dev/full").isNotNull();
        Path logs = tmp.resolve("logs");
        assertThat(IoFailures.inWords(e, logs)).isEqualTo(logs + ": disk full (no space left on device)");
        assertThat(IoFailures.inWords(e, null)).isEqualTo("disk full (no space left on device)");
    }

    @Test
    void aFailureThatNamesNoFileIsPlacedWhereTheCallerWasWorking() {
        Path logs = tmp.resolve("logs");
        // what a file system provider throws when it cannot say which file, and without a reason
        assertThat(IoFailures.inWords(new java.nio.file.FileSystemException(null), logs))
                .isEqualTo(logs + ": input/output error");
        assertThat(IoFailures.inWords(new java.nio.file.FileSystemException(null), null)).isEqualTo("input/output error");
        assertThat(IoFailures.inWords(new IOException(), null)).isEqualTo("input/output error");
        assertThat(IoFailures.inWords(new IOException(), logs)).isEqualTo(logs + ": input/output error");
    }

    @Test
    void theSystemsReasonsAreSaidAsAPersonSaysThem() {
        // strerror's texts (glibc) for EROFS, EDQUOT, ENOSPC, EACCES; others are kept, in lower case
        assertThat(IoFailures.words("Read-only file system")).isEqualTo("read-only file system");
        assertThat(IoFailures.words("Disk quota exceeded")).isEqualTo("disk quota exceeded");
        assertThat(IoFailures.words("No space left on device")).isEqualTo("disk full (no space left on device)");
        assertThat(IoFailures.words("/x/y (Permission denied)")).isEqualTo("permission denied");
        assertThat(IoFailures.words("Too many levels of symbolic links")).isEqualTo("too many levels of symbolic links");
        assertThat(IoFailures.words("EIO")).as("an acronym keeps its capitals").isEqualTo("EIO");
        assertThat(IoFailures.words("x")).isEqualTo("x");
    }
}
