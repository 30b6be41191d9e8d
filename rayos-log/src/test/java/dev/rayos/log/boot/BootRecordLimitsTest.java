package dev.rayos.log.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** The history record at its limits (docs/boot-history.md): what is taken at the edge, what is refused past it and how it is said. */
class BootRecordLimitsTest {
    static final BootId ID = new BootId("0123456789abcdef0123456789abcdef");

    private static BootRecord started() {
        return new BootRecord(ID, 0, "v", "b", BootMode.NORMAL, 0, null, false, EndState.RUNNING, -1, null, "l", null);
    }

    private static String json(BootRecord r) {
        return new String(r.toJson(), StandardCharsets.UTF_8);
    }

    private static String historyError(String json) {
        try {
            BootRecord.fromJson(json.getBytes(StandardCharsets.UTF_8));
        } catch (BootHistoryException e) {
            return e.getMessage();
        }
        throw new AssertionError("read: " + json);
    }

    @Test
    void aBootKeepsItsFirstSixtyFourMarkersAndIgnoresMoreAndRepeats() throws Exception {
        BootRecord r = started();
        for (int i = 0; i < BootRecord.MAX_MARKERS; i++) {
            r = r.withMarker("RAYOS_STEP_" + i, i, null);
        }
        assertThat(r.markers()).hasSize(64);
        assertThat(r.withMarker("RAYOS_STEP_64", 99, null)).isEqualTo(r);
        assertThat(r.withMarker("RAYOS_STEP_3", 99, null)).isEqualTo(r);
        assertThat(r.marker("RAYOS_STEP_3").monoNanos()).isEqualTo(3);
        // sixty-four are read back; a file with sixty-five is damaged
        assertThat(BootRecord.fromJson(r.toJson())).isEqualTo(r);
        String over = json(r).replace("\"markers\" : [ {", "\"markers\" : [ {\"name\" : \"RAYOS_STEP_64\", \"mono_ns\" : 1, \"utc\" : null}, {");
        assertThat(historyError(over)).isEqualTo("'markers' has more than 64 entries");
    }

    @Test
    void timesAtTheMonotonicOriginAreTimes() throws Exception {
        BootRecord r = started().withMarker("RAYOS_READY", 0, null).withTimeSync(0, "2025-12-30T15:12:01.000000Z")
                .withEnd(EndState.CLEAN, 0, "2025-12-30T15:12:01.000000Z");
        assertThat(r.marker("RAYOS_READY").monoNanos()).isZero();
        assertThat(r.timeSync().monoNanos()).isZero();
        assertThat(json(r)).contains("\"state\" : \"clean\",\n    \"mono_ns\" : 0,");
        BootRecord back = BootRecord.fromJson(r.toJson());
        assertThat(back.endMono()).isZero();
        assertThat(back).isEqualTo(r);
        assertThat(json(started())).contains("\"end\" : {\n    \"state\" : \"running\"\n  },"); // no end time yet
        assertThatThrownBy(() -> new BootRecord.MarkerTime("RAYOS_READY", -1, null))
                .hasMessage("marker time before the monotonic origin");
        assertThatThrownBy(() -> new BootRecord.TimeSync(-1, "2025-12-30T15:12:01.000000Z"))
                .hasMessage("a time sync needs mono >= 0 and a UTC time");
    }

    @Test
    void aTimeSyncPlacesItsUtcOnTheEpoch() {
        BootRecord.TimeSync t = new BootRecord.TimeSync(5, "2025-12-30T15:12:01.000250Z");
        long expected = ChronoUnit.NANOS.between(Instant.EPOCH, Instant.parse("2025-12-30T15:12:01.000250Z"));
        assertThat(t.utcNanos()).isEqualTo(expected);
    }

    @Test
    void aFileThatIsNoJsonIsSaidInOneLineOfTheParsersWords() {
        String why = historyError("{\"schema\": 3, \"boot_id\": tru");
        assertThat(why).startsWith("not valid JSON: ").doesNotContain("\n");
        assertThat(why.length()).isGreaterThan("not valid JSON: ".length() + 10);
    }

    @Test
    void aSequenceNumberPastTheLargestLongIsOutOfRange() throws Exception {
        String largest = json(started()).replace("\"seq\" : 0", "\"seq\" : 9223372036854775807");
        assertThat(BootRecord.fromJson(largest.getBytes(StandardCharsets.UTF_8)).seq()).isEqualTo(Long.MAX_VALUE);
        assertThat(historyError(json(started()).replace("\"seq\" : 0", "\"seq\" : 9223372036854775808")))
                .isEqualTo("'seq' is out of range");
        assertThat(historyError(json(started()).replace("\"seq\" : 0", "\"seq\" : -1")))
                .isEqualTo("'seq' is not a non-negative whole number");
    }

    @Test
    void aFractionWhereAPathOrNothingMayStandIsRefusedNotTakenForNothing() {
        String crash = json(started()).replace("\"logs\" : \"l\"", "\"logs\" : \"l\",\n  \"crash\" : 1.5");
        assertThat(crash).contains("\"crash\" : 1.5");
        assertThat(historyError(crash)).contains("'crash'");
    }

    @Test
    void aBootWithoutAWallClockReadsBackAsOne() throws Exception {
        assertThat(json(started())).contains("\"wall_clock\" : false");
        assertThat(BootRecord.fromJson(started().toJson()).wallClock()).isFalse();
    }

    @Test
    void bootCountingIsTakenFromUncountedToFourDigitsAndRefusedPast() {
        LoaderState uncounted = new LoaderState("rayos.conf", -1, -1, false);
        assertThat(uncounted.counted()).isFalse();
        assertThat(new LoaderState("rayos+0-3.conf", 0, 3, false).counted()).as("no tries left is still counted")
                .isTrue();
        assertThat(new LoaderState("rayos+9999-9999.conf", 9999, 9999, false).triesDone()).isEqualTo(9999);
        assertThatThrownBy(() -> new LoaderState("rayos.conf", -2, -1, false))
                .hasMessage("boot counting of rayos.conf is inconsistent");
        assertThatThrownBy(() -> new LoaderState("rayos.conf", -1, -2, false))
                .hasMessage("boot counting of rayos.conf is inconsistent");
        assertThatThrownBy(() -> new LoaderState("rayos.conf", 10000, 0, false))
                .hasMessage("boot counting of rayos.conf is inconsistent");
        assertThatThrownBy(() -> new LoaderState("rayos.conf", 0, 10000, false))
                .hasMessage("boot counting of rayos.conf is inconsistent");
        assertThatThrownBy(() -> new LoaderState("rayos.conf", 1, -1, false))
                .hasMessage("boot counting of rayos.conf is inconsistent");
        assertThat(new LoaderState("rayos+3.conf", 3, 0, false).triesDone()).as("no try done yet").isZero();
        LoaderState blessed = new LoaderState("rayos+1-2.conf", 1, 2, false).blessed(true);
        assertThat(blessed).isEqualTo(new LoaderState("rayos+1-2.conf", 1, 2, true));
    }

    @Test
    void bootEntryFileNamesAreSafePathSegmentsEndingConf() {
        assertThat(LoaderState.isEntryFileName("rayos+3.conf")).isTrue();
        assertThat(LoaderState.isEntryFileName("rayos-1.2.conf")).isTrue();
        assertThat(LoaderState.isEntryFileName(null)).isFalse();
        assertThat(LoaderState.isEntryFileName("a..conf")).isFalse();
        assertThat(LoaderState.isEntryFileName("../x.conf")).isFalse();
        assertThat(LoaderState.isEntryFileName("rayos.txt")).isFalse();
    }
}
