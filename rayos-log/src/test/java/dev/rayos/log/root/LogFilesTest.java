package dev.rayos.log.root;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A category directory's files as the store, the reader, the forwarder and repair list them, the
 * names they go by, and the small state files beside them: real directories with real files, links
 * and directories named like logs.
 */
class LogFilesTest {
    static final String A = "a".repeat(32);
    static final String B = "b".repeat(32);

    @TempDir
    Path dir;

    private Path file(String name, long modifiedMillis) throws Exception {
        Path p = Files.writeString(dir.resolve(name), name + "\n");
        Files.setLastModifiedTime(p, FileTime.fromMillis(modifiedMillis));
        return p;
    }

    @Test
    void onlyRegularFilesNamedAsTheStoreNamesThemAreLogFiles() throws Exception {
        file(A + ".log", 5_000);
        file(A + ".1.log", 1_000);
        file(A + ".12.log", 3_000);
        file(B + ".log", 4_000);
        file(A + ".0.log", 1_000); // a second name for the active file
        file(A + ".01.log", 1_000); // a second name for part 1
        file("notes.txt", 1_000);
        Files.createSymbolicLink(dir.resolve(B + ".1.log"), dir.resolve(B + ".log"));
        Files.createDirectory(dir.resolve(B + ".2.log"));
        List<LogFiles.Segment> all = new ArrayList<>(LogFiles.segments(dir));
        all.sort(LogFiles.Segment::byAge);
        assertThat(all).extracting(s -> s.path().getFileName().toString())
                .containsExactly(A + ".1.log", A + ".12.log", B + ".log", A + ".log");
        assertThat(all.get(1)).satisfies(s -> {
            assertThat(s.boot()).isEqualTo(A);
            assertThat(s.number()).isEqualTo(12);
            assertThat(s.modified()).isEqualTo(3_000);
            assertThat(s.size()).isEqualTo((A + ".12.log\n").length());
        });
        assertThat(LogFiles.segments(dir, B)).extracting(LogFiles.Segment::number).containsExactly(0);
        assertThat(LogFiles.segments(dir.resolve("gone"))).isEmpty();
    }

    @Test
    void segmentsOfOneAgeAreOrderedPartsAscendingThenTheActiveFile() throws Exception {
        file(A + ".log", 1_000);
        file(A + ".10.log", 1_000);
        file(A + ".9.log", 1_000);
        file(A + ".100.log", 1_000);
        List<LogFiles.Segment> all = new ArrayList<>(LogFiles.segments(dir));
        all.sort(LogFiles.Segment::byAge);
        assertThat(all).extracting(LogFiles.Segment::number).containsExactly(9, 10, 100, 0);
        assertThat(all.get(0).order()).isEqualTo(A + "0000000009");
        assertThat(all.get(3).order()).isEqualTo(A + Integer.MAX_VALUE);
    }

    @Test
    void theNextPartIsOneAboveTheBootsHighestWhateverTheOtherBootsHave() throws Exception {
        BootId a = new BootId(A);
        assertThat(LogFiles.nextPart(dir, a)).isEqualTo(dir.resolve(A + ".1.log"));
        file(A + ".log", 1_000);
        assertThat(LogFiles.nextPart(dir, a)).isEqualTo(dir.resolve(A + ".1.log"));
        file(A + ".1.log", 1_000);
        assertThat(LogFiles.nextPart(dir, a)).isEqualTo(dir.resolve(A + ".2.log"));
        file(A + ".7.log", 1_000);
        file(A + ".3.log", 1_000);
        file(B + ".40.log", 1_000);
        assertThat(LogFiles.nextPart(dir, a)).isEqualTo(dir.resolve(A + ".8.log"));
        assertThat(LogFiles.nextPart(LogFiles.segments(dir), B)).isEqualTo(new LogFileName(B, 41));
    }

    @Test
    void aFilesInodeIsTheFileSystemsAndAMissingFileHasNone() throws Exception {
        Path p = file(A + ".log", 1_000);
        long ino = ((Number) Files.getAttribute(p, "unix:ino")).longValue();
        assertThat(ino).isPositive();
        assertThat(LogFiles.inodeOf(p)).isEqualTo(ino);
        assertThat(LogFiles.inodeOf(dir.resolve("gone.log"))).isEqualTo(-1);
    }

