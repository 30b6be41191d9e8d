package dev.rayos.harness;

import java.util.Locale;

/**
 * How a harness run ended, each with its own process exit code so a CI script can tell a
 * hang from a crash without reading logs. The table is in {@code docs/harness.md}; 2 (bad
 * usage) and 3 (the command itself failed) belong to the CLI.
 */
public enum Outcome {
    /** Every expectation was met. */
    PASSED(0),
    /** An expectation was not met within its timeout. */
    TIMEOUT(1),
    /** A {@code --fail-on} pattern appeared on the console. */
    FAIL_ON(8),
    /** The guest kernel panicked (console crash text or QMP {@code GUEST_PANICKED}). */
    CRASHED(4),
    /** The watchdog found QEMU unresponsive and force-quit it. */
    WATCHDOG(5),
    /** QEMU did not start (its stderr is shown). */
    QEMU_START_FAILED(6),
    /** QEMU ended (guest power-off, reboot with -no-reboot, QEMU error) before all expectations. */
    QEMU_EXITED(7);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The name used in log lines and reports, for example {@code qemu_exited}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
