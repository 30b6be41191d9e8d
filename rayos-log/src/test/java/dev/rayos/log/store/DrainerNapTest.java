package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The idle drainer's naps and sleeps. Under {@link #untilWoken} they end only when the drainer is
 * woken, so every line, flush or wait that needs the drainer must wake it (or the test hangs), and
 * each nap and sleep is recorded with the time it asked for.
 */
class DrainerNapTest extends DrainerFixture {
    static final long NAP = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aPlainLineWakesADrainerSleepingUntilWoken() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after an empty pass").isEqualTo(NAP);
        drainer.wake();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("then the sleep until woken, 50 ms at most")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        log("boot", "a plain line", false);
        awaitLines("boot", 1);
    }

    @Test
    void aNappingDrainerIsLeftAloneUntilABatchsWorthOfLinesWaits() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after an empty pass").isEqualTo(NAP);
        String line = "x".repeat(1000); // a record of 1024 bytes: 64 of them are a quarter of the 256 KiB ring, which wakes it
        for (int i = 0; i < 63; i++) {
            log("boot", line, false);
        }
        assertThat(ring.pendingBytes()).isEqualTo(63 * 1024);
        assertThat(file("boot")).as("plain lines do not cut a nap short").isEmpty();
        log("boot", line, false);
        awaitLines("boot", 64);
    }

    @Test
    void inALargerRingANappingDrainerWaitsForAQuarterOfIt() throws Exception {
        ringBytes = 1024 * 1024;
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after an empty pass").isEqualTo(NAP);
        String line = "x".repeat(1000); // a record of 1024 bytes: 256 of them are a quarter of the 1 MiB ring
        for (int i = 0; i < 255; i++) {
            log("boot", line, false);
        }
        // A woken drainer would write them and nap again: no new nap, nothing written.
        assertThat(parks.poll(500, TimeUnit.MILLISECONDS))
                .as("64 KiB and more, but less than a quarter of the ring, leave the nap alone").isNull();
        assertThat(ring.pendingBytes()).isEqualTo(255 * 1024);
        assertThat(file("boot")).isEmpty();
        log("boot", line, false);
        awaitLines("boot", 256);
    }

    @Test
    void aSingleLineOfABatchsWorthWakesANappingDrainer() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "y".repeat(70_000), false);
        awaitLines("boot", 1);
    }

    @Test
    void anUrgentLineWakesANappingDrainer() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        long seq = log("boot", "an ERROR line", true);
        drainer.awaitDurable(seq);
        assertThat(file("boot")).containsExactly("an ERROR line");
    }

    @Test
    void flushWakesANappingDrainer() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "a plain line", false);
        drainer.flush();
        assertThat(file("boot")).containsExactly("a plain line");
        assertThat(drainer.durableSeq()).isEqualTo(1);
    }

    @Test
    void aDrainerWithUnfsyncedLinesSleepsAtMostUntilTheSyncIntervalEnds() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "a plain line", false);
        drainer.wake();
        awaitLines("boot", 1);
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after the pass").isEqualTo(NAP);
        clock.mono += TimeUnit.MILLISECONDS.toNanos(300);
        drainer.wake();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the line is owed an fsync in 700 ms of the 1 s interval")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
        assertThat(drainer.durableSeq()).isZero();
    }

    @Test
    void awaitConsoleWakesANappingDrainer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        untilWoken();
        start(true, out, n -> { });
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "shown before the banner", false);
        drainer.awaitConsole(30_000); // the clock stands still: only the line reaching the console ends it
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("shown before the banner\n");
    }
}
