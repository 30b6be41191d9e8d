package dev.rayos.log.time;

/**
 * The two clocks a line can carry: CLOCK_MONOTONIC (the clock the kernel prints) and UTC. Swappable
 * so that tests set time instead of sleeping.
 */
public interface LogClock {
    /** CLOCK_MONOTONIC nanoseconds. */
    long monoNanos();

    /** UTC nanoseconds since the epoch. */
    long utcNanos();

    /** The machine's clocks. */
    static LogClock system() {
        return SystemLogClock.INSTANCE;
    }
}
