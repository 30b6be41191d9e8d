package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.utc;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.BootId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One boot in time as {@code rayos status} and {@code rayos boots} show it (docs/reading-logs.md):
 * markers and warnings as times after the start, the first and last line's times. Times are worked
 * out by hand from the boot's record: it started at mono 1 s and learnt the wall clock at mono 5 s
 * as T0 (2026-01-01T00:00:00Z), so it started at T0 - 4 s.
 */
class BootTimelineTest {

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;

    @BeforeEach
    void machine() {
        root = new ReadRoot(dir);
    }


    @Test
    void markersComeFromTheHistoryFirstThenFromTheLogsAndWarningsAreTimedFromTheStart() throws Exception {
        BootId id = BootId.random();
        // the history says the loader started at mono 2.6 s; its log line says 2.7 s: the history wins
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0)
                .withMarker("RAYOS_BOOTLOADER_START", 2_600_000_000L, null));
        root.file("boot", id.hex() + ".1.log", ReadRoot.lines("mono:1500000000 INFO kernel FIRST",
                "mono:2700000000 NOTICE loader RAYOS_BOOTLOADER_START"));
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:3000000000 WARN kernel SLOW_DISK",
                utc(T0 + 2 * S) + " INFO kernel RAYOS_READY", "garbage \u0001 CRIT here",
                utc(T0 + 3 * S) + " ERROR app CRASHED", utc(T0 + 3_500_000_000L) + " INFO app RAYOS_READY")
                + "2026-01-0"); // torn: the last line is the one before
        root.file("input", id.hex() + ".log", ReadRoot.lines(utc(T0 + 10 * S) + " INFO input LAST_ONE"));
        root.file("ai", id.hex() + ".log", ReadRoot.lines(utc(T0 + S) + " INFO ai THINK"));
        BootTimeline t = BootTimeline.of(root.layout, e);
        assertThat(t.boot()).isEqualTo(e);
        assertThat(t.mono()).isFalse();
        assertThat(t.origin()).isEqualTo(T0 - 4 * S);
        assertThat(t.markers()).containsExactly(Map.entry("RAYOS_BOOTLOADER_START", 1_600_000_000L),
                Map.entry("RAYOS_READY", 6 * S)); // the first RAYOS_READY, at T0 + 2 s
        assertThat(t.problems()).containsExactly(new BootTimeline.Point(2 * S, "SLOW_DISK", Level.WARN, "kernel"),
                new BootTimeline.Point(7 * S, "CRASHED", Level.ERROR, "app"));
        assertThat(t.first()).isEqualTo(T0 - 3_500_000_000L); // mono 1.5 s, placed
        assertThat(t.last()).isEqualTo(T0 + 10 * S);
        assertThat(t.lastAfterStart()).isEqualTo(14 * S);
    }

    @Test
    void aBootThatNeverLearntTheWallClockIsTimedInMonoFromItsStart() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.monoOnly(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:1500000000 INFO kernel A",
                "mono:4000000000 INFO kernel RAYOS_READY", "mono:4500000000 ERROR kernel OOPS"));
        BootTimeline t = BootTimeline.of(root.layout, e);
        assertThat(t.mono()).isTrue();
        assertThat(t.origin()).isEqualTo(S);
        assertThat(t.markers()).containsExactly(Map.entry("RAYOS_READY", 3 * S));
        assertThat(t.problems()).containsExactly(new BootTimeline.Point(3_500_000_000L, "OOPS", Level.ERROR, "kernel"));
        assertThat(t.first()).isEqualTo(1_500_000_000L);
        assertThat(t.last()).isEqualTo(4_500_000_000L);
        assertThat(t.lastAfterStart()).isEqualTo(3_500_000_000L);
    }

    @Test
    void withoutHistoryTimeCountsFromTheFirstLineAndTheLinesSayWhetherItIsMono() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = new BootCatalog.Entry(id, null);
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:2000000000 INFO kernel START",
                "mono:2500000000 INFO kernel RAYOS_READY", "mono:3000000000 WARN kernel W"));
        BootTimeline t = BootTimeline.of(root.layout, e);
        assertThat(t.mono()).isTrue();
        assertThat(t.origin()).isEqualTo(2 * S);
        assertThat(t.markers()).containsExactly(Map.entry("RAYOS_READY", 500_000_000L));
        assertThat(t.problems()).containsExactly(new BootTimeline.Point(S, "W", Level.WARN, "kernel"));
        assertThat(t.lastAfterStart()).isEqualTo(S);

        BootId walled = BootId.random();
        root.file("boot", walled.hex() + ".log", ReadRoot.lines(utc(T0) + " INFO kernel RAYOS_READY",
                utc(T0 + S) + " WARN net Y"));
        BootTimeline w = BootTimeline.of(root.layout, new BootCatalog.Entry(walled, null));
        assertThat(w.mono()).isFalse();
        assertThat(w.origin()).isEqualTo(T0);
        assertThat(w.markers()).containsExactly(Map.entry("RAYOS_READY", 0L));
        assertThat(w.first()).isEqualTo(T0);
        assertThat(w.last()).isEqualTo(T0 + S);
    }

    @Test
    void aBootWithoutHistoryOrMarkersWhoseLinesAreMonoIsMono() throws Exception {
        // rayos boots shows its FIRST as "mono 1.500s", not as a time in 1970
        BootId id = BootId.random();
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:1500000000 INFO kernel A", "mono:2000000000 INFO kernel B"));
        BootTimeline t = BootTimeline.of(root.layout, new BootCatalog.Entry(id, null));
        assertThat(t.mono()).isTrue();
        assertThat(t.first()).isEqualTo(1_500_000_000L);
        assertThat(t.last()).isEqualTo(2 * S);
    }

    @Test
    void aFileOfNothingButDamageGivesNoTimeAndTheOtherFilesStillDo() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.monoOnly(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines("garbage one", " leading space", "no-spaces-at-all"));
        BootTimeline alone = BootTimeline.of(root.layout, e);
        assertThat(alone.first()).isNull();
        assertThat(alone.last()).isNull();
        root.file("input", id.hex() + ".log", ReadRoot.lines("mono:2000000000 INFO input K"));
        BootTimeline t = BootTimeline.of(root.layout, e);
        assertThat(t.first()).isEqualTo(2 * S);
        assertThat(t.last()).isEqualTo(2 * S);
    }

    @Test
    void aBootWithoutLinesHasItsRecordedMarkersAndNoSpan() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.monoOnly(id, 0).withMarker("RAYOS_READY", 3 * S, null));
        root.file("boot", id.hex() + ".log", ""); // an empty active file
        BootTimeline t = BootTimeline.of(root.layout, e);
        assertThat(t.markers()).containsExactly(Map.entry("RAYOS_READY", 2 * S));
        assertThat(t.problems()).isEmpty();
        assertThat(t.first()).isNull();
        assertThat(t.last()).isNull();
        assertThat(t.lastAfterStart()).isNull();
        assertThat(t.origin()).isEqualTo(S);

        BootTimeline none = BootTimeline.of(root.layout, new BootCatalog.Entry(BootId.random(), null));
        assertThat(none.origin()).isNull();
        assertThat(none.markers()).isEmpty();
        assertThat(none.mono()).isFalse();
    }

    @Test
    void firstAndLastComeFromTheOldestSegmentsHeadAndTheNewestNonEmptySegmentsTailOfALongFile() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        StringBuilder big = new StringBuilder(); // about 200 KiB: more than the 64 KiB read at each edge
        for (int i = 0; i < 2000; i++) {
            big.append(utc(T0 + i * S)).append(" INFO app TICK n=").append(i).append(" pad=").append("x".repeat(60)).append('\n');
        }
        root.file("app", id.hex() + ".2.log", ReadRoot.lines(utc(T0 - 100 * S) + " INFO app OLDEST"));
        root.file("app", id.hex() + ".3.log", big.toString());
        root.file("app", id.hex() + ".log", ""); // rotated a moment ago: nothing yet
        BootTimeline t = BootTimeline.of(root.layout, e);
        assertThat(t.first()).isEqualTo(T0 - 100 * S);
        assertThat(t.last()).isEqualTo(T0 + 1999 * S);
        assertThat(t.lastAfterStart()).isEqualTo(2003 * S);
        assertThat(List.of(t.first(), t.last())).doesNotContainNull();
    }
}
