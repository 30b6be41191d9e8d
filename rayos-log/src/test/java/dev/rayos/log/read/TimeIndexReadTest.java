package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.utc;
import static dev.rayos.log.read.LogReaderTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A time window's reads skip, through the time index (docs/log-times.md), the files and chunks that
 * cannot hold a line of it, and show every line a read of every file shows: on real files, with
 * the wall clock stepping back, with corrupt lines, with the index damaged or the files changed
 * since it was made. The read of every file ({@code timeIndex = false}) is the oracle.
 */
class TimeIndexReadTest {

    @TempDir
    Path root;

    RootLayout layout() {
        return new RootLayout(root);
    }

    BootCatalog.Entry boot(BootId id, long seq) throws Exception {
        BootRecord r = new BootRecord(id, seq, "v", "b", BootMode.NORMAL, 1_000, utc(T0), true, EndState.CLEAN, -1, null,
                "x", null);
        AtomicFiles.write(layout().historyFile(id), r.toJson());
        return new BootCatalog.Entry(id, r);
    }

    void current(BootId id) throws Exception {
        AtomicFiles.write(layout().currentBootIdFile(), (id.hex() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A boot of the history that is the machine's current one (its active files are always read). */
    BootCatalog.Entry currentBoot() throws Exception {
        BootId id = BootId.random();
        current(id);
        return boot(id, 1);
    }

    Path write(String category, String file, String... lines) throws Exception {
        Path p = layout().categoryDir(category).resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, Arrays.stream(lines).map(l -> l + "\n").collect(Collectors.joining()));
        return p;
    }

    static String line(long t, String event) {
        return utc(t) + " INFO kernel " + event;
    }

    /** One read's output and the files it read. */
    record Read(String out, Set<String> files, LogReader.Counts counts) {}

    Read read(List<BootCatalog.Entry> boots, Long since, Long until, boolean index, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat f = LineFormat.of("raw", out, layout(), boots.size() > 1);
        Set<String> files = new TreeSet<>();
        LogReader.Counts counts;
        try (LogReader r = new LogReader(layout(), new LogQuery(null, null, null, null, null, since, until), 2)) {
            r.timeIndex = index;
            r.chunk = chunk;
            r.read(boots, f, false);
            r.filesRead().forEach(p -> files.add(p.getParent().getFileName() + "/" + p.getFileName()));
            counts = r.counts();
        }
        f.flush();
        return new Read(out.toString(StandardCharsets.UTF_8), files, counts);
    }

    /** Reads with the index, checks the output against the read of every file, and returns what was read. */
    Read checked(List<BootCatalog.Entry> boots, Long since, Long until, int chunk) throws Exception {
        Read oracle = read(boots, since, until, false, chunk);
        Read r = read(boots, since, until, true, chunk);
        assertThat(r.out()).as("window %s..%s", since, until).isEqualTo(oracle.out());
        return r;
    }

    @Test
    void aSinceOverManyBootsReadsOnlyTheFilesThatCanHoldALineOfIt() throws Exception {
        List<BootCatalog.Entry> boots = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            BootId id = BootId.random();
            boots.add(boot(id, b));
            long t = T0 + b * 1000 * S;
            write("boot", id.hex() + ".1.log", line(t, "B" + b + "P1a"), line(t + S, "B" + b + "P1b"));
            write("boot", id.hex() + ".log", line(t + 2 * S, "B" + b + "A"), line(t + 3 * S, "B" + b + "B"));
            write("input", id.hex() + ".log", line(t + S / 2, "B" + b + "I"));
            if (b == 7) {
                current(id);
            }
        }
        long since = T0 + 6 * 1000 * S + 2 * S; // boot 6's active file onwards
        Read first = checked(boots, since, null, LogReader.CHUNK);
        assertThat(first.files()).hasSize(24); // no index yet: every file read, and measured
        Read second = checked(boots, since, null, LogReader.CHUNK);
        String b6 = boots.get(6).id().hex();
        String b7 = boots.get(7).id().hex();
        assertThat(second.files()).containsExactlyInAnyOrder("boot/" + b6 + ".log", "boot/" + b7 + ".1.log",
                "boot/" + b7 + ".log", "input/" + b7 + ".log" /* the current boot's active files are always read */);
        assertThat(second.out().lines()).containsExactly(line(since, "B6A"), line(since + S, "B6B"),
                line(T0 + 7000 * S, "B7P1a"), line(T0 + 7000 * S + S / 2, "B7I"), line(T0 + 7000 * S + S, "B7P1b"),
                line(T0 + 7002 * S, "B7A"), line(T0 + 7003 * S, "B7B"));
        assertThat(second.counts().chunksSkipped()).isEqualTo(24 - 4);
        assertThat(Files.exists(layout().logTimesFile("boot", boots.get(0).id()))).isTrue();
        assertThat(Files.exists(layout().logTimesFile("boot", boots.get(7).id()))).isTrue();
    }

    @Test
    void aFileWhoseSizeIsAnExactMultipleOfTheChunkIsIndexedChunkForChunkAndItsEarlyChunksSkipped() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        currentBoot(); // another boot is the current one
        String[] lines = new String[12];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = line(T0 + i * S, String.format("E%03d", i));
        }
        int lineBytes = lines[0].length() + 1;
        assertThat(lines).allSatisfy(l -> assertThat(l.length() + 1).isEqualTo(lineBytes));
        int chunk = 4 * lineBytes;
        Path f = write("boot", id.hex() + ".1.log", lines); // a rotated part: done, so indexed (an active file of the last boot read is not)
        assertThat(Files.size(f)).isEqualTo(3L * chunk);
        long since = T0 + 8 * S; // the third chunk's first line
        Read first = checked(List.of(e), since, null, chunk);
        assertThat(first.counts().chunksRead()).as("no index yet: all 3 chunks read").isEqualTo(3);
        assertThat(Files.exists(layout().logTimesFile("boot", id))).as("the index made by the first read").isTrue();
        Read second = checked(List.of(e), since, null, chunk);
        assertThat(second.counts().chunksSkipped()).isEqualTo(2);
        assertThat(second.out().lines()).containsExactly(lines[8], lines[9], lines[10], lines[11]);
    }

    @Test
    void anIndexMadeAtAnotherChunkSizeDecidesForTheWholeFileAndAFileWithACorruptLineIsAlwaysRead() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        currentBoot();
        String[] clean = new String[12];
        for (int i = 0; i < clean.length; i++) {
            clean[i] = line(T0 + i * S, String.format("C%03d", i));
        }
        String[] dirty = clean.clone();
        for (int i = 0; i < dirty.length; i++) {
            dirty[i] = line(T0 + i * S, String.format("D%03d", i));
        }
        dirty[5] = "not a log line";
        write("boot", id.hex() + ".1.log", clean);
        write("boot", id.hex() + ".2.log", dirty);
        int lineBytes = clean[0].length() + 1;
        checked(List.of(e), T0, null, 4 * lineBytes); // the index, made at chunks of four lines
        assertThat(Files.exists(layout().logTimesFile("boot", id))).isTrue();

        // Read at chunks of two lines: the index's chunks do not fit, so each file's whole span decides.
        Read after = checked(List.of(e), T0 + 100 * S, null, 2 * lineBytes);
        assertThat(after.files()).as("the clean part skipped whole; the one with a line of no time read")
                .containsExactly("boot/" + id.hex() + ".2.log");
        assertThat(after.counts().chunksSkipped()).isEqualTo(6);
        assertThat(after.out().lines()).singleElement().asString().startsWith("!! corrupt line (").endsWith(": not a log line");
        Read inside = checked(List.of(e), T0 + 10 * S, null, 2 * lineBytes);
        assertThat(inside.counts().chunksSkipped()).isZero();
        assertThat(inside.out().lines()).contains(clean[10], clean[11], dirty[10], dirty[11]);
    }

    @Test
    void aBootWhoseClockSteppedBackShowsEveryLineOfEveryWindow() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        BootCatalog.Entry now = currentBoot();
        BootId later = now.id();
        // part 1 late, part 2 stepped back before it; part 3's first and last lines are late, its
        // middle stepped back: neither a file's first nor its last line bounds it
        write("boot", id.hex() + ".1.log", line(T0 + 100 * S, "P1a"), line(T0 + 200 * S, "P1b"));
        write("boot", id.hex() + ".2.log", line(T0 + 10 * S, "P2a"), line(T0 + 20 * S, "P2b"));
        write("boot", id.hex() + ".3.log", line(T0 + 300 * S, "P3a"), line(T0 + 50 * S, "P3b"), line(T0 + 301 * S, "P3c"));
        write("boot", id.hex() + ".log", line(T0 + 5 * S, "Aa"), line(T0 + 400 * S, "Ab"));
        write("boot", later.hex() + ".log", line(T0 + 500 * S, "N"));
        List<BootCatalog.Entry> boots = List.of(e, now);
        long[] times = {5, 10, 20, 50, 100, 200, 300, 301, 400, 500};
        read(boots, T0, null, true, LogReader.CHUNK); // builds the index
        for (long a : times) {
            for (long z : times) {
                if (a <= z) {
                    checked(boots, T0 + a * S, T0 + z * S, LogReader.CHUNK);
                    checked(boots, T0 + a * S + 1, T0 + z * S - 1, LogReader.CHUNK);
                }
            }
        }
        Read mid = checked(boots, T0 + 40 * S, T0 + 60 * S, LogReader.CHUNK);
        assertThat(mid.out().lines()).containsExactly(line(T0 + 50 * S, "P3b"));
        assertThat(mid.files()).containsExactlyInAnyOrder("boot/" + id.hex() + ".3.log", "boot/" + id.hex() + ".log",
                "boot/" + later.hex() + ".log");
    }

    @Test
    void chunksThatCannotHoldALineOfTheWindowAreNotRead() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        BootCatalog.Entry now = currentBoot();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // ten steps back by 50 s along the way
            lines.add(line(T0 + (i - (i / 40) * 50L) * S, "L" + i + " pad=" + "x".repeat(i % 30)));
        }
        write("boot", id.hex() + ".log", lines.toArray(String[]::new));
        List<BootCatalog.Entry> boots = List.of(e, now);
        read(boots, T0, null, true, 256);
        for (long a = -10; a < 60; a += 7) {
            checked(boots, T0 + a * S, T0 + (a + 3) * S, 256);
        }
        Read r = checked(boots, T0 + 30 * S, T0 + 33 * S, 256);
        assertThat(r.counts().chunksSkipped()).isGreaterThan(r.counts().chunksRead());
        assertThat(r.out().lines()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aCorruptLineIsShownWhateverTheWindowSoItsChunkIsAlwaysRead() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        BootCatalog.Entry now = currentBoot();
        write("boot", id.hex() + ".1.log", line(T0, "A"), "garbage without a time", line(T0 + S, "B"));
        write("boot", id.hex() + ".log", line(T0 + 2 * S, "C"));
        List<BootCatalog.Entry> boots = List.of(e, now);
        read(boots, T0 + 100 * S, null, true, LogReader.CHUNK);
        Read r = checked(boots, T0 + 100 * S, null, LogReader.CHUNK);
        assertThat(r.out()).contains("garbage without a time");
        assertThat(r.files()).containsExactly("boot/" + id.hex() + ".1.log");
    }

    @Test
    void monoLinesArePlacedByTheBootsPairWhenTheIndexIsUsed() throws Exception {
        BootId id = BootId.random();
        BootRecord rec = new BootRecord(id, 0, "v", "b", BootMode.NORMAL, S, null, false, EndState.CLEAN, -1, null, "x",
                null).withTimeSync(5 * S, utc(T0));
        AtomicFiles.write(layout().historyFile(id), rec.toJson());
        BootCatalog.Entry e = new BootCatalog.Entry(id, rec);
        BootCatalog.Entry now = currentBoot();
        write("boot", id.hex() + ".1.log", "mono:2000000000 INFO kernel EARLY", "mono:3000000000 INFO kernel EARLY2");
        write("boot", id.hex() + ".log", line(T0 + S, "LATE"));
        List<BootCatalog.Entry> boots = List.of(e, now);
        read(boots, T0 - 10 * S, null, true, LogReader.CHUNK);
        Read early = checked(boots, T0 - 3 * S, T0 - 3 * S, LogReader.CHUNK); // mono 2 s placed at T0 - 3 s
        assertThat(early.out()).contains("EARLY").doesNotContain("EARLY2");
        assertThat(early.files()).containsExactly("boot/" + id.hex() + ".1.log");
        Read late = checked(boots, T0, null, LogReader.CHUNK);
        assertThat(late.files()).containsExactly("boot/" + id.hex() + ".log");
    }

    @Test
    void aDamagedIndexIsIgnoredAndEveryFileIsRead() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        BootCatalog.Entry now = currentBoot();
        write("boot", id.hex() + ".1.log", line(T0, "A"));
        write("boot", id.hex() + ".log", line(T0 + S, "B"));
        List<BootCatalog.Entry> boots = List.of(e, now);
        read(boots, T0 + 100 * S, null, true, LogReader.CHUNK);
        Path index = layout().logTimesFile("boot", id);
        byte[] good = Files.readAllBytes(index);
        assertThat(read(boots, T0 + 100 * S, null, true, LogReader.CHUNK).files()).isEmpty();
        // a time changed by hand (checksum no longer matches), cut short, garbage, a directory
        String lied = new String(good, StandardCharsets.US_ASCII).replaceFirst("chunk \\d+", "chunk 1");
        List<byte[]> damaged = List.of(lied.getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(good, good.length / 2),
                new byte[] {0, 1, 2, (byte) 0xff});
        for (byte[] d : damaged) {
            Files.write(index, d);
            Read r = checked(boots, T0, null, LogReader.CHUNK);
            assertThat(r.files()).containsExactlyInAnyOrder("boot/" + id.hex() + ".1.log", "boot/" + id.hex() + ".log");
            assertThat(Files.readAllBytes(index)).isEqualTo(good); // measured again and rewritten
        }
    }

    @Test
    void aFileChangedSinceItWasIndexedIsReadInFull() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        BootCatalog.Entry now = currentBoot();
        Path part = write("boot", id.hex() + ".1.log", line(T0, "A"));
        write("boot", id.hex() + ".log", line(T0 + S, "B"));
        List<BootCatalog.Entry> boots = List.of(e, now);
        read(boots, T0 + 100 * S, null, true, LogReader.CHUNK);
        // a late writer appends a line of the window to a file the index says ends before it
        Files.writeString(part, line(T0 + 200 * S, "LATE") + "\n", StandardOpenOption.APPEND);
        Read r = checked(boots, T0 + 100 * S, null, LogReader.CHUNK);
        assertThat(r.out().lines()).containsExactly(line(T0 + 200 * S, "LATE"));
        // rewritten with other lines of the very same length: the tail checksum (and the times) differ
        long size = Files.size(part);
        Files.writeString(part, line(T0 + 300 * S, "Q") + "\n" + line(T0 + 201 * S, "LATE") + "\n");
        assertThat(Files.size(part)).isEqualTo(size);
        assertThat(checked(boots, T0 + 100 * S, null, LogReader.CHUNK).out()).contains(line(T0 + 300 * S, "Q"));
    }

    @Test
    void theCurrentBootsActiveFileIsAlwaysReadAndNeverIndexed() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        current(id);
        write("boot", id.hex() + ".log", line(T0, "A"));
        read(List.of(e), T0 + 100 * S, null, true, LogReader.CHUNK);
        assertThat(Files.exists(layout().logTimesFile("boot", id))).isFalse();
        assertThat(read(List.of(e), T0 + 100 * S, null, true, LogReader.CHUNK).files())
                .containsExactly("boot/" + id.hex() + ".log");
    }

    @Test
    void anIndexDirectoryLinkedOutOfTheRootIsNeitherFollowedNorWritten(@TempDir Path outside) throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(id, 0);
        BootCatalog.Entry now = currentBoot();
        write("boot", id.hex() + ".log", line(T0, "A"));
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/cache"), outside);
        List<BootCatalog.Entry> boots = List.of(e, now);
        assertThat(checked(boots, T0, null, LogReader.CHUNK).out().lines()).containsExactly(line(T0, "A"));
        assertThat(checked(boots, T0, null, LogReader.CHUNK).files()).containsExactly("boot/" + id.hex() + ".log");
        try (var left = Files.list(outside)) {
            assertThat(left).isEmpty();
        }
    }
}
