package dev.rayos.harness;

import dev.rayos.log.root.BootId;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.crash.KernelCrash;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import java.nio.file.Files;
import java.time.Instant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@code rayos harness run}: boot, wait for each expectation in order, stop QEMU, and
 * say how it went. The CLI is a thin layer over this; tests call it directly.
 *
 * <p>The run stops at the first expectation not met; at least one expectation is required,
 * so every run is bounded by its timeouts. Every run ends with a
 * {@code RAYOS_HARNESS_SUMMARY} event.
 */
public final class HarnessRun {
    private HarnessRun() {}

    /**
     * @param config       the machine
     * @param expectations markers to wait for, in order
     * @param crashRoot    the root whose {@code var/rayos/crash/panics/} receives the crash
     *                     reports of a crashed run, or null for none
     */
    public static RunResult run(MachineConfig config, List<Expectation> expectations, RootLayout crashRoot)
            throws InterruptedException {
        if (expectations.isEmpty()) {
            throw new IllegalArgumentException("at least one expectation is needed");
        }
        Consumer<HarnessEvent> log = config.events;
        long start = config.clock.monoNanos();
        List<RunResult.Result> results = new ArrayList<>();
        Machine m;
        try {
            m = Machine.boot(config);
        } catch (MachineStartException e) {
            long ms = (config.clock.monoNanos() - start) / 1_000_000;
            for (Expectation x : expectations) {
                results.add(new RunResult.Result(x, false, false, 0, Outcome.QEMU_START_FAILED));
            }
            String stderr = e.qemuStderr().strip();
            String reason = e.getMessage() + (stderr.isEmpty() ? "" : "; qemu stderr: " + stderr);
            RunResult r = new RunResult(Outcome.QEMU_START_FAILED, reason, results, ms, "", List.of(), null);
            summary(log, r);
            return r;
        }
        Outcome outcome = Outcome.PASSED;
        String reason = "all expectations met";
        Path report = null;
        try (m) {
            boolean failed = false;
            for (Expectation x : expectations) {
                if (failed) {
                    results.add(new RunResult.Result(x, false, false, 0, outcome));
                    continue;
                }
                Awaited a = m.await(x);
                results.add(new RunResult.Result(x, true, a.met(), a.waitedMs(), a.outcome()));
                if (!a.met()) {
                    failed = true;
                    outcome = a.outcome();
                    reason = outcome == Outcome.TIMEOUT
                            ? "marker=" + x.label() + " waited_ms=" + a.waitedMs()
                            : a.ending().reason() + " while waiting for marker=" + x.label();
                    if (outcome == Outcome.TIMEOUT) {
                        log.accept(HarnessEvent.of(Level.ERROR, "RAYOS_HARNESS_TIMEOUT", "marker", x.marker(),
                                "waited_ms", Long.toString(a.waitedMs())));
                    }
                }
            }
            if (outcome == Outcome.PASSED) {
                // The last marker may be followed by the rest of its line (fields): keep it.
                m.console().awaitLineEnd(config.clock.monoNanos() + LINE_END_WAIT_NANOS);
            }
            m.close(); // also ends the crash scanner, so a crash still open counts
            if ((outcome == Outcome.CRASHED || (config.multiBoot() && !m.crashes().isEmpty())) && crashRoot != null) {
                report = writeCrashReports(m.crashes(), crashRoot, log);
            }
            long ms = (config.clock.monoNanos() - start) / 1_000_000;
            RunResult r = new RunResult(outcome, reason, results, ms, m.transcript(), m.qmpEvents(), report);
            summary(log, r);
            return r;
        }
    }

    /**
     * Writes one report per crash the scanner read, under a boot id made for this run (the
     * guest's own boot id is not known to the host). Returns the first report, or null.
     */
    private static Path writeCrashReports(List<KernelCrash> crashes, RootLayout root, Consumer<HarnessEvent> log) {
        if (crashes.isEmpty()) {
            log.accept(HarnessEvent.of(Level.ERROR, "RAYOS_HARNESS_CRASH_REPORT_FAILED",
                    "error", "no kernel crash text recognised on the console"));
            return null;
        }
        BootId boot = BootId.random();
        Path first = null;
        for (KernelCrash c : crashes) {
            Instant now = Instant.now();
            CrashReport r = c.report(boot, Timestamp.utc(now.getEpochSecond() * 1_000_000_000L + now.getNano()))
                    .attribute("origin", "harness").build();
            try {
                Files.createDirectories(root.crashPanicsDir());
                Path p = CrashReportFiles.writeNew(r, root.crashReport(boot));
                log.accept(HarnessEvent.of(Level.CRIT, "RAYOS_HARNESS_CRASH_REPORT", "boot_id", boot.hex(),
                        "kind", c.kind().label(), "path", root.relative(p)));
                if (first == null) {
                    first = p;
                }
            } catch (IOException | RuntimeException e) {
                log.accept(HarnessEvent.of(Level.ERROR, "RAYOS_HARNESS_CRASH_REPORT_FAILED", "error", String.valueOf(e.getMessage())));
            }
        }
        return first;
    }

    /** How long a passed run waits for the console line of its last marker to end. */
    private static final long LINE_END_WAIT_NANOS = 2_000_000_000L;

    private static void summary(Consumer<HarnessEvent> log, RunResult r) {
        long met = r.expectations().stream().filter(RunResult.Result::met).count();
        log.accept(HarnessEvent.of(r.outcome() == Outcome.PASSED ? Level.NOTICE : Level.ERROR, "RAYOS_HARNESS_SUMMARY",
                "outcome", r.outcome().label(), "exit_code", Integer.toString(r.outcome().exitCode()),
                "expectations", Integer.toString(r.expectations().size()), "met", Long.toString(met),
                "duration_ms", Long.toString(r.durationMs()), "reason", r.reason()));
    }
}