    @Test
    void logFileNamesGoFromTheActiveFileToNineDigitParts() {
        assertThat(LogFileName.parse(A + ".log")).contains(new LogFileName(A, 0));
        assertThat(LogFileName.parse(A + ".1.log")).contains(new LogFileName(A, 1));
        assertThat(LogFileName.parse(A + ".999999999.log")).contains(new LogFileName(A, LogFileName.MAX_NUMBER));
        assertThat(LogFileName.parse(A + ".1000000000.log")).isEmpty();
        assertThat(LogFileName.parse(A + ".0.log")).isEmpty();
        assertThat(LogFileName.parse(A + ".07.log")).isEmpty();
        assertThat(LogFileName.parse(A + ".log.tmp")).isEmpty();
        assertThat(new LogFileName(A, 3).toString()).isEqualTo(A + ".3.log");
        assertThat(LogFileName.active(new BootId(A)).toString()).isEqualTo(A + ".log");
        assertThat(new LogFileName(A, 0).part(1).fileName()).isEqualTo(A + ".1.log");
        assertThatThrownBy(() -> new LogFileName(A, 0).part(0)).hasMessage("a part number starts at 1: 0");
        assertThatThrownBy(() -> new LogFileName(A, -1)).hasMessage("part number out of range: -1");
        assertThatThrownBy(() -> new LogFileName(A, 1_000_000_000)).hasMessage("part number out of range: 1000000000");
    }

    @Test
    void aBootIdIsItsSixteenBytesInLowerCaseHex() {
        byte[] b = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        BootId id = BootId.fromBytes(b);
        assertThat(id.hex()).isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(id.toString()).isEqualTo(id.hex());
        assertThat(id.toBytes()).isEqualTo(b);
        assertThat(BootId.fromBytes(HexFormat.of().parseHex("f0".repeat(16))).hex()).isEqualTo("f0".repeat(16));
        assertThat(id).isEqualTo(BootId.parse(" 00112233445566778899aabbccddeeff\n")).isNotEqualTo(new BootId(A))
                .isNotEqualTo(id.hex());
        assertThat(BootId.isValid("00112233445566778899AABBCCDDEEFF")).isFalse();
        assertThat(BootId.isValid("xyz")).isFalse();
        assertThat(BootId.isValid(null)).isFalse();
        assertThatThrownBy(() -> BootId.parse(null)).hasMessage("not a boot id (32 lower-case hex digits): 'null'");
        assertThatThrownBy(() -> new BootId("x\ty")).hasMessage("not a boot id (32 lower-case hex digits): 'x\\x09y'");
    }

    @Test
    void aSmallStateFileIsReadWholeOrCutAtItsMaximumAndNeverThroughALink() throws Exception {
        Path f = Files.writeString(dir.resolve("state"), "0123456789");
        assertThat(AtomicFiles.readSmall(f, 10)).hasValueSatisfying(b -> assertThat(b).asString().isEqualTo("0123456789"));
        assertThat(AtomicFiles.readSmall(f, 4)).hasValueSatisfying(b -> assertThat(b).asString().isEqualTo("0123"));
        assertThat(AtomicFiles.readSmall(f, 1 << 20)).hasValueSatisfying(b -> assertThat(b).hasSize(10));
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThat(AtomicFiles.readSmall(empty, 100)).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(AtomicFiles.readSmall(dir.resolve("gone"), 100)).isEmpty();
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        assertThatThrownBy(() -> AtomicFiles.readSmall(link, 100)).isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessage(link + ": not a regular file");
        assertThatThrownBy(() -> AtomicFiles.readSmall(dir, 100)).hasMessage(dir + ": not a regular file");
    }

    @Test
    void anAtomicWriteLeavesTheNewContentAndNoTemporaryFile() throws Exception {
        Path f = dir.resolve("sub/current_boot_id");
        AtomicFiles.write(f, "one\n".getBytes());
        AtomicFiles.write(f, "two\n".getBytes());
        AtomicFiles.writeUnsynced(dir.resolve("sub/cache"), "three\n".getBytes());
        assertThat(Files.readString(f)).isEqualTo("two\n");
        try (var s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("current_boot_id", "cache");
        }
    }

    @Test
    void thisProcessIdIsTheOneTheSystemGivesIt() {
        assertThat(ProcessId.current()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void theForwardersFilesAreNamedPerCategoryUnderItsDirectory() {
        RootLayout l = new RootLayout(dir);
        assertThat(l.forwardState()).isEqualTo(l.runDir().resolve("forward.state"));
        assertThat(l.forwardCursor("boot")).isEqualTo(l.forwardDir().resolve("boot.cursor"));
        assertThat(l.removedRecords("boot")).containsExactly(l.forwardDir().resolve("boot.removed.old"),
                l.forwardDir().resolve("boot.removed"));
        assertThatThrownBy(() -> l.forwardCursor("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
