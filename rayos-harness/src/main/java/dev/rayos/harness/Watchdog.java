package dev.rayos.harness;

import dev.rayos.harness.qmp.QmpException;
import dev.rayos.log.line.Level;
import java.time.Duration;
import java.util.Map;

/**
 * The desktop harness watchdog (spec §4.3): decides that QEMU is unresponsive and
 * force-quits it.
 *
 * <p>Every interval it sends {@code query-status} over QMP. QEMU answers from its main
 * loop, so a missing reply within the deadline means the process is stopped or wedged,
 * whatever the guest does. Optionally, console silence longer than the silence limit
 * counts too (a guest that hangs with QEMU healthy), counted from the last console output
 * once the guest has printed anything. Then it climbs the ladder of
 * {@link Qemu#stop}, emits {@code RAYOS_HOST_WATCHDOG action=force_quit
 * reason=<qmp_timeout|console_silent> waited_ms=<ms> step=<quit|sigterm|sigkill>} and ends
 * the run as {@link Outcome#WATCHDOG}. {@code waited_ms} runs from the last sign of life
 * (the unanswered query was sent, or the last console output) until QEMU was gone.
 */
final class Watchdog {
    private final Machine machine;
    private final MachineConfig config;
    private final Thread thread;
    private volatile boolean stopped;

    Watchdog(Machine machine, MachineConfig config) {
        this.machine = machine;
        this.config = config;
        this.thread = new Thread(this::loop, "qemu-watchdog");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void loop() {
        Duration interval = config.watchdogInterval;
        while (!stopped && machine.ending() == null && machine.isAlive()) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (stopped || machine.ending() != null || !machine.isAlive()) {
                return;
            }
            long sent = config.clock.monoNanos();
            try {
                machine.qmp().execute("query-status", Map.of(), config.watchdogDeadline);
            } catch (QmpException e) {
                if (e.kind() == QmpException.Kind.TIMEOUT) {
                    forceQuit("qmp_timeout", sent);
                }
                // CLOSED: QEMU is exiting; the exit watcher reports that
                return;
            }
            if (silentPastLimit(machine.console(), config)) {
                forceQuit("console_silent", machine.console().lastOutputNanos());
                return;
            }
        }
    }

    /**
     * Whether the guest's console has been silent longer than the silence limit, on the run's clock.
     * Silence counts from the last output only: before the first byte the kernel is decompressing
     * and probing, which under a loaded TCG host takes anything from 1 to 20 s; the first
     * expectation's timeout bounds that phase instead. Without a limit, never.
     */
    static boolean silentPastLimit(Console console, MachineConfig config) {
        return config.silenceLimit != null && console.position() > 0
                && config.clock.monoNanos() - console.lastOutputNanos() > config.silenceLimit.toNanos();
    }

    private void forceQuit(String reason, long sinceNanos) {
        if (stopped) {
            return;
        }
        machine.emit(HarnessEvent.of(Level.WARN, "RAYOS_HARNESS_UNRESPONSIVE", "reason", reason));
        String step = machine.stopProcess(config.grace);
        long waited = (config.clock.monoNanos() - sinceNanos) / 1_000_000;
        machine.emit(HarnessEvent.of(Level.ERROR, "RAYOS_HOST_WATCHDOG", "action", "force_quit", "reason", reason,
                "waited_ms", Long.toString(waited), "step", step));
        machine.end(Outcome.WATCHDOG, "reason=" + reason + " waited_ms=" + waited);
    }
}
