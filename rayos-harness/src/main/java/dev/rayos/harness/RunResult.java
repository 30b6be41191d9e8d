package dev.rayos.harness;

import dev.rayos.harness.qmp.QmpEvent;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link HarnessRun} found.
 *
 * @param outcome      how it ended (its {@link Outcome#exitCode()} is the process exit code)
 * @param reason       detail of the outcome: the marker and wait of a timeout, the pattern
 *                     of a fail-on, the watchdog's reason, QEMU's stderr when it did not start
 * @param expectations one entry per expectation, in order; those after the first unmet
 *                     one are {@code reached=false}
 * @param durationMs   wall time of the run, boot to QEMU gone
 * @param transcript   the console text (bounded)
 * @param qmpEvents    the QMP events recorded
 * @param crashReport  the crash report written, or null
 */
public record RunResult(Outcome outcome, String reason, List<Result> expectations, long durationMs,
                        String transcript, List<QmpEvent> qmpEvents, Path crashReport) {
    public RunResult {
        expectations = List.copyOf(expectations);
        qmpEvents = List.copyOf(qmpEvents);
    }

    /** One expectation's fate. */
    public record Result(Expectation expectation, boolean reached, boolean met, long waitedMs, Outcome outcome) {}
}
