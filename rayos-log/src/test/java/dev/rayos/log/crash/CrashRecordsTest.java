package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash report as a ring record (docs/crash-report.md, "In the ring"): cut to fit its record
 * (oldest last lines first, then the excerpt's end, then the deepest frames), written out once,
 * the boot's history marked, and the last log lines read back from a ring's snapshot.
 */
class CrashRecordsTest {
    static final dev.rayos.log.root.BootId BOOT = dev.rayos.log.root.BootId.parse("0123456789abcdef0123456789abcdef");

    @TempDir
    Path root;

    static List<String> numbered(String what, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(what + " " + i + " " + "x".repeat(40));
        }
        return out;
    }

    static CrashReport.Builder report() {
        return CrashReport.builder(BOOT, Timestamp.mono(12_000_000_000L), CrashReport.Source.KERNEL,
                "Kernel panic - not syncing: test").attribute("origin", "ttyS0");
    }

    @Test
    void aReportThatFitsItsRecordIsLeftWholeEvenToTheLastByte() throws Exception {
        CrashReport r = report().excerpt(numbered("line", 20)).build();
        byte[] whole = CrashReportFormat.format(r).getBytes(StandardCharsets.UTF_8);
        assertThat(CrashRecords.encode(r, whole.length)).isEqualTo(whole);
        assertThat(CrashRecords.decode(CrashRecords.encode(r, whole.length))).isEqualTo(r);
    }

    @Test
    void aKernelCrashTooBigForItsRecordKeepsTheBeginningOfItsExcerptThenItsTopFrames() throws Exception {
        List<String> excerpt = numbered("line", 400);
        List<String> stack = numbered("frame", 400);
        CrashReport r = report().excerpt(excerpt).stack(stack).build();
        CrashReport cut = CrashRecords.decode(CrashRecords.encode(r, 30_000));
        assertThat(cut.stack()).as("the excerpt goes before any frame").isEqualTo(stack);
        assertThat(cut.excerpt()).isNotEmpty().isEqualTo(excerpt.subList(0, cut.excerpt().size()));
        assertThat(cut.excerpt().size()).isLessThan(400);
        assertThat(cut.attributes()).containsEntry("truncated", "true").containsEntry("origin", "ttyS0");

        CrashReport frames = CrashRecords.decode(CrashRecords.encode(report().stack(stack).build(), 8_000));
        assertThat(frames.stack()).isNotEmpty().isEqualTo(stack.subList(0, frames.stack().size()));
        assertThat(frames.stack().size()).isLessThan(400);
        assertThat(frames.attributes()).containsEntry("truncated", "true");
    }

    @Test
    void aReportWithNothingLeftToDropThatStillDoesNotFitIsRefusedSayingSo() {
        CrashReport r = report().stack(List.of("only_frame+0x1/0x2")).build();
        assertThatThrownBy(() -> CrashRecords.encode(r, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without lines or frames to drop does not fit 64 bytes");
        int withoutTheFrame = CrashRecords.encode(report().attribute("truncated", "true").build(), Integer.MAX_VALUE).length;
        assertThatThrownBy(() -> CrashRecords.encode(r, withoutTheFrame))
                .as("the top frame is kept even where the report would fit without it")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordThatIsNotAReportIsNamedAndNothingIsWritten() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.crashPanicsDir());
        CrashRecords.Result r = CrashRecords.store(layout, LogClock.system(), "not a report\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.report()).isNull();
        assertThat(r.boot()).isNull();
        assertThat(r.problem()).startsWith("unreadable crash record: ");
        assertThat(layout.crashPanicsDir()).isEmptyDirectory();
    }

    @Test
    void aBootsHistoryNamesItsFirstCrashReportAndAnEndNowTakesTheTimeToTheMicrosecond() throws Exception {
        RootLayout layout = new RootLayout(root);
        LogClock clock = new LogClock() {
            @Override
            public long monoNanos() {
                return 77_000_000_000L;
            }

            @Override
            public long utcNanos() {
                return 1_796_551_200_123_456_789L; // 2026-12-06T10:00:00.123456789Z
            }
        };
        Boots boots = new Boots(layout, clock);
        BootRecord boot = boots.start(BootMode.NORMAL, true);
        Path first = layout.crashReport(boot.id());
        Path second = layout.crashPanicsDir().resolve(boot.id().hex() + ".2.log");
        CrashRecords.markCrashed(layout, clock, boot.id(), first, true);
        assertThat(boots.read(boot.id()).endMono()).as("ended now").isEqualTo(77_000_000_000L);
        LogClock later = new LogClock() {
            @Override
            public long monoNanos() {
                return 99_000_000_000L;
            }

            @Override
            public long utcNanos() {
                return 1_796_551_300_000_000_000L;
            }
        };
        CrashRecords.markCrashed(layout, later, boot.id(), second, false); // written out later: the end stays
        BootRecord after = boots.read(boot.id());
        assertThat(after.crash()).as("the first report is usually the cause").isEqualTo(layout.relative(first));
        assertThat(after.end()).isEqualTo(EndState.CRASH);
        assertThat(after.endMono()).isEqualTo(77_000_000_000L);
        assertThat(after.endUtc()).isEqualTo("2026-12-06T10:00:00.123456Z");
        // A boot this root has no history of is left alone.
        CrashRecords.markCrashed(layout, clock, dev.rayos.log.root.BootId.random(), first, true);
    }

    @Test
    void theLastLinesOfASnapshotStopWhereARecordRunsPastItsEnd() throws Exception {
        byte[] snapshot;
        try (Ring ring = Ring.create(root.resolve("r.ring"), 4096, BOOT)) {
            for (String l : List.of("first", "second", "third")) {
                byte[] b = l.getBytes(StandardCharsets.US_ASCII);
                ring.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
            }
            snapshot = ring.snapshot();
        }
        int thirdEnd = 2 * RingFormat.recordSize(6) + RingFormat.RECORD_HEADER + "third".length();
        assertThat(RingFormat.recordSize(5)).isEqualTo(RingFormat.recordSize(6));
        assertThat(CrashRecords.lastLines(Arrays.copyOf(snapshot, thirdEnd), 5))
                .as("the third record's payload ends exactly at the end").containsExactly("first", "second", "third");
        assertThat(CrashRecords.lastLines(Arrays.copyOf(snapshot, thirdEnd - 1), 5)).containsExactly("first", "second");
        assertThat(CrashRecords.lastLines(snapshot, 2)).containsExactly("second", "third");
        assertThat(CrashRecords.lastLines(snapshot, 0)).isEmpty();
        assertThat(CrashRecords.lastLines(snapshot, -1)).isEmpty();
    }

    @Test
    void aReportIsAValueItsBuilderGivesBackAndItsTextIsItsFile() {
        CrashReport r = report().version("0.1.0").buildId("b1").kind("panic").faultAddress("0x10").errorCode("0x2")
                .location("here").register("RIP", "0x1").stack(List.of("f+0x1/0x2")).lastLines(List.of("l"))
                .excerpt(List.of("e")).build();
        CrashReport same = r.toBuilder().build();
        assertThat(same).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(same.toString()).isEqualTo(CrashReportFormat.format(r));
        assertThat(r).isNotEqualTo("a string").isNotEqualTo(r.toBuilder().attribute("origin", "other").build());
        assertThat(r).isNotEqualTo(r.toBuilder().register("RAX", "0x2").build());
        assertThat(r).isNotEqualTo(r.toBuilder().excerpt(List.of("e2")).build());
    }
}
