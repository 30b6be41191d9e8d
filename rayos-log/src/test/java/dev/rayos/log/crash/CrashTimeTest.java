package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.Timestamp;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which time a crash report carries (docs/crash-report.md, "Which time"): a kernel crash's printk
 * time placed through its boot's clock pair, an hs_err log's own time when it names its zone, and
 * the time of ingest only when neither can be read.
 */
class CrashTimeTest {
    static final BootId BOOT = BootId.parse("0123456789abcdef0123456789abcdef");
    static final Timestamp INGEST_UTC = utc("2026-11-27T10:00:00Z");
    static final Timestamp INGEST_MONO = Timestamp.mono(99_000_000_000L);

    static Timestamp utc(String s) {
        try {
            return LineCodec.parseTimestamp(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A boot that started at mono 5 s without a wall clock. */
    static BootRecord bootWithoutWallClock() {
        return new BootRecord(BOOT, 1, "0.1.0", null, BootMode.NORMAL, 5_000_000_000L, null, false,
                EndState.RUNNING, -1, null, "var/rayos/logs/boot/" + BOOT.hex() + ".log", null);
    }

    @Test
    void aKernelCrashIsPlacedInUtcThroughTheBootsTimeSync() {
        // The wall clock became known at mono 10 s = 09:00:00 UTC; the crash printed at 12.5 s.
        BootRecord boot = bootWithoutWallClock().withTimeSync(10_000_000_000L, "2026-11-27T09:00:00Z");
        assertThat(CrashTime.kernel(Optional.of("12.500000"), boot, INGEST_UTC))
                .isEqualTo(utc("2026-11-27T09:00:02.500000Z"));
        // A crash before the sync is placed the same way, earlier.
        assertThat(CrashTime.kernel(Optional.of("7.25"), boot, INGEST_UTC)).isEqualTo(utc("2026-11-27T08:59:57.250000Z"));
    }

    @Test
    void aKernelCrashOfABootThatStartedWithAWallClockIsPlacedThroughItsStart() {
        BootRecord boot = new BootRecord(BOOT, 1, "0.1.0", null, BootMode.NORMAL, 5_000_000_000L,
                "2026-11-27T09:00:00Z", true, EndState.RUNNING, -1, null, "x", null);
        assertThat(CrashTime.kernel(Optional.of("6.000001"), boot, INGEST_UTC))
                .isEqualTo(utc("2026-11-27T09:00:01.000001Z"));
    }

    @Test
    void aKernelCrashOfABootThatNeverLearntTheWallClockStaysMono() {
        assertThat(CrashTime.kernel(Optional.of("12.5"), bootWithoutWallClock(), INGEST_UTC))
                .isEqualTo(Timestamp.mono(12_500_000_000L));
        assertThat(CrashTime.kernel(Optional.of("0"), bootWithoutWallClock(), INGEST_UTC)).isEqualTo(Timestamp.mono(0));
    }

    @Test
    void withoutABootRecordTheMonoTimeStandsOnlyWhenTheIngestTimeIsMonoToo() {
        assertThat(CrashTime.kernel(Optional.of("12.5"), null, INGEST_UTC)).isEqualTo(INGEST_UTC);
        assertThat(CrashTime.kernel(Optional.of("12.5"), null, INGEST_MONO)).isEqualTo(Timestamp.mono(12_500_000_000L));
    }

    @ParameterizedTest(name = "printk time \"{0}\" is no time")
    @CsvSource({"-1.5", "12.5x", "1e400", "9999999999999.5", "0.0000000001"})
    void aPrintkTimeThatIsNoTimeGivesTheIngestTime(String uptime) {
        assertThat(CrashTime.kernel(Optional.of(uptime), bootWithoutWallClock(), INGEST_MONO)).isEqualTo(INGEST_MONO);
        assertThat(CrashTime.kernel(Optional.empty(), bootWithoutWallClock(), INGEST_MONO)).isEqualTo(INGEST_MONO);
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "Fri Nov 27 09:14:18 2026 UTC elapsed time: 0.055472 seconds (0d 0h 0m 0s) | 2026-11-27T09:14:18Z",
            "Fri Nov 27 09:14:18 2026 UTC                                                | 2026-11-27T09:14:18Z",
            "Tue Nov 10 10:20:10 2020 +08                                                | 2020-11-10T02:20:10Z",
            "Tue Nov 10 10:20:10 2020 -0330                                              | 2020-11-10T13:50:10Z",
            "Tue Nov 10 10:20:10 2020 +05:30                                             | 2020-11-10T04:50:10Z",
            "Mon Jan  5 01:02:03 2026 CET                                                | 2026-01-05T00:02:03Z",
            "Mon Jan 5 01:02:03 2026 CET                                                 | 2026-01-05T00:02:03Z",
            "Mon  Jan  5   01:02:03  2026   GMT                                          | 2026-01-05T01:02:03Z",
            "Thu Jan  1 00:00:00 1970 UTC                                                | 1970-01-01T00:00:00Z",
    })
    void anHsErrTimeThatNamesItsZoneIsTheCrashsTime(String line, String want) {
        assertThat(CrashTime.jvm(Optional.of(line), INGEST_MONO)).isEqualTo(utc(want));
    }

    @ParameterizedTest(name = "\"{0}\" cannot be placed")
    @CsvSource(delimiter = '|', value = {
            "Fri Nov 27 09:14:18 2026",
            "Fri Nov 27 09:14:18 2026 Eastern Standard Time",
            "Wed Dec 31 23:59:59 1969 UTC",
            "Sat Apr 12 00:00:00 2262 UTC",
            "not a time at all",
    })
    void anHsErrTimeWithoutAZoneOrOutsideWhatALineHoldsGivesTheIngestTime(String line) {
        assertThat(CrashTime.jvm(Optional.of(line), INGEST_UTC)).isEqualTo(INGEST_UTC);
        assertThat(CrashTime.jvm(Optional.empty(), INGEST_UTC)).isEqualTo(INGEST_UTC);
    }
}
