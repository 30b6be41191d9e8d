package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of one boot in one category directory (docs/storage.md): where the next bytes go, a
 * torn last line cut, rotation at the cap into the next part, retention down to the file cap, and
 * a file another writer rotated away.
 */
class CategoryFileTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");
    static final BootId OTHER = BootId.parse("fedcba9876543210fedcba9876543210");

    @TempDir
    Path root;

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    static long append(CategoryFile cf, String s) throws Exception {
        cf.lock();
        try {
            long at = cf.prepare(s.length());
            cf.write(bytes(s));
            return at;
        } finally {
            cf.unlock();
        }
    }

    @Test
    void aTornLastLineLeftByADeadWriterIsCutBeforeTheNextLines() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.categoryDir("boot"));
        Files.writeString(layout.logFile("boot", BOOT), "one\ntwo\nthr");
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            assertThat(append(cf, "three\n")).as("where the bytes go: after the last whole line").isEqualTo(8);
        }
        assertThat(Files.readString(layout.logFile("boot", BOOT))).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void aTornLineAnotherWriterLeftAfterThisWritersLastLinesIsCutBeforeItsNextOnes() throws Exception {
        RootLayout layout = new RootLayout(root);
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            append(cf, "one\n");
            // Another process appends after it and dies mid-line: the file no longer ends where this
            // writer's last write did, so it must look at the tail again.
            Files.writeString(layout.logFile("boot", BOOT), "tw", java.nio.file.StandardOpenOption.APPEND);
            assertThat(append(cf, "three\n")).isEqualTo(4);
            append(cf, "four\n");
        }
        assertThat(Files.readString(layout.logFile("boot", BOOT))).isEqualTo("one\nthree\nfour\n");
    }

    /** Opens log files through a {@link RecordingChannel} and keeps the last one opened. */
    static final class Channels implements AutoCloseable {
        volatile RecordingChannel last;

        Channels(Path root) {
            DiskTrace trace = new DiskTrace(root, new RootLayout(root).logsDir());
            CategoryFile.opener = (p, opts) -> {
                last = new RecordingChannel(FileChannel.open(p, opts), LogFiles.inodeOf(p), trace);
                return last;
            };
        }

        @Override
        public void close() {
            CategoryFile.opener = FileChannel::open;
        }
    }

    @Test
    void aTurnReadsNothingBackWhenTheFileEndsWhereThisWritersLastWriteEnded() throws Exception {
        RootLayout layout = new RootLayout(root);
        try (Channels channels = new Channels(root);
             CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            append(cf, "one\n");
            append(cf, "two\n");
            append(cf, "three\n");
            assertThat(channels.last.reads).as("our own line feed is not read back").isZero();
            Files.writeString(layout.logFile("boot", BOOT), "four\n", java.nio.file.StandardOpenOption.APPEND);
            append(cf, "five\n");
            assertThat(channels.last.reads).as("another writer's bytes: the last one is looked at").isEqualTo(1);
        }
        assertThat(Files.readString(layout.logFile("boot", BOOT))).isEqualTo("one\ntwo\nthree\nfour\nfive\n");
    }

    @Test
    void aNewActiveFileAsLongAsTheOldOneIsStillCheckedForATornTail() throws Exception {
        RootLayout layout = new RootLayout(root);
        Path active = layout.logFile("boot", BOOT);
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            append(cf, "one\n");
            // Another process rotates the file away and starts a new one of the same length, whose
            // last line it did not finish: the size is where our last write ended, the file is not.
            Files.move(active, layout.categoryDir("boot").resolve(BOOT.hex() + ".1.log"));
            Files.writeString(active, "ab\nc");
            assertThat(append(cf, "d\n")).isEqualTo(3);
        }
        assertThat(Files.readString(active)).isEqualTo("ab\nd\n");
    }

    @Test
    void theLastLineEndIsFoundHoweverFarBackItIs() throws Exception {
        Path f = root.resolve("f");
        String longTorn = "y".repeat(200_000);
        for (String content : new String[] {"", "no line feed at all", "a\n", "\nonly the first byte", "a\nb\n" + longTorn,
                "x".repeat(65_535) + "\n" + "z".repeat(10), "x".repeat(65_536) + "\n" + longTorn}) {
            Files.writeString(f, content);
            try (FileChannel ch = FileChannel.open(f)) {
                assertThat(CategoryFile.lastLineEnd(ch, ch.size())).as("%.20s", content)
                        .isEqualTo(content.lastIndexOf('\n') + 1);
            }
        }
    }

    @Test
    void aBatchThatWouldCrossTheCapGoesToAFreshFileAndTheOldOneBecomesTheNextPart() throws Exception {
        RootLayout layout = new RootLayout(root);
        List<FileChannel> retired = new ArrayList<>();
        Policy.Retention cap = new Policy.Retention(10, 10);
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, cap, retired::add)) {
            assertThat(append(cf, "123456789\n")).as("an empty file takes a batch over the cap").isZero();
            long firstInode = cf.inode();
            assertThat(append(cf, "a\n")).as("10 + 2 > 10: rotated first").isZero();
            assertThat(cf.inode()).isNotEqualTo(firstInode);
            assertThat(append(cf, "b\n")).isEqualTo(2);
            assertThat(append(cf, "c\n")).isEqualTo(4);
            assertThat(cf.activePath()).isEqualTo(layout.logFile("boot", BOOT));
            assertThat(cf.category()).isEqualTo("boot");
        }
        Path dir = layout.categoryDir("boot");
        assertThat(Files.readString(dir.resolve(BOOT.hex() + ".1.log"))).isEqualTo("123456789\n");
        assertThat(Files.readString(dir.resolve(BOOT.hex() + ".log"))).isEqualTo("a\nb\nc\n");
        assertThat(retired).as("the rotated file, handed over for its fsync").hasSize(1);
        retired.get(0).close();
        assertThat(LogFiles.inodeOf(dir.resolve("gone.log"))).isEqualTo(-1);
    }

    @Test
    void aFileAnotherWriterRotatedAwayIsLeftForTheNewActiveFile() throws Exception {
        RootLayout layout = new RootLayout(root);
        List<FileChannel> retired = new ArrayList<>();
        Policy.Retention cap = new Policy.Retention(10, 8);
        try (CategoryFile mine = new CategoryFile(layout, "boot", BOOT, cap, retired::add);
             CategoryFile theirs = new CategoryFile(layout, "boot", BOOT, cap)) {
            append(mine, "m1\n");
            append(theirs, "t1\n");
            append(theirs, "t2\n"); // 9 bytes > 8: theirs rotates the file mine has open
            assertThat(retired).isEmpty();
            assertThat(append(mine, "m2\n")).as("after their t2 in the new active file").isEqualTo(3);
            assertThat(retired).as("mine's old channel, still owed its fsync").hasSize(1);
            retired.get(0).close();
        }
        Path dir = layout.categoryDir("boot");
        assertThat(Files.readString(dir.resolve(BOOT.hex() + ".1.log"))).isEqualTo("m1\nt1\n");
        assertThat(Files.readString(dir.resolve(BOOT.hex() + ".log"))).isEqualTo("t2\nm2\n");
    }

    @Test
    void retentionDeletesTheOldestFilesDownToTheCapAndNeverTheActiveOne() throws Exception {
        RootLayout layout = new RootLayout(root);
        Path dir = Files.createDirectories(layout.categoryDir("boot"));
        long t = 1_700_000_000_000L;
        String[] names = {OTHER.hex() + ".log", BOOT.hex() + ".2.log", BOOT.hex() + ".1.log", BOOT.hex() + ".log"};
        for (int i = 0; i < names.length; i++) {
            Files.writeString(dir.resolve(names[i]), "x\n");
            Files.setLastModifiedTime(dir.resolve(names[i]), FileTime.fromMillis(t + (i < 3 ? 0 : 1000)));
        }
        Files.writeString(dir.resolve("notes.txt"), "not a log\n");
        Files.createSymbolicLink(dir.resolve(OTHER.hex() + ".1.log"), dir.resolve(OTHER.hex() + ".log"));
        Files.createDirectories(dir.resolve(OTHER.hex() + ".2.log"));

        List<LogFiles.Segment> all = LogFiles.segments(dir);
        assertThat(all).extracting(LogFiles.Segment::path).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(names);
        // Same age: ordered by boot, then part (parts ascending, the active file last).
        assertThat(CategoryFile.overCap(all, 2, dir.resolve(OTHER.hex() + ".log")))
                .extracting(s -> s.path().getFileName().toString())
                .containsExactly(BOOT.hex() + ".1.log", BOOT.hex() + ".2.log");
        assertThat(CategoryFile.overCap(all, 4, null)).isEmpty();
        assertThat(CategoryFile.overCap(all, 3, null)).extracting(s -> s.path().getFileName().toString())
                .containsExactly(BOOT.hex() + ".1.log");
        assertThat(LogFiles.nextPart(all, BOOT.hex()).fileName()).isEqualTo(BOOT.hex() + ".3.log");
        assertThat(LogFiles.nextPart(all, OTHER.hex()).fileName()).isEqualTo(OTHER.hex() + ".1.log");

        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, new Policy.Retention(2, 1 << 20))) {
            append(cf, "y\n"); // opening the active file holds the cap: the two oldest go
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    OTHER.hex() + ".log", BOOT.hex() + ".log", "notes.txt", ".lock", OTHER.hex() + ".1.log",
                    OTHER.hex() + ".2.log");
        }
        assertThat(LogFiles.segments(root.resolve("none"))).isEmpty();
    }

    @Test
    void anFsyncBeforeAnyWriteDoesNothingAndTheChannelIsTheActiveFile() throws Exception {
        RootLayout layout = new RootLayout(root);
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            cf.force();
            assertThat(cf.channel()).isNull();
            append(cf, "a\n");
            cf.force();
            assertThat(cf.channel().size()).isEqualTo(2);
        }
    }

    @Test
    void aCategoryDirectoryThatLinksOutOfTheRootIsRefusedAndNothingIsWrittenThere() throws Exception {
        RootLayout layout = new RootLayout(root.resolve("machine"));
        Path outside = Files.createDirectories(root.resolve("elsewhere"));
        Files.createDirectories(layout.categoryDir("boot").getParent());
        Files.createSymbolicLink(layout.categoryDir("boot"), outside);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CategoryFile(layout, "boot", BOOT,
                        Policy.DEFAULTS.retention("boot")))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("outside the root");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void forceFsyncsWhatTheActiveFileHolds() throws Exception {
        RootLayout layout = new RootLayout(root);
        DiskTrace trace = new DiskTrace(root, layout.logsDir());
        trace.install();
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            append(cf, "one\n");
            cf.force();
        } finally {
            trace.uninstall();
        }
        assertThat(trace.events()).map(DiskTrace.Event::op).filteredOn(op -> op instanceof DiskTrace.Fsync)
                .singleElement().satisfies(op -> assertThat(new String(((DiskTrace.Fsync) op).content(),
                        StandardCharsets.US_ASCII)).isEqualTo("one\n"));
    }

    @Test
    void aBatchOverTheCapGoesWholeIntoAnEmptyFileAndABatchThatFillsTheFileToTheCapStaysInIt() throws Exception {
        RootLayout layout = new RootLayout(root);
        Policy.Retention cap = new Policy.Retention(10, 10);
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, cap)) {
            assertThat(append(cf, "0123456789abc\n")).as("14 bytes over a cap of 10, into an empty file").isZero();
            assertThat(append(cf, "x\n")).as("rotated: the file held bytes").isZero();
            assertThat(append(cf, "0123456\n")).as("2 + 8 = 10: exactly the cap").isEqualTo(2);
        }
        Path dir = layout.categoryDir("boot");
        assertThat(Files.readString(dir.resolve(BOOT.hex() + ".1.log"))).isEqualTo("0123456789abc\n");
        assertThat(Files.readString(dir.resolve(BOOT.hex() + ".log"))).isEqualTo("x\n0123456\n");
        assertThat(LogFiles.segments(dir)).hasSize(2);
    }

    @Test
    void writesAfterOnePrepareFollowOneAnother() throws Exception {
        RootLayout layout = new RootLayout(root);
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            append(cf, "first\n");
            cf.lock();
            try {
                assertThat(cf.prepare(12)).isEqualTo(6);
                cf.write(bytes("second\n"));
                cf.write(bytes("third\n"));
            } finally {
                cf.unlock();
            }
        }
        assertThat(Files.readString(layout.logFile("boot", BOOT))).isEqualTo("first\nsecond\nthird\n");
    }

    /** The descriptors this process holds open on files of {@code dir} (Linux: /proc/self/fd). */
    static long openIn(Path dir) throws Exception {
        Path real = dir.toRealPath();
        long n = 0;
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(real)) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // the directory stream's own descriptor, closed meanwhile
                }
            }
        }
        return n;
    }

    @Test
    void closingACategoryFileLeavesNoDescriptorOpenOnItsFilesHoweverOftenItWasLocked() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc");
        RootLayout layout = new RootLayout(root);
        Path dir = layout.categoryDir("boot");
        CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"));
        for (int i = 0; i < 5; i++) {
            append(cf, "line " + i + "\n");
        }
        assertThat(openIn(dir)).as("the active file and the lock file").isEqualTo(2);
        cf.close();
        assertThat(openIn(dir)).isZero();

        CategoryFile unused = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"));
        unused.close(); // never locked: nothing to close, and no failure
        assertThat(openIn(dir)).isZero();
    }

    @Test
    void aLockThatCannotBeTakenLeavesTheCategoryFreeForTheOtherThreads() throws Exception {
        RootLayout layout = new RootLayout(root);
        Path dir = layout.categoryDir("boot");
        try (CategoryFile cf = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
            Path lockFile = dir.resolve(".lock");
            Files.createSymbolicLink(lockFile, root.resolve("elsewhere"));
            org.assertj.core.api.Assertions.assertThatThrownBy(cf::lock).isInstanceOf(java.io.IOException.class);
            Files.delete(lockFile);
            // Another thread takes the category's lock: it would wait forever for a lock this one kept.
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
                try (CategoryFile other = new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"))) {
                    append(other, "from another thread\n");
                }
            });
        }
        assertThat(Files.readString(layout.logFile("boot", BOOT))).isEqualTo("from another thread\n");
        assertThat(root.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void theLastLineEndOfAFileCutShorterThanTheSizeGivenIsThatOfWhatIsLeft() throws Exception {
        Path f = Files.writeString(root.resolve("cut.log"), "one\ntwo\nthr");
        try (FileChannel ch = FileChannel.open(f, java.nio.file.StandardOpenOption.READ)) {
            assertThat(CategoryFile.lastLineEnd(ch, 50)).as("the size read before the cut, in one block").isEqualTo(8);
            assertThat(CategoryFile.lastLineEnd(ch, 200_000)).as("blocks wholly past the end read as nothing").isEqualTo(8);
        }
    }
}
