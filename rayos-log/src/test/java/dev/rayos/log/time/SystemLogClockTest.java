package dev.rayos.log.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The machine's clocks as lines carry them (docs/log-format.md, "Timestamps"). */
class SystemLogClockTest {
    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void utcIsTheWallClockAndMonoIsTheMonotonicClockOfEveryProcess() throws Exception {
        LogClock c = LogClock.system();
        checkAgainstTheWallClock(c);
        Thread.sleep(1100); // past the once-a-second reading of the wall clock
        checkAgainstTheWallClock(c);
    }

    private static void checkAgainstTheWallClock(LogClock c) {
        long before = nanos(Instant.now());
        long utc = c.utcNanos();
        long after = nanos(Instant.now());
        // The offset is read from the wall clock: a stamp lies between two readings of it (give or
        // take the clock's own granularity).
        assertThat(utc).isBetween(before - 1_000_000L, after + 1_000_000L);
        long m0 = System.nanoTime();
        long mono = c.monoNanos();
        long m1 = System.nanoTime();
        assertThat(mono).isBetween(m0, m1);
    }
}
