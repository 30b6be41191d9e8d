package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.BootId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines with a good timestamp and a level that is not one ({@code FOO}, {@code IMFO}, {@code INFOX},
 * a line that ends before a level fits): {@code rayos logs} shows each flagged as corrupt, with or
 * without a priority filter, on the scanner's fast path and without it; never as a TRACE line, and
 * never left out by the filter. A piece of a file whose every line is flagged shows them flagged too.
 */
class GarbledLevelsTest {
    @TempDir
    java.nio.file.Path dir;

    private static List<String> read(ReadRoot root, BootCatalog.Entry boot, Level priority, boolean fast) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader r = new LogReader(root.layout, new LogQuery(priority, null, null, null, null, null, null), 2)) {
            r.fastPath = fast;
            r.read(List.of(boot), LineFormat.of("raw", out, root.layout, false), false);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aLineWithAGoodTimestampAndNoLevelIsShownFlaggedWithOrWithoutAPriorityFilter() throws Exception {
        ReadRoot root = new ReadRoot(dir);
        BootId id = BootId.random();
        BootCatalog.Entry boot = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        String ts = ReadRoot.utc(T0 + 1_000_000_000L);
        List<String> garbled = List.of(
                ts + " FOO kernel UNKNOWN_FIRST_LETTER",
                ts + " IMFO kernel WRONG_LETTER_IN_THE_NAME",
                ts + " INFOX kernel NO_SPACE_AFTER_THE_NAME",
                ts + " ab");
        String fine = ReadRoot.utc(T0 + 2_000_000_000L) + " INFO kernel FINE";
        root.file("boot", id.hex() + ".log", ReadRoot.lines(garbled.get(0), garbled.get(1), garbled.get(2), garbled.get(3), fine));
        for (Level priority : new Level[] {null, Level.INFO}) {
            for (boolean fast : new boolean[] {true, false}) {
                List<String> lines = read(root, boot, priority, fast);
                String as = "-p " + priority + ", fast " + fast;
                assertThat(lines).as(as).hasSize(garbled.size() + 1);
                for (int i = 0; i < garbled.size(); i++) {
                    assertThat(lines.get(i)).as(as).startsWith("!! corrupt line (").endsWith(": " + garbled.get(i));
                }
                assertThat(lines.get(garbled.size())).as(as).isEqualTo(fine);
            }
        }
    }

    @Test
    void aFileOfFlaggedLinesOnlyShowsEveryOneFlagged() throws Exception {
        ReadRoot root = new ReadRoot(dir);
        BootId id = BootId.random();
        BootCatalog.Entry boot = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines("not a log line", "neither is this"));
        for (boolean fast : new boolean[] {true, false}) {
            assertThat(read(root, boot, null, fast)).as("fast " + fast).hasSize(2)
                    .allSatisfy(l -> assertThat(l).startsWith("!! corrupt line ("))
                    .anySatisfy(l -> assertThat(l).endsWith(": not a log line"))
                    .anySatisfy(l -> assertThat(l).endsWith(": neither is this"));
        }
    }
}
