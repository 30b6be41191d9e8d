package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, bug 2: time-sync --utc T sets the timeline; a second sync is a step; an absurd time is refused. */
class TimeSyncTest {
    @TempDir
    Path root;

    ReadingCli.Result run(String... a) {
        ReadingCli.Result r = ReadingCli.run(root, a);
        return r;
    }

    @Test
    void linesAfterASyncCarryTheGivenTimePlusElapsedMonotonicTime() {
        run("boot", "--no-wall-clock");
        assertThat(run("time-sync", "--utc", "2025-12-30T15:12:01Z").exit()).isZero();
        assertThat(run("log", "kernel", "LATE").exit()).isZero();
        String raw = run("logs", "-o", "raw", "-u", "kernel").out();
        assertThat(raw).startsWith("2025-12-30T15:1"); // seconds after the sync, not the host's clock
    }

    @Test
    void aSecondSyncIsAStepLoggedWithItsOffset() {
        run("boot", "--no-wall-clock");
        run("time-sync", "--utc", "2025-12-30T15:12:01Z");
        assertThat(run("time-sync", "--utc", "2025-12-30T16:12:01Z").exit()).isZero();
        String raw = run("logs", "-o", "raw", "-u", "time").out();
        assertThat(raw).containsPattern("WARN time TIME_STEP offset_ns=3[56][0-9]{11} from=2025-12-30T15:12:01.000000Z "
                + "to=2025-12-30T16:12:01.000000Z");
        run("log", "kernel", "AFTER");
        assertThat(run("logs", "-o", "raw", "-u", "kernel").out()).startsWith("2025-12-30T16:1");
    }

    @Test
    void aTimeBefore2000IsRefused() {
        run("boot", "--no-wall-clock");
        ReadingCli.Result r = run("time-sync", "--utc", "1970-01-01T00:00:05Z");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("is not a plausible time now").hasLineCount(1);
        assertThat(run("logs", "-o", "raw").out()).doesNotContain("RAYOS_TIME_SYNC");
    }
    @Test
    void afterAStepTheEarlyMonoLinesStillReadBeforeTheLinesThatFollowedTheFirstSync() {
        run("boot", "--no-wall-clock");
        run("log", "kernel", "EARLY");
        run("time-sync", "--utc", "2025-12-30T15:12:01Z");
        run("log", "kernel", "BETWEEN");
        run("time-sync", "--utc", "2025-12-30T16:12:01Z");
        run("log", "kernel", "AFTER");
        List<String> lines = run("logs", "-o", "short-iso", "-u", "kernel").out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("~2025-12-30T15:1").endsWith("EARLY"); // not an hour later
        assertThat(lines.get(1)).startsWith("2025-12-30T15:1").endsWith("BETWEEN");
        assertThat(lines.get(2)).startsWith("2025-12-30T16:1").endsWith("AFTER");
    }

    @Test
    void aSyncWithNoBootRunningOrAfterShutdownIsACheckThatDidNotHold() {
        ReadingCli.Result none = run("time-sync");
        assertThat(none.exit()).isEqualTo(9); // no machine at all: a mistyped root?
        run("boot");
        run("shutdown");
        ReadingCli.Result ended = run("time-sync", "--utc", "2025-12-30T15:12:01Z");
        assertThat(ended.exit()).isEqualTo(1);
        assertThat(ended.err()).matches("rayos: boot [0-9a-f]{32} already ended \\(clean\\); 'rayos boot' starts a new one\n");
        assertThat(run("logs", "-o", "raw").out()).doesNotContain("RAYOS_TIME_SYNC");
    }

    @Test
    void aSyncWithADamagedCurrentBootIdNamesTheFile() throws Exception {
        run("boot");
        java.nio.file.Files.writeString(root.resolve("var/rayos/boot/current_boot_id"), "garbage\n");
        ReadingCli.Result r = run("time-sync");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("rayos: var/rayos/boot/current_boot_id is damaged (it holds 'garbage', not a boot id): "
                + "which boot's clock to set is not known").hasLineCount(1);
    }
}
