package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
}
