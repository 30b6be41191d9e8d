package dev.rayos.harness;

import dev.rayos.harness.bridge.Ack;
import dev.rayos.harness.bridge.HostBridge;
import dev.rayos.harness.qmp.QmpClient;
import dev.rayos.harness.qmp.QmpEvent;
import dev.rayos.harness.qmp.QmpException;
import dev.rayos.log.crash.KernelCrash;
import dev.rayos.log.crash.KernelCrashScanner;
import dev.rayos.log.line.Level;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 */
public final class Machine implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "rayos-harness-qemu-reaper"));
    }

    private final MachineConfig config;
    private final Path dir;
    private final Process process;
    private final long bootNanos = System.nanoTime();
    private final Console console = new Console();
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final List<QmpEvent> qmpEvents = new CopyOnWriteArrayList<>();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final ExecutorService consoleWriter;
    private final AtomicBoolean crashSeen = new AtomicBoolean();
    // The scanner is not thread-safe: the console reader feeds it, close() finishes it.
    private final KernelCrashScanner scanner = new KernelCrashScanner();
    private final List<KernelCrash> crashes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile String presentation;
    private SocketChannel serial;
    private QmpClient qmp;
    private Watchdog watchdog;
    private OutputStream serialLog;
    private long cursor; // end of the last matched expectation
    // console position where each boot began (boot 1 at 0); a QMP RESET starts the next
    private final List<Long> bootStarts = new CopyOnWriteArrayList<>(List.of(0L));
    private Thread reader;

    private Machine(MachineConfig config, Path dir, Process process) {
        this.config = config;
        this.dir = dir;
        this.process = process;
        this.consoleWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "console-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts QEMU, attaches to its console and QMP, and lets the guest run.
     *
     * @throws MachineStartException QEMU could not be started or did not open its sockets
     *                               (with QEMU's stderr)
     */
    public static Machine boot(MachineConfig config) throws MachineStartException {
        Path dir;
        try {
            // sun_path holds 108 bytes: keep socket paths short, whatever java.io.tmpdir is
            dir = Files.createTempDirectory(Path.of("/tmp"), "rayos-h");
        } catch (IOException e) {
            throw new MachineStartException("cannot create the socket directory: " + e.getMessage(), "", e);
        }
        Path serialSock = dir.resolve("serial.sock");
        Path qmpSock = dir.resolve("qmp.sock");
        Path stderr = dir.resolve("qemu.stderr");
        Path vars = dir.resolve("OVMF_VARS.fd");
        if (config.uefi) {
            try {
                Files.copy(MachineConfig.OVMF_VARS, vars); // a fresh variable store for every run
            } catch (IOException e) {
                deleteTree(dir);
                throw new MachineStartException("cannot copy the UEFI variable store: " + e.getMessage(), "", e);
            }
        }
        List<String> cmd = config.commandLine(serialSock, qmpSock, vars);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(dir.resolve("qemu.stdout").toFile())
                    .redirectError(stderr.toFile())
                    .start();
            p.getOutputStream().close();
        } catch (IOException e) {
            deleteTree(dir);
            throw new MachineStartException("cannot run " + config.qemu + ": " + e.getMessage(), "", e);
        }
        LIVE.add(p);
        Machine m = new Machine(config, dir, p);
        try {
            m.attach(serialSock, qmpSock);
            return m;
        } catch (IOException | RuntimeException e) {
            String err = m.qemuStderr();
            m.close();
            throw new MachineStartException("QEMU did not start: " + e.getMessage(), err, e);
        }
    }

    private void attach(Path serialSock, Path qmpSock) throws IOException {
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        while (!(Files.exists(serialSock) && Files.exists(qmpSock))) {
            if (!process.isAlive()) {
                throw new IOException("qemu exited with status " + process.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("qemu opened no sockets within " + config.startTimeout.toMillis() + " ms");
            }
            sleepQuietly(10);
        }
        if (config.serialLog != null) {
            serialLog = Files.newOutputStream(config.serialLog);
        }
        serial = SocketChannel.open(StandardProtocolFamily.UNIX);
        serial.connect(UnixDomainSocketAddress.of(serialSock));
        qmp = QmpClient.connect(qmpSock, config.startTimeout, this::onQmpEvent);
        HostBridge bridge = new HostBridge(
                config.hostOps != null ? config.hostOps : HostBridge.standardOps(Clock.systemUTC(), this::onPresentation),
                config.bridgeMaxPerSecond, System::nanoTime);
        console.onLine(line -> onConsoleLine(line, bridge));
        reader = new Thread(this::readConsole, "console-reader");
        reader.setDaemon(true);
        reader.start();
        if (!config.sends.isEmpty()) {
            Thread sender = new Thread(this::typeSends, "console-sends");
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
        if (x.boot() == 0) {
            return await(x.marker(), x.timeout());
        }
        long start = System.nanoTime();
        long deadline = start + x.timeout().toNanos();
        int k = x.boot();
        if (!console.awaitUntil(deadline, () -> bootStarts.size() >= k || ending.get() != null)) {
            return new Awaited(x.marker(), false, (System.nanoTime() - start) / 1_000_000, null);
        }
        if (bootStarts.size() < k) {
            return new Awaited(x.marker(), false, (System.nanoTime() - start) / 1_000_000, ending.get());
        }
        long from = Math.max(cursor, bootStarts.get(k - 1));
        long at = console.awaitText(x.marker(), from, deadline, () -> ending.get() != null || bootStarts.size() > k);
        long waited = (System.nanoTime() - start) / 1_000_000;
        if (at >= 0 && (bootStarts.size() <= k || at <= bootStarts.get(k))) {
            cursor = at;
            emit(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_EXPECT_MET", "marker", x.marker(), "boot", Integer.toString(k),
                    "waited_ms", Long.toString(waited)));
            return new Awaited(x.marker(), true, waited, null);
        }
        if (bootStarts.size() > k && ending.get() == null) {
            emit(HarnessEvent.of(Level.ERROR, "RAYOS_HARNESS_BOOT_ENDED", "boot", Integer.toString(k), "marker", x.marker()));
        }
        return new Awaited(x.marker(), false, waited, ending.get());
    }

    /** How many boots have begun (1 until the first guest reset). */
    public int boots() {
        return bootStarts.size();
    }

    /** Types each {@code --send} once its marker appears, in order (its own thread). */
    private void typeSends() {
        long from = 0;
        try {
            for (Send s : config.sends) {
                if (s.boot() > 0 && !console.awaitUntil(Long.MAX_VALUE, () -> bootStarts.size() >= s.boot() || ending.get() != null)) {
                    return;
                }
                if (ending.get() != null) {
                    return;
                }
                long f = s.boot() > 0 ? Math.max(from, bootStarts.get(s.boot() - 1)) : from;
                long at = console.awaitText(s.marker(), f, Long.MAX_VALUE, () -> ending.get() != null);
                if (at < 0) {
                    return;
                }
                from = at;
                emit(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_SEND", "marker", s.marker(), "text", s.text()));
                sendLine(s.text());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for {@code marker} in the console after the end of the previous match.
     *
     * <p>Returns as soon as the marker appears, the timeout passes, or the machine ends
     * (crash, watchdog, {@code --fail-on}, QEMU exit). A crash seen while waiting is given
     * its settle time, so a panic is reported as a crash, not as a timeout.
     */
    public Awaited await(String marker, Duration timeout) throws InterruptedException {
        if (marker.isEmpty()) {
            throw new IllegalArgumentException("empty marker");
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long at = console.awaitText(marker, cursor, deadline, () -> ending.get() != null || (crashSeen.get() && !config.multiBoot()));
        if (at < 0 && crashSeen.get() && ending.get() == null && !config.multiBoot()) {
            // the settle thread ends the machine once the crash text is complete
            console.awaitUntil(System.nanoTime() + config.crashSettle.toNanos() * 8, () -> ending.get() != null);
        }
        long waited = (System.nanoTime() - start) / 1_000_000;
        if (at >= 0) {
            cursor = at;
            emit(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_EXPECT_MET", "marker", marker, "waited_ms", Long.toString(waited)));
            return new Awaited(marker, true, waited, null);
        }
        return new Awaited(marker, false, waited, ending.get());
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
        return (System.nanoTime() - bootNanos) / 1_000_000;
    }

    /** The QMP connection, for commands the harness does not wrap. */
    public QmpClient qmp() {
        return qmp;
    }

    /** Writes a line to the guest's console input (queued; never blocks the caller). */
    public void sendLine(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        consoleWriter.execute(() -> {
            try {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining() && serial.isOpen()) {
                    serial.write(b);
                }
            } catch (IOException e) {
                // QEMU gone: the exit watcher reports it; nothing to add here
            }
        });
    }

    /** QEMU's stderr so far (bounded to 8 KiB), for reports. */
    public String qemuStderr() {
        try {
            byte[] b = Files.readAllBytes(dir.resolve("qemu.stderr"));
            int from = Math.max(0, b.length - 8192);
            return new String(b, from, b.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Ends the watch with this outcome unless it has already ended; the first caller wins.
     *
     * @return whether this call set the ending
     */
    boolean end(Outcome outcome, String reason) {
        Ending e = new Ending(outcome, reason, System.nanoTime());
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

    Process process() {
        return process;
    }

    private void readConsole() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            while (true) {
                buf.clear();
                int n = serial.read(buf);
                if (n < 0) {
                    return;
                }
                byte[] a = buf.array();
                if (config.echo != null) {
                    writeQuietly(config.echo, a, n);
                }
                if (serialLog != null) {
                    writeQuietly(serialLog, a, n);
                }
                console.accept(a, 0, n);
            }
        } catch (IOException e) {
            // socket closed: QEMU exited or the machine is closing
        } finally {
            console.wake();
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
        List<KernelCrash> done;
        synchronized (scanner) {
            try {
                done = scanner.accept(line.text());
            } catch (RuntimeException e) {
                done = List.of(); // a scanner bug must not end the watch; the pvpanic path remains
            }
        }
        if (!done.isEmpty()) {
            crashes.addAll(done);
            // the scanner completes a crash at "---[ end Kernel panic" (or after the oops text
            // ends): the crash text is whole, so the settle wait is only a formality
            crashSuspected("console");
        }
    }

    /**
     * The kernel crashes read from the console so far, oldest first. After {@link #close()}
     * this includes a crash whose text was still open when the console ended.
     */
    public List<KernelCrash> crashes() {
        return List.copyOf(crashes);
    }

    private void onQmpEvent(QmpEvent e) {
        qmpEvents.add(e);
        if ("RESET".equals(e.name())) {
            bootStarts.add(console.position());
            int n = bootStarts.size();
            emit(HarnessEvent.of(Level.NOTICE, "RAYOS_HARNESS_REBOOT", "boot", Integer.toString(n)));
            if (n > config.boots) {
                end(Outcome.QEMU_EXITED, "reset: boot " + n + " would start, beyond --boots " + config.boots);
            }
            console.wake();
        }
        emit(HarnessEvent.of("GUEST_PANICKED".equals(e.name()) ? Level.CRIT : Level.NOTICE, "RAYOS_HARNESS_QMP_EVENT", "event", e.name()));
        if ("GUEST_PANICKED".equals(e.name())) {
            crashSuspected("guest_panicked");
        }
    }

    private void onPresentation(String state) {
        presentation = state;
        emit(HarnessEvent.of(Level.INFO, "RAYOS_PRESENTATION", "state", state));
    }

    /**
     * A crash began. The run ends as crashed once the console has been quiet for the settle
     * time (the kernel prints its registers and trace after the panic line, and the crash
     * report wants all of it), or after eight settle times at most.
     */
    private void crashSuspected(String source) {
        if (config.multiBoot()) {
            // the guest is expected to reboot (panic=-1) and boot on: the crash is recorded, the
            // run goes on; its report is written when the run ends
            emit(HarnessEvent.of(Level.CRIT, "RAYOS_HARNESS_CRASH_SEEN", "boot", Integer.toString(bootStarts.size()),
                    "source", source));
            return;
        }
        if (!crashSeen.compareAndSet(false, true)) {
            return;
        }
        console.wake();
        Thread settle = new Thread(() -> {
            long settleNs = config.crashSettle.toNanos();
            long hardStop = System.nanoTime() + settleNs * 8;
            while (System.nanoTime() < hardStop && System.nanoTime() - console.lastOutputNanos() < settleNs) {
                sleepQuietly(50);
            }
            end(Outcome.CRASHED, "source=" + source);
        }, "crash-settle");
        settle.setDaemon(true);
        settle.start();
    }

    private void onQemuExit() {
        LIVE.remove(process);
        if (!closing.get()) {
            // Read the console to its end before judging: a guest with panic=-1 prints its panic and
            // reboots at once, and under -no-reboot QEMU exits right after. The panic must win.
            try {
                if (reader != null) {
                    reader.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<KernelCrash> open;
            synchronized (scanner) {
                open = scanner.finish();
            }
            crashes.addAll(open);
            if (!crashes.isEmpty() || crashSeen.get()) {
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
        closing.set(true);
        if (watchdog != null) {
            watchdog.stop();
        }
        if (process.isAlive()) {
            stopProcess(config.grace);
        }
        LIVE.remove(process);
        consoleWriter.shutdownNow();
        if (qmp != null) {
            qmp.close();
        }
        try {
            if (serial != null) {
                serial.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
        synchronized (scanner) {
            crashes.addAll(scanner.finish());
        }
        if (serialLog != null) {
            try {
                serialLog.close();
            } catch (IOException ignored) {
                // the log is best effort; the transcript is still in memory
            }
        }
        deleteTree(dir);
    }

    /**
     * The force-quit ladder. Each step waits {@code grace} for the process to go.
     *
     * @return the step that ended QEMU: {@code quit}, {@code sigterm} or {@code sigkill}
     */
    String stopProcess(Duration grace) {
        closing.set(true); // the exit that follows is ours, not the guest's
        if (qmp != null && qmp.isOpen()) {
            qmp.send("quit", Map.of()); // no wait on the reply: a hung QEMU never sends it
            if (waitExit(grace)) {
                return "quit";
            }
        }
        process.destroy(); // SIGTERM; a SIGSTOPped process only gets it once continued
        if (waitExit(grace)) {
            return "sigterm";
        }
        process.destroyForcibly(); // SIGKILL works on a stopped process too
        waitExit(grace.multipliedBy(5));
        return "sigkill";
    }

    private boolean waitExit(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void writeQuietly(OutputStream out, byte[] a, int n) {
        try {
            out.write(a, 0, n);
            out.flush();
        } catch (IOException ignored) {
            // echo and serial log are conveniences; the watch goes on without them
        }
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
