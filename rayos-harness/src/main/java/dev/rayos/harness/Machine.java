package dev.rayos.harness;

import dev.rayos.harness.bridge.Ack;
import dev.rayos.harness.bridge.HostBridge;
import dev.rayos.harness.qmp.QmpClient;
import dev.rayos.harness.qmp.QmpEvent;
import dev.rayos.log.crash.KernelCrash;
import dev.rayos.log.crash.KernelCrashScanner;
import dev.rayos.log.line.Level;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * One QEMU guest under watch: its console read and searched, its QMP connection, its host
 * bridge, its watchdog and its crash detection.
 *
 * <pre>{@code
 * try (Machine m = Machine.boot(config)) {
 *     Awaited ready = m.await("RAYOS_READY", Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>Threads: a console reader (reads the serial socket, feeds {@link Console}, the bridge,
 * {@code --fail-on} and the crash library's {@link KernelCrashScanner}), the QMP reader inside {@link QmpClient}, the
 * {@link Watchdog}, an exit watcher on the QEMU process, and a single writer for console
 * input (so a guest that stops reading can never block the reader). The first of them to
 * decide that the run is over sets the {@link Ending} once ({@link #end}); everything after
 * that is cleanup. {@link #close()} always leaves no QEMU process behind: QMP {@code quit},
 * then SIGTERM, then SIGKILL. A JVM shutdown hook kills any machine still running, so an
 * interrupted harness does not leak QEMU processes either.
 *
 * <p>The jobs are split: {@link Qemu} starts and stops the process, {@link Serial} reads and
 * writes the console socket, {@link Expectations} waits for markers and types the sends,
 * {@link CrashWatch} scans for crashes and settles them; this class wires them to QMP, the host
 * bridge and the watchdog, and holds the run's one {@link Ending}.
 */
public final class Machine implements AutoCloseable {
    private final MachineConfig config;
    private final Qemu qemu;
    private final Process process;
    private final long bootNanos;
    private final Console console;
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final List<QmpEvent> qmpEvents = new CopyOnWriteArrayList<>();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final CrashWatch crashWatch;
    private final Expectations expectations;
    private volatile String presentation;
    private Serial serial;
    private QmpClient qmp;
    private Watchdog watchdog;

    private Machine(MachineConfig config, Qemu qemu) {
        this.config = config;
        this.qemu = qemu;
        this.process = qemu.process();
        this.bootNanos = config.clock.monoNanos();
        this.console = new Console(config.clock);
        // the two ask each other: a crash is reported with its boot, a wait ends on a crash
        this.expectations = new Expectations(console, config, ending::get, this::crashSeen, this::emit);
        this.crashWatch = new CrashWatch(config, console, expectations::boots, this::emit, this::end);
    }

    private boolean crashSeen() {
        return crashWatch.seen();
    }

    /**
     * Starts QEMU, attaches to its console and QMP, and lets the guest run.
     *
     * @throws MachineStartException QEMU could not be started or did not open its sockets
     *                               (with QEMU's stderr)
     */
    public static Machine boot(MachineConfig config) throws MachineStartException {
        Machine m = new Machine(config, Qemu.start(config));
        try {
            m.attach();
            return m;
        } catch (IOException | RuntimeException e) {
            String err = m.qemuStderr();
            m.close();
            throw new MachineStartException("QEMU did not start: " + e.getMessage(), err, e);
        }
    }

    private void attach() throws IOException {
        qemu.awaitSockets(config.startTimeout, config.clock);
        serial = Serial.open(qemu.serialSocket(), console, config.echo, config.serialLog);
        qmp = QmpClient.connect(qemu.qmpSocket(), config.startTimeout, this::onQmpEvent, config.clock::monoNanos);
        HostBridge bridge = new HostBridge(
                config.hostOps != null ? config.hostOps : HostBridge.standardOps(Clock.systemUTC(), this::onPresentation),
                config.bridgeMaxPerSecond, config.clock::monoNanos);
        console.onLine(line -> onConsoleLine(line, bridge));
        serial.start();
        if (!config.sends.isEmpty()) {
            Thread sender = new Thread(() -> expectations.typeSends(this::sendLine), "console-sends");
            sender.setDaemon(true);
            sender.start();
        }
        process.onExit().thenRun(this::onQemuExit);
        qmp.execute("cont", Map.of(), config.startTimeout);
        watchdog = new Watchdog(this, config);
        watchdog.start();
        emit(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_BOOT", "pid", Long.toString(process.pid())));
    }

    /**
     * Waits for an expectation: its marker after the end of the previous match and, when it names a
     * boot, inside that boot (after the guest reset that began it, before the next one).
     */
    public Awaited await(Expectation x) throws InterruptedException {
        return expectations.await(x);
    }

    /** How many boots have begun (1 until the first guest reset). */
    public int boots() {
        return expectations.boots();
    }

    /**
     * Waits for {@code marker} in the console after the end of the previous match.
     *
     * <p>Returns as soon as the marker appears, the timeout passes, or the machine ends
     * (crash, watchdog, {@code --fail-on}, QEMU exit). A crash seen while waiting is given
     * its settle time, so a panic is reported as a crash, not as a timeout.
     */
    public Awaited await(String marker, Duration timeout) throws InterruptedException {
        return expectations.await(marker, timeout);
    }

    /** Why the machine stopped being watched, or null while it runs normally. */
    public Ending ending() {
        return ending.get();
    }

    /** The console text read so far. */
    public String transcript() {
        return console.text();
    }

    /** The console, for callers that search it themselves. */
    public Console console() {
        return console;
    }

    /** QMP events received, in order (GUEST_PANICKED, SHUTDOWN, WATCHDOG, STOP, ...). */
    public List<QmpEvent> qmpEvents() {
        return List.copyOf(qmpEvents);
    }

    /** Acks the host bridge sent, in order. */
    public List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** The last presentation state the guest reported over the bridge, or null. */
    public String presentation() {
        return presentation;
    }

    /** The QEMU process id (tests freeze it with SIGSTOP). */
    public long pid() {
        return process.pid();
    }

    /** Whether the QEMU process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Milliseconds since QEMU was started. */
    public long uptimeMs() {
        return (config.clock.monoNanos() - bootNanos) / 1_000_000;
    }

    /** The QMP connection, for commands the harness does not wrap. */
    public QmpClient qmp() {
        return qmp;
    }

    /** Writes a line to the guest's console input (queued; never blocks the caller). */
    public void sendLine(String line) {
        serial.sendLine(line);
    }

    /** QEMU's stderr so far (bounded to 8 KiB), for reports. */
    public String qemuStderr() {
        return qemu.stderr();
    }

    /**
     * Ends the watch with this outcome unless it has already ended; the first caller wins.
     *
     * @return whether this call set the ending
     */
    boolean end(Outcome outcome, String reason) {
        Ending e = new Ending(outcome, reason, config.clock.monoNanos());
        if (!ending.compareAndSet(null, e)) {
            return false;
        }
        emit(HarnessEvent.of(outcome == Outcome.PASSED ? Level.INFO : Level.WARN, "RAYOS_HARNESS_END",
                "outcome", outcome.label(), "reason", reason));
        console.wake();
        return true;
    }

    void emit(HarnessEvent e) {
        try {
            config.events.accept(e);
        } catch (RuntimeException ignored) {
            // a failing log sink must not stop the watch
        }
    }

    private void onConsoleLine(Console.ConsoleLine line, HostBridge bridge) {
        Ack ack = bridge.onLine(line.text(), line.cut());
        if (ack != null) {
            acks.add(ack);
            sendLine(ack.line());
            emit(HarnessEvent.of(ack.ok() ? Level.INFO : Level.NOTICE, "RAYOS_HOST_ACK", "op", ack.op(),
                    "result", ack.ok() ? "ok" : "err", "detail", ack.detail()));
        }
        for (Pattern p : config.failOn) {
            if (p.matcher(line.text()).find()) {
                end(Outcome.FAIL_ON, "pattern=" + p.pattern());
            }
        }
        crashWatch.onLine(line.text());
    }

    /**
     * The kernel crashes read from the console so far, oldest first. After {@link #close()}
     * this includes a crash whose text was still open when the console ended.
     */
    public List<KernelCrash> crashes() {
        return crashWatch.crashes();
    }

    private void onQmpEvent(QmpEvent e) {
        qmpEvents.add(e);
        if ("RESET".equals(e.name())) {
            int n = expectations.bootBegan();
            emit(HarnessEvent.of(Level.NOTICE, "RAYOS_HARNESS_REBOOT", "boot", Integer.toString(n)));
            if (n > config.boots) {
                end(Outcome.QEMU_EXITED, "reset: boot " + n + " would start, beyond --boots " + config.boots);
            }
            console.wake();
        }
        emit(HarnessEvent.of("GUEST_PANICKED".equals(e.name()) ? Level.CRIT : Level.NOTICE, "RAYOS_HARNESS_QMP_EVENT", "event", e.name()));
        if ("GUEST_PANICKED".equals(e.name())) {
            crashWatch.suspected("guest_panicked");
        }
    }

    private void onPresentation(String state) {
        presentation = state;
        emit(HarnessEvent.of(Level.INFO, "RAYOS_PRESENTATION", "state", state));
    }

    private void onQemuExit() {
        qemu.exited();
        if (!qemu.stopping()) {
            // Read the console to its end before judging: a guest with panic=-1 prints its panic and
            // reboots at once, and under -no-reboot QEMU exits right after. The panic must win.
            try {
                if (serial != null) {
                    serial.awaitEnd(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            crashWatch.finish();
            if (!crashWatch.crashes().isEmpty() || crashWatch.seen()) {
                end(Outcome.CRASHED, "source=console (the guest rebooted after it; qemu exit=" + process.exitValue() + ")");
            } else {
                // a guest that powers off, or reboots under -no-reboot, makes QEMU exit
                end(Outcome.QEMU_EXITED, "exit=" + process.exitValue());
            }
        }
        console.wake();
    }

    /**
     * Stops QEMU if it still runs (QMP {@code quit}, SIGTERM, SIGKILL, a grace period each)
     * and removes the socket directory. Safe to call more than once.
     */
    @Override
    public void close() {
        qemu.markStopping();
        if (watchdog != null) {
            watchdog.stop();
        }
        if (process.isAlive()) {
            stopProcess(config.grace);
        }
        qemu.exited();
        if (qmp != null) {
            qmp.close();
        }
        if (serial != null) {
            serial.close();
        }
        crashWatch.finish();
        qemu.deleteDirectory();
    }

    /**
     * The force-quit ladder ({@link Qemu#stop}), for the watchdog.
     *
     * @return the step that ended QEMU: {@code quit}, {@code sigterm} or {@code sigkill}
     */
    String stopProcess(Duration grace) {
        return qemu.stop(grace, qmp);
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
