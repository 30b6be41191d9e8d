package dev.rayos.harness;

/**
 * The result of waiting for one marker.
 *
 * @param marker   the text waited for
 * @param met      whether it appeared in time
 * @param waitedMs how long the wait took
 * @param ending   when not met because the machine ended (crash, watchdog, ...), why; else null
 */
public record Awaited(String marker, boolean met, long waitedMs, Ending ending) {
    /** The outcome this wait alone gives: passed, timeout, or the machine's ending. */
    public Outcome outcome() {
        if (met) {
            return Outcome.PASSED;
        }
        return ending == null ? Outcome.TIMEOUT : ending.outcome();
    }
}
