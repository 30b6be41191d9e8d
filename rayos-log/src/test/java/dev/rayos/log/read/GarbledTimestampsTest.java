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
 * Lines whose first token looks almost like a timestamp (a space for the {@code T}, a space in the
 * date, another letter for the {@code Z}, {@code mono:} with no number): {@code rayos logs -p info}
 * shows each flagged as corrupt, never leaves it out by the level that follows, on the scanner's fast
 * path and without it. A line cut right after its level's space has a readable level and is shown
 * as it is.
 */
class GarbledTimestampsTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void aGarbledTimestampIsShownFlaggedWhateverLevelFollowsIt() throws Exception {
        ReadRoot root = new ReadRoot(dir);
        BootId id = BootId.random();
        BootCatalog.Entry boot = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        List<String> garbled = List.of(
                "2026-01-01 00:00:01.000000Z DEBUG kernel SPACE_FOR_T",
                "2026 01-01T00:00:02.000000Z DEBUG kernel SPACE_IN_DATE",
                "2026-01-01T00:00:03.000000X DEBUG kernel NO_Z",
                "2026-01-01T00:00:04.000000ZXDEBUG kernel NO_SPACE",
                "mono: DEBUG kernel NO_NUMBER");
        String info = ReadRoot.utc(T0 + 5_000_000_000L) + " INFO kernel FINE";
        StringBuilder text = new StringBuilder();
        garbled.forEach(l -> text.append(l).append('\n'));
        root.file("boot", id.hex() + ".log", text + info + "\n");
        for (boolean fast : new boolean[] {true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogReader r = new LogReader(root.layout, new LogQuery(Level.INFO, null, null, null, null, null, null), 2)) {
                r.fastPath = fast;
                r.read(List.of(boot), LineFormat.of("raw", out, root.layout, false), false);
            }
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).as("fast " + fast).hasSize(garbled.size() + 1);
            for (int i = 0; i < garbled.size(); i++) {
                assertThat(lines.get(i)).as("fast " + fast).startsWith("!! corrupt line (").endsWith(": " + garbled.get(i));
            }
            assertThat(lines.get(garbled.size())).isEqualTo(info);
        }
    }

    @Test
    void aLineCutRightAfterItsLevelsSpaceIsShownAsItIs() throws Exception {
        ReadRoot root = new ReadRoot(dir);
        BootId id = BootId.random();
        BootCatalog.Entry boot = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        String cut = ReadRoot.utc(T0 + 1_000_000_000L) + " WARN ";
        root.file("boot", id.hex() + ".log", cut + "\n");
        for (boolean fast : new boolean[] {true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogReader r = new LogReader(root.layout, new LogQuery(Level.INFO, null, null, null, null, null, null), 2)) {
                r.fastPath = fast;
                r.read(List.of(boot), LineFormat.of("raw", out, root.layout, false), false);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).as("fast " + fast).isEqualTo(cut + "\n");
        }
    }
}
