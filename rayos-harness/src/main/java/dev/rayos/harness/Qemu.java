package dev.rayos.harness;

import dev.rayos.harness.qmp.QmpClient;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The QEMU process of one {@link Machine}: started paused, with its serial and QMP sockets in a
 * fresh directory of its own, and stopped by the force-quit ladder (QMP {@code quit}, SIGTERM,
 * SIGKILL, a grace period each). It is never left behind: a JVM shutdown hook kills any QEMU still
 * running, so an interrupted harness leaks no process either. Once {@link #stop} has begun, the
 * exit that follows is ours, not the guest's ({@link #stopping()}), which the machine's exit
 * watcher needs to tell apart.
 */
final class Qemu {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "rayos-harness-qemu-reaper"));
    }

    private final Path dir;
    private final Process process;
    private final AtomicBoolean stopping = new AtomicBoolean();

    private Qemu(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /**
     * Starts QEMU for {@code config} with its sockets in a new directory.
     *
     * @throws MachineStartException the directory, the UEFI variable store or the process could
     *                               not be made (nothing is left behind)
     */
    static Qemu start(MachineConfig config) throws MachineStartException {
        Path dir;
        try {
            // sun_path holds 108 bytes: keep socket paths short, whatever java.io.tmpdir is
            dir = Files.createTempDirectory(Path.of("/tmp"), "rayos-h");
        } catch (IOException e) {
            throw new MachineStartException("cannot create the socket directory: " + e.getMessage(), "", e);
        }
        Path vars = dir.resolve("OVMF_VARS.fd");
        if (config.uefi) {
            try {
                Files.copy(MachineConfig.OVMF_VARS, vars); // a fresh variable store for every run
            } catch (IOException e) {
                deleteTree(dir);
                throw new MachineStartException("cannot copy the UEFI variable store: " + e.getMessage(), "", e);
            }
        }
        List<String> cmd = config.commandLine(dir.resolve("serial.sock"), dir.resolve("qmp.sock"), vars);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(dir.resolve("qemu.stdout").toFile())
                    .redirectError(dir.resolve("qemu.stderr").toFile())
                    .start();
            p.getOutputStream().close();
        } catch (IOException e) {
            deleteTree(dir);
            throw new MachineStartException("cannot run " + config.qemu + ": " + e.getMessage(), "", e);
        }
        LIVE.add(p);
        return new Qemu(dir, p);
    }

    Path serialSocket() {
        return dir.resolve("serial.sock");
    }

    Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    Process process() {
        return process;
    }

    /** Waits until QEMU has opened both sockets. */
    void awaitSockets(Duration timeout, LogClock clock) throws IOException {
        long deadline = clock.monoNanos() + timeout.toNanos();
        while (!(Files.exists(serialSocket()) && Files.exists(qmpSocket()))) {
            if (!process.isAlive()) {
                throw new IOException("qemu exited with status " + process.exitValue());
            }
            if (clock.monoNanos() > deadline) {
                throw new IOException("qemu opened no sockets within " + timeout.toMillis() + " ms");
            }
            Machine.sleepQuietly(10);
        }
    }

    /** Whether {@link #stop} or {@link #markStopping} has come: an exit now is ours. */
    boolean stopping() {
        return stopping.get();
    }

    void markStopping() {
        stopping.set(true);
    }

    /** The process is gone: the shutdown hook need not kill it. */
    void exited() {
        LIVE.remove(process);
    }

    /**
     * The force-quit ladder. Each step waits {@code grace} for the process to go.
     *
     * @return the step that ended QEMU: {@code quit}, {@code sigterm} or {@code sigkill}
     */
    String stop(Duration grace, QmpClient qmp) {
        stopping.set(true); // the exit that follows is ours, not the guest's
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

    /** QEMU's stderr so far (bounded to 8 KiB), for reports. */
    String stderr() {
        try {
            byte[] b = Files.readAllBytes(dir.resolve("qemu.stderr"));
            int from = Math.max(0, b.length - 8192);
            return new String(b, from, b.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Removes the socket directory (after the process is gone). */
    void deleteDirectory() {
        deleteTree(dir);
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
