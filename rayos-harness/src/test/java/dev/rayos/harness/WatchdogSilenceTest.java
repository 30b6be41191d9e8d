package dev.rayos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watchdog's console-silence limit on a clock the test moves: the limit is crossed in
 * nanoseconds of test time, not waited for. The console is the real one the machine reads into.
 */
class WatchdogSilenceTest {
    private final ManualClock clock = new ManualClock();
    private final Console console = new Console(clock);

    private MachineConfig config(Duration silenceLimit) {
        return MachineConfig.builder().kernel(java.nio.file.Path.of("bzImage")).silenceLimit(silenceLimit).clock(clock).build();
    }

    private void guestPrints(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        console.accept(b, 0, b.length);
    }

    @Test
    void aConsoleQuietForLongerThanTheLimitIsSilentAndNewOutputEndsTheSilence() {
        MachineConfig config = config(Duration.ofSeconds(30));
        guestPrints("[    0.000000] Linux version 6.1\n");

        clock.advance(Duration.ofSeconds(30));
        assertThat(Watchdog.silentPastLimit(console, config)).as("exactly at the limit").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(Watchdog.silentPastLimit(console, config)).as("just past the limit").isTrue();

        guestPrints("RAYOS_READY\n");
        assertThat(Watchdog.silentPastLimit(console, config)).as("right after new output").isFalse();
        clock.advance(Duration.ofSeconds(29));
        assertThat(Watchdog.silentPastLimit(console, config)).isFalse();
    }

    @Test
    void aGuestThatHasPrintedNothingYetIsNeverSilent() {
        MachineConfig config = config(Duration.ofSeconds(5));
        clock.advance(Duration.ofHours(1));
        assertThat(Watchdog.silentPastLimit(console, config)).isFalse();
    }

    @Test
    void withoutASilenceLimitNoQuietIsTooLong() {
        MachineConfig config = config(null);
        guestPrints("booting\n");
        clock.advance(Duration.ofDays(1));
        assertThat(Watchdog.silentPastLimit(console, config)).isFalse();
    }

    @Test
    @Timeout(60) // a guard only: on the wrong clock the wait could run for its ten minutes
    void aWaitForAMarkerEndsAtItsDeadlineOnTheTestClock() throws InterruptedException {
        guestPrints("no marker here\n");
        long deadline = clock.monoNanos() + Duration.ofMinutes(10).toNanos();
        clock.advance(Duration.ofMinutes(10).plusNanos(1));
        // a ten-minute deadline already past on the console's clock: the wait gives up at once
        assertThat(console.awaitText("RAYOS_READY", 0, deadline, () -> false)).isEqualTo(-1);
    }
}
