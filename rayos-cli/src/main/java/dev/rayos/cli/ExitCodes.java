package dev.rayos.cli;

import java.util.List;

/**
 * Every exit code of the {@code rayos} command, in one place: {@code rayos help} prints this table
 * and docs/reading-logs.md ("Exit codes") carries the same rows; a test checks the two agree.
 */
final class ExitCodes {
    private ExitCodes() {}

    static final int OK = 0;
    /** A check that did not hold: not ready, no crash found or shown, a boot already ended, a harness timeout. */
    static final int CHECK = 1;
    /** Bad usage or bad input: one line on stderr, nothing written. */
    static final int USAGE = 2;
    /** The environment failed: a file could not be read or written (said in words, with the path). */
    static final int ENVIRONMENT = 3;
    /** The root holds no RayOS machine (no var/rayos under it). */
    static final int NO_MACHINE = 9;
    /** An event reached the ring (and console) but not the log files: storage is broken. */
    static final int NOT_STORED = 10;

    record Row(int code, String meaning) {}

    static final List<Row> ROWS = List.of(
            new Row(OK, "success"),
            new Row(CHECK, "a check did not hold: not ready (status, analyze), no boots yet (boots, status, "
                    + "analyze), no crash found (crash ingest), no crash report (crashes, crash show), no boot "
                    + "running or it already ended (shutdown, time-sync), a harness timeout"),
            new Row(USAGE, "bad usage or bad input: one line on stderr saying what, nothing written"),
            new Row(ENVIRONMENT, "a file could not be read or written (permission denied, disk full, read-only "
                    + "file system...): the path and why on stderr"),
            new Row(4, "harness run: the guest crashed"),
            new Row(5, "harness run: QEMU was unresponsive and was force-quit"),
            new Row(6, "harness run: QEMU did not start"),
            new Row(7, "harness run: QEMU exited before every marker was seen"),
            new Row(8, "harness run: a --fail-on pattern matched"),
            new Row(NO_MACHINE, "no RayOS machine at the root (no ROOT/var/rayos): a mistyped --root?"),
            new Row(NOT_STORED, "log, cat: the event reached only the ring and the console, not the log files"));

    /** The table as picocli's exit code list (code, meaning), in order. */
    static java.util.Map<String, String> asMap() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Row r : ROWS) {
            m.put(String.format("%2d", r.code()), r.meaning());
        }
        return m;
    }
}
