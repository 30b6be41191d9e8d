package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.policy.Policy;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.LineFormat;
import dev.rayos.log.read.LogQuery;
import dev.rayos.log.read.LogReader;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Start-up's recovery of an orphaned ring whose records are partly in the log files already: the
 * process died (or the power went) after its store wrote some of them and before the commit moved.
 * Each state is built in process from its real parts (a real ring file, a real {@link CategoryFile}
 * that wrote part of it, files deleted or added as retention and other writers would), recovery is
 * run on it, and what the reader ({@code rayos logs -o raw}) then shows is checked: every line once,
 * in order, and nothing that is not a line.
 */
class RingRecoveryTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path root;

    RootLayout layout;

    @BeforeEach
    void setUp() {
        layout = new RootLayout(root);
    }

    static String line(int i) {
        return String.format("2026-12-06T10:00:00.%06dZ INFO kernel TICK i=%d", i, i);
    }

    /** A line of exactly {@code length} bytes. */
    static String line(int i, int length) {
        String head = String.format("2026-12-06T10:00:01.%06dZ INFO kernel BIG i=%d text=", i, i);
        return head + "x".repeat(length - head.length());
    }

    Ring ring(String name) throws IOException {
        return ring(name, 64 * 1024);
    }

    Ring ring(String name, long capacity) throws IOException {
        Ring r = Ring.create(layout.ringDir().resolve(name), capacity, BOOT);
        r.categoryIndex("boot");
        return r;
    }

    static void append(Ring ring, int cat, String payload) {
        byte[] b = payload.getBytes(StandardCharsets.UTF_8);
        ring.append(RingFormat.TYPE_LINE, cat, 0, b, 0, b.length);
    }

    CategoryFile file() throws IOException {
        return new CategoryFile(layout, "boot", BOOT, Policy.DEFAULTS.retention("boot"));
    }

    /**
     * One store pass as the drainer makes it over every pending record: its intent for category 0's
     * bytes in the header, then the first {@code written} of those bytes written (all when
     * negative), then the commit when {@code commit}. Returns the pass's bytes for category 0.
     */
    static byte[] pass(Ring ring, CategoryFile cf, int written, boolean commit) throws IOException {
        byte[] staging = new byte[512 * 1024];
        Ring.Batch b = ring.read(ring.commitPos(), ring.commitSeq(), staging, staging.length);
        ByteBuffer out = ByteBuffer.allocate(b.length());
        ByteBuffer v = ByteBuffer.wrap(staging).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off < b.length(); off += RingFormat.recordSize(v.getInt(off))) {
            int len = v.getInt(off);
            if (staging[off + 17] == 0) { // the record's category byte (docs/ring-format.md): the file's only
                out.put(staging, off + RingFormat.RECORD_HEADER, len).put((byte) '\n');
            }
        }
        out.flip();
        byte[] all = new byte[out.remaining()];
        out.duplicate().get(all);
        ring.beginPass(b.endPos(), b.endSeq());
        cf.lock();
        try {
            long at = cf.prepare(out.remaining());
            ring.intent(0, cf.inode(), at, out.remaining());
            if (written >= 0) {
                out.limit(written);
            }
            cf.write(out);
        } finally {
            cf.unlock();
        }
        if (commit) {
            ring.commit(b.endPos(), b.endSeq());
        }
        return all;
    }

    static int bytesOf(List<String> lines, int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return total;
    }

    /** What {@code rayos logs -o raw} shows of the boot. */
    List<String> shown() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat form = LineFormat.of("raw", out, layout, false);
        try (LogReader reader = new LogReader(layout, LogQuery.ALL, 1)) {
            reader.read(List.of(new BootCatalog.Entry(BOOT, null)), form, false);
        }
        form.flush();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    List<RingRecovery.Outcome> recover() throws IOException {
        return RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir());
    }

    @Test
    void aPassKilledAfterItsFirstLineReachedTheFileGetsOnlyTheRestWritten() throws Exception {
        Ring ring = ring("1.ring");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(line(i));
            append(ring, 0, line(i));
        }
        try (CategoryFile cf = file()) {
            pass(ring, cf, bytesOf(lines, 1), false);
        }
        ring.close();

        List<RingRecovery.Outcome> out = recover();

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isEqualTo(1);
            assertThat(o.written()).isEqualTo(4);
        });
        assertThat(shown()).containsExactlyElementsOf(lines);
        assertThat(layout.ringDir().resolve("1.ring")).doesNotExist();
    }

    @Test
    void aPassThatWroteNothingHasItsLinesWrittenEvenWhenTheFileAlreadyHoldsTheSameLinesBeforeItsIntent()
            throws Exception {
        // The same two events twice in one microsecond: the second pair is pending, its pass
        // announced the file's end and died before writing. What is before that place is not the pass's.
        Ring ring = ring("1.ring");
        try (CategoryFile cf = file()) {
            append(ring, 0, line(0));
            append(ring, 0, line(1));
            pass(ring, cf, -1, true);
            append(ring, 0, line(0));
            append(ring, 0, line(1));
            pass(ring, cf, 0, false);
        }
        ring.close();

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isZero();
            assertThat(o.written()).isEqualTo(2);
        });
        assertThat(shown()).containsExactly(line(0), line(1), line(0), line(1));
    }

    @Test
    void thePassOfAFileRetentionDeletedIsNotWrittenAgainAndADamagedRecordInItAddsNoLine() throws Exception {
        Ring ring = ring("1.ring");
        for (int i = 0; i < 3; i++) {
            append(ring, 0, line(i));
        }
        append(ring, 0, "not a log line");
        try (CategoryFile cf = file()) {
            pass(ring, cf, -1, false);
        }
        // Retention deleted the file the pass wrote to, before its commit reached the ring.
        Files.delete(layout.logFile("boot", BOOT));
        ring.close();

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).as("the pass's three lines went with their file").isEqualTo(3);
            assertThat(o.written()).isZero();
            assertThat(o.corrupt()).isEqualTo(1);
            assertThat(o.error()).isNull();
        });
        assertThat(shown()).isEmpty();
    }

    @Test
    void linesLoggedAfterThePassOfADeletedFileAreWrittenAndThePassIsNot() throws Exception {
        Ring ring = ring("1.ring");
        int app = ring.categoryIndex("app");
        append(ring, 0, line(0));
        append(ring, app, line(1));
        append(ring, 0, line(2));
        try (CategoryFile cf = file()) {
            byte[] staging = new byte[8192];
            Ring.Batch b = ring.read(ring.commitPos(), ring.commitSeq(), staging, staging.length);
            // Two lines of the same category logged while the pass was being written.
            append(ring, 0, line(3));
            append(ring, 0, line(4));
            String bytes = line(0) + "\n" + line(2) + "\n";
            ring.beginPass(b.endPos(), b.endSeq());
            cf.lock();
            long at = cf.prepare(bytes.length());
            ring.intent(0, cf.inode(), at, bytes.length());
            cf.write(ByteBuffer.wrap(bytes.getBytes(StandardCharsets.UTF_8)));
            cf.unlock();
        }
        Files.delete(layout.logFile("boot", BOOT));
        ring.close();

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isEqualTo(2);
            assertThat(o.written()).as("boot's lines 3 and 4, app's line 1").isEqualTo(3);
        });
        assertThat(Files.readAllLines(layout.logFile("boot", BOOT))).containsExactly(line(3), line(4));
        assertThat(Files.readAllLines(layout.logFile("app", BOOT))).containsExactly(line(1));
    }

    @Test
    void aLineThatReachedTheFileBeforeTheHeaderSaidSoIsFoundAtTheFilesStartAndNotWrittenAgain() throws Exception {
        // A power cut: the header page on disk is older than the file (no pass announced), but the
        // file's first line is the ring's first pending one.
        Ring ring = ring("1.ring");
        append(ring, 0, line(0));
        append(ring, 0, line(1));
        try (CategoryFile cf = file()) {
            CategoryFileTest.append(cf, line(0) + "\n");
        }
        ring.close();

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isEqualTo(1);
            assertThat(o.written()).isEqualTo(1);
        });
        assertThat(shown()).containsExactly(line(0), line(1));
    }

    @Test
    void aWrittenLineFollowedByExactlyAsManyBytesOfOtherWritersAsRecoveryLooksBackIsStillFound() throws Exception {
        // Recovery reads the last (pending lines + the last kept line + MARGIN) bytes of the boot's
        // files. Here the writer's first pending line reached the file (its header page older than
        // the file), and other processes' lines fill the rest of that window exactly: the line
        // feed before the writer's line is its first byte.
        Ring ring = ring("1.ring");
        List<String> pending = List.of(line(1), line(2), line(3));
        String kept = line(0);
        try (CategoryFile cf = file()) {
            append(ring, 0, kept);
            pass(ring, cf, -1, true);
            for (String p : pending) {
                append(ring, 0, p);
            }
            CategoryFileTest.append(cf, pending.get(0) + "\n");
            long others = AlreadyInFiles.MARGIN + kept.length() - 1 + bytesOf(pending, 3) - bytesOf(pending, 1);
            StringBuilder fill = new StringBuilder();
            int n = 0;
            while (others > 0) {
                int len = (int) (others > 3000 ? 1000 : others > 1000 ? others - 1000 : others) - 1;
                String l = String.format("2026-12-06T10:00:02.%06dZ INFO other FILL n=%d text=", n, n);
                fill.append(l).append("y".repeat(len - l.length())).append('\n');
                others -= len + 1;
                n++;
            }
            CategoryFileTest.append(cf, fill.toString());
        }
        ring.close();

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isEqualTo(1);
            assertThat(o.written()).isEqualTo(2);
        });
        List<String> inFile = Files.readAllLines(layout.logFile("boot", BOOT));
        assertThat(inFile).filteredOn(l -> l.equals(pending.get(0))).hasSize(1);
        assertThat(inFile.subList(inFile.size() - 2, inFile.size())).containsExactly(line(2), line(3));
        assertThat(inFile.get(0)).isEqualTo(kept);
    }

    @Test
    void aLineAPowerCutsHoleRunsIntoIsFoundBehindTheZerosAndNotWrittenAgain() throws Exception {
        // The pass's first line never reached the disk (zeros where it and its line feed were), its
        // second did: the zeros run into that line. Lines after a hole were never promised durable
        // (an fsync leaves no hole before what it made durable); the one behind the zeros is on
        // disk, and writing it again would show it twice.
        Ring ring = ring("1.ring");
        for (int i = 0; i < 3; i++) {
            append(ring, 0, line(i));
        }
        try (CategoryFile cf = file()) {
            pass(ring, cf, bytesOf(List.of(line(0), line(1)), 2), false);
        }
        ring.close();
        try (RandomAccessFile f = new RandomAccessFile(layout.logFile("boot", BOOT).toFile(), "rw")) {
            f.write(new byte[line(0).length() + 1]);
        }

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.alreadyInFiles()).isEqualTo(2);
            assertThat(o.written()).isEqualTo(1);
        });
        List<String> shown = shown();
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0)).as("the hole and the line it runs into, shown as damage")
                .startsWith("!! corrupt line").contains("+0: \\x00");
        assertThat(shown.get(1)).isEqualTo(line(2));
    }

    @Test
    void recordsThatAreNotOneWellFormedLineAreCountedCorruptAndAddNoLine() throws Exception {
        Ring ring = ring("1.ring");
        append(ring, 0, line(0));
        append(ring, 0, line(1) + "\n" + line(2));
        append(ring, 0, line(3) + "\r");
        append(ring, 0, "2026-12-06 not a log line");
        append(ring, 0, line(4));
        ring.close();

        assertThat(recover()).singleElement().satisfies(o -> {
            assertThat(o.written()).isEqualTo(2);
            assertThat(o.corrupt()).isEqualTo(3);
        });
        assertThat(shown()).containsExactly(line(0), line(4));
    }

    @Test
    void orphanedRingsAreRecoveredInTheOrderOfTheirNames() throws Exception {
        for (int i = 1; i <= 6; i++) {
            Ring r = ring(i + ".ring");
            append(r, 0, line(i));
            r.close();
        }

        List<RingRecovery.Outcome> out = recover();

        assertThat(out).extracting(o -> o.ring().getFileName().toString())
                .containsExactly("1.ring", "2.ring", "3.ring", "4.ring", "5.ring", "6.ring");
        assertThat(shown()).containsExactly(line(1), line(2), line(3), line(4), line(5), line(6));
    }

    @Test
    void aRingDirectoryReachedThroughALinkOutOfTheRootIsRefusedAndItsRingsAreLeftAlone() throws Exception {
        Path outside = Files.createTempDirectory("rayos-outside");
        try {
            Files.createDirectories(outside.resolve("ring"));
            Ring r = Ring.create(outside.resolve("ring/1.ring"), 64 * 1024, BOOT);
            append(r, 0, line(0));
            r.close();
            Files.createDirectories(layout.runDir().getParent());
            Files.createSymbolicLink(layout.runDir(), outside);

            assertThatThrownBy(this::recover).isInstanceOf(IOException.class).hasMessageContaining("outside the root");
            assertThat(outside.resolve("ring/1.ring")).exists();
            assertThat(layout.categoryDir("boot")).doesNotExist();
        } finally {
            Files.deleteIfExists(outside.resolve("ring/1.ring"));
            Files.deleteIfExists(outside.resolve("ring"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aRingWhoseCategoryCannotBeWrittenIsLeftForTheNextStartAndTheOthersAreRecovered() throws Exception {
        Ring a = ring("1.ring");
        append(a, 0, line(0));
        a.close();
        Ring b = ring("2.ring");
        append(b, b.categoryIndex("app"), line(1));
        b.close();
        Files.createDirectories(layout.logsDir());
        Files.writeString(layout.logsDir().resolve("boot"), "a file where the category's directory should be");
        List<IOException> failures = new ArrayList<>();

        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir(),
                failures::add);

        assertThat(failures).hasSize(1);
        assertThat(layout.ringDir().resolve("1.ring")).exists();
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.ring().getFileName()).hasToString("2.ring");
            assertThat(o.written()).isEqualTo(1);
        });
        assertThat(Files.readAllLines(layout.logFile("app", BOOT))).containsExactly(line(1));
    }

    @Test
    void aRingFileLargerThanAnyRingIsSetAsideAsCorrupt() throws Exception {
        Path big = layout.ringDir().resolve("9.ring");
        Files.createDirectories(big.getParent());
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(RingFormat.HEADER + RingFormat.MAX_CAPACITY + 8); // sparse
        }

        RingRecovery.Outcome o = RingRecovery.recoverOne(layout, Policy.DEFAULTS, big);

        assertThat(o).isNotNull();
        assertThat(o.corrupt()).isEqualTo(1);
        assertThat(o.error()).contains("larger than any ring");
        assertThat(big).doesNotExist();
        assertThat(big.resolveSibling("9.ring.corrupt")).exists();
        Files.delete(big.resolveSibling("9.ring.corrupt"));
    }

    @Test
    void anEmptyRingFileIsARingBeingCreatedAndIsLeftWhereItIsNotSetAside() throws Exception {
        // Its owner has opened it and not yet locked it: taking it would fail that start.
        Path fresh = layout.ringDir().resolve("77.ring");
        Files.createDirectories(fresh.getParent());
        Files.createFile(fresh);
        assertThat(RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir())).isEmpty();
        assertThat(fresh).exists().isEmptyFile();
        assertThat(fresh.resolveSibling("77.ring.corrupt")).doesNotExist();
        try (Ring owner = Ring.create(fresh, 4096, BOOT)) {
            assertThat(owner.nextSeq()).isZero();
        }
    }

    @Test
    void aMissingRingDirectoryRecoversNothing() throws Exception {
        List<RingRecovery.Outcome> out = recover();
        assertThat(out).isEmpty();
    }

    /**
     * Recovery writes in chunks of at most half the file cap (a line longer than that alone), each
     * under the file's lock: files are filled up to the cap and never past it, and every line once,
     * in order. 4095-byte lines fill a 64 KiB chunk exactly; 3640-byte ones leave a chunk 3639 bytes
     * short of full; a 65536-byte line (the longest) is a chunk by itself.
     */
    @ParameterizedTest(name = "lines of {0} bytes")
    @ValueSource(ints = {4095, 3640, 65536})
    void recoveryFillsFilesUpToTheCapAndNeverPastIt(int length) throws Exception {
        Policy policy = Policy.parse("retention.max_file_size = 128KiB\nretention.max_files = 100\n");
        long cap = policy.retention("boot").maxFileBytes();
        Ring ring = ring("1.ring", 1 << 20);
        List<String> lines = new ArrayList<>();
        int count = length == 65536 ? 5 : 70;
        for (int i = 0; i < count; i++) {
            lines.add(line(i, length));
            append(ring, 0, lines.get(i));
        }
        ring.close();

        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, policy, layout.ringDir());

        assertThat(out).singleElement().satisfies(o -> assertThat(o.written()).isEqualTo(count));
        List<LogFiles.Segment> parts = new ArrayList<>(LogFiles.segments(layout.categoryDir("boot")));
        parts.sort((x, y) -> x.order().compareTo(y.order()));
        List<String> all = new ArrayList<>();
        for (LogFiles.Segment s : parts) {
            assertThat(Files.size(s.path())).as(s.path().toString()).isLessThanOrEqualTo(Math.max(cap, length + 1));
            all.addAll(Files.readAllLines(s.path()));
        }
        assertThat(all).containsExactlyElementsOf(lines);
        if (length == 4095) {
            assertThat(Files.size(parts.get(0).path())).as("the first part filled to the cap").isEqualTo(cap);
        }
    }

    @Test
    void whatRecoveryWroteIsFsyncdBeforeItsRingIsDeleted() throws Exception {
        Ring ring = ring("1.ring");
        append(ring, 0, line(0));
        append(ring, 0, line(1));
        ring.close();
        DiskTrace trace = new DiskTrace(root, layout.logsDir());
        trace.install();
        try {
            assertThat(recover()).singleElement().satisfies(o -> assertThat(o.written()).isEqualTo(2));
        } finally {
            trace.uninstall();
        }
        List<DiskTrace.Event> events = trace.events();
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).op()).as("the last thing done to the file").isInstanceOfSatisfying(
                DiskTrace.Fsync.class, f -> assertThat(new String(f.content(), StandardCharsets.UTF_8))
                        .isEqualTo(line(0) + "\n" + line(1) + "\n"));
    }
}
