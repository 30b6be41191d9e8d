package dev.rayos.log.time;

import java.time.Instant;

/**
 * The machine's clocks without garbage on the hot path. HotSpot's {@code System.nanoTime()} on Linux
 * is CLOCK_MONOTONIC, the same clock in every process and the kernel's printk. UTC is derived from
 * it with an offset re-read from the wall clock once a second ({@code Instant.now()} allocates, so it
 * stays off the per-line path), which also keeps one process's UTC stamps in order.
 */
final class SystemLogClock implements LogClock {
    static final SystemLogClock INSTANCE = new SystemLogClock();
    private static final long RECALIBRATE_NANOS = 1_000_000_000L;

    private static final class Calibration {
        final long monoAt;
        final long offset;

        Calibration(long monoAt, long offset) {
            this.monoAt = monoAt;
            this.offset = offset;
        }
    }

    private volatile Calibration cal = calibrate();

    private static Calibration calibrate() {
        long m = System.nanoTime();
        Instant now = Instant.now();
        long utc = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return new Calibration(m, utc - m);
    }

    @Override
    public long monoNanos() {
        return System.nanoTime();
    }

    @Override
    public long utcNanos() {
        long m = System.nanoTime();
        Calibration c = cal;
        if (m - c.monoAt > RECALIBRATE_NANOS) {
            c = calibrate();
            cal = c;
        }
        return m + c.offset;
    }
}
