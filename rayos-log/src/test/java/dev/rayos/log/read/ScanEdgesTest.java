package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.utc;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.BootId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's filters at their edges, as {@code rayos logs} shows them: a time window includes both
 * of its ends and places mono lines by their estimate; a level range includes both of its levels,
 * with or without another filter; a line too long for the grammar or with a date that does not exist
 * is shown flagged, once.
 */
class ScanEdgesTest {

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;

    @BeforeEach
    void machine() {
        root = new ReadRoot(dir);
    }


    static LogQuery window(Long since, Long until) {
        return new LogQuery(null, null, null, null, null, since, until);
    }

    @Test
    void aTimeWindowIncludesBothEndsAndPlacesMonoLinesByTheirEstimate() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:2123456789 INFO kernel EARLY",
                utc(T0 + S) + " INFO kernel ONE", utc(T0 + 2 * S) + " INFO kernel TWO"));
        long early = T0 - 2_876_543_211L; // mono 2.123456789 s, 2.876543211 s before the pair's mono 5 s
        assertThat(events(root.text(List.of(e), window(early, T0 + S), "raw"))).containsExactly("EARLY", "ONE");
        assertThat(events(root.text(List.of(e), window(early + 1, T0 + S), "raw"))).containsExactly("ONE");
        assertThat(events(root.text(List.of(e), window(early, T0 + S - 1), "raw"))).containsExactly("EARLY");
        assertThat(events(root.text(List.of(e), window(T0 + 2 * S, null), "raw"))).containsExactly("TWO");
        assertThat(events(root.text(List.of(e), window(null, early), "raw"))).containsExactly("EARLY");
        assertThat(events(root.text(List.of(e), window(T0 + 2 * S + 1, null), "raw"))).isEmpty();
    }

    @Test
    void aBootThatNeverLearntTheWallClockHasNoLineInATimeWindow() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.monoOnly(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines("mono:2000000000 INFO kernel A", "mono:3000000000 INFO kernel B"));
        assertThat(root.text(List.of(e), window(0L, null), "raw")).isEmpty();
        assertThat(root.text(List.of(e), window(null, Long.MAX_VALUE), "raw")).isEmpty();
        assertThat(events(root.text(List.of(e), LogQuery.ALL, "raw"))).containsExactly("A", "B");
    }

    @Test
    void aLevelRangeIncludesBothItsLevelsWithOrWithoutAComponentFilterOnBothScanPaths() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        StringBuilder b = new StringBuilder();
        int k = 0;
        for (Level l : Level.values()) {
            for (String c : new String[] {"kernel", "app"}) {
                b.append(utc(T0 + k++ * S)).append(' ').append(l.name()).append(' ').append(c).append(' ')
                        .append(l.name()).append('_').append(c.toUpperCase()).append('\n');
            }
        }
        root.file("boot", id.hex() + ".log", b.toString());
        for (boolean fast : new boolean[] {true, false}) {
            assertThat(events(read(e, new LogQuery(Level.WARN, Set.of("kernel"), null, null, null, null, null,
                    Level.ERROR, null), fast))).as("fast " + fast).containsExactly("WARN_KERNEL", "ERROR_KERNEL");
            assertThat(events(read(e, new LogQuery(Level.WARN, null, null, null, null, null, null, Level.ERROR, null),
                    fast))).as("fast " + fast).containsExactly("WARN_KERNEL", "WARN_APP", "ERROR_KERNEL", "ERROR_APP");
            assertThat(events(read(e, new LogQuery(Level.CRIT, Set.of("app"), null, null, null, null, null), fast)))
                    .as("fast " + fast).containsExactly("CRIT_APP", "ALERT_APP", "EMERG_APP");
            assertThat(events(read(e, new LogQuery(null, null, null, null, null, null, null, Level.DEBUG,
                    LogQuery.glob("ker*")), fast))).as("fast " + fast).containsExactly("TRACE_KERNEL", "DEBUG_KERNEL");
        }
    }

    private String read(BootCatalog.Entry e, LogQuery q, boolean fast) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader r = new LogReader(root.layout, q, 2)) {
            r.fastPath = fast;
            r.read(List.of(e), LineFormat.of("raw", out, root.layout, false), false);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> events(String out) {
        return LogReaderTest.events(out);
    }

    @Test
    void aLineLongerThanTheGrammarAllowsIsShownFlaggedOnceAndTheNextLineIsRead() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        String one = utc(T0 + S) + " INFO kernel ONE";
        String huge = utc(T0 + 2 * S) + " INFO kernel HUGE pad=" + "x".repeat(70_000);
        String two = utc(T0 + 3 * S) + " INFO kernel TWO";
        root.file("boot", id.hex() + ".log", ReadRoot.lines(one, huge, two));
        for (int chunk : new int[] {4096, 1 << 20}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 2)) {
                r.chunk = chunk;
                r.read(List.of(e), LineFormat.of("short-iso", out, root.layout, false), false);
            }
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).as("chunk " + chunk).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("2026-01-01T00:00:01Z INFO kernel ONE");
            assertThat(lines.get(1)).startsWith("!! corrupt line (")
                    .contains(" at var/rayos/logs/boot/" + id.hex() + ".log+" + (one.length() + 1) + ": " + utc(T0 + 2 * S)
                            + " INFO kernel HUGE pad=xxx");
            assertThat(lines.get(2)).isEqualTo("2026-01-01T00:00:03Z INFO kernel TWO");
        }
    }

    @Test
    void aDateThatDoesNotExistIsFlaggedWhateverTheFilter() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        String bad = "2026-02-30T00:00:00.000000Z INFO kernel NO_SUCH_DAY";
        root.file("boot", id.hex() + ".log", ReadRoot.lines(utc(T0) + " INFO kernel BEFORE", bad));
        for (LogQuery q : List.of(LogQuery.ALL, new LogQuery(null, Set.of("kernel"), null, null, null, null, null),
                new LogQuery(null, null, null, null, LogQuery.regex("DAY|BEFORE"), null, null))) {
            List<String> lines = root.text(List.of(e), q, "raw").lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).startsWith("!! corrupt line (").endsWith(": " + bad);
        }
    }
}
