package dev.rayos.machine.agent;

import dev.rayos.log.Logger;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The boot watchdog (spec §4.3): if {@code RAYOS_READY} is not reached within
 * {@code boot.ready_timeout} of power-on, the machine resets, whatever hangs.
 *
 * <p>With a hardware watchdog ({@code /dev/watchdog}, QEMU's i6300esb) the agent opens the device
 * and writes to it every third of its heartbeat until the deadline, then stops: the device resets
 * the machine one heartbeat later, even if the agent, a component or the kernel is hung, because
 * nothing feeds it any more. Once ready, the agent writes the magic {@code V} and closes the device,
 * which disarms it. Without a device it falls back to a timer in the agent that asks the kernel to
 * reboot ({@code sysrq b}); that covers a hung component, not a hung agent, and the log says so.
 *
 * <p>The deadline is on CLOCK_MONOTONIC, which counts from the kernel's start, so the firmware
 * and JVM start-up count against it too.
 */
final class BootWatchdog implements AutoCloseable {
    private final Logger log;
    private final MachinePaths paths;
    private final long deadlineNanos;
    private final LongSupplier mono;
    private final Runnable onExpired;
    private final Object lock = new Object();
    private FileOutputStream device;
    private boolean done;
    private Thread thread;

    private BootWatchdog(Logger log, MachinePaths paths, long deadlineNanos, LongSupplier mono, Runnable onExpired) {
        this.onExpired = onExpired;
        this.log = log;
        this.paths = paths;
        this.deadlineNanos = deadlineNanos;
        this.mono = mono;
    }

    /**
     * Opens the device (or starts the software timer) with a deadline on CLOCK_MONOTONIC;
     * {@code onExpired} runs when the deadline passes, before the reset.
     */
    static BootWatchdog arm(Logger log, MachinePaths paths, long deadlineNanos, LongSupplier mono, Runnable onExpired) {
        BootWatchdog w = new BootWatchdog(log, paths, deadlineNanos, mono, onExpired);
        w.start();
        return w;
    }

    private void start() {
        long leftMs = Math.max(0, (deadlineNanos - mono.getAsLong()) / 1_000_000);
        int heartbeat = heartbeat();
        Path dev = paths.watchdog();
        if (Files.exists(dev) && !Files.isRegularFile(dev)) {
            try {
                device = new FileOutputStream(dev.toFile());
                log.notice("RAYOS_WATCHDOG_ARMED").kv("kind", "hardware").kv("device", dev.toString())
                        .kv("heartbeat_s", heartbeat).kv("ready_within_ms", leftMs).log();
                thread = new Thread(() -> feed(heartbeat), "boot-watchdog");
            } catch (IOException e) {
                log.warn("RAYOS_WATCHDOG_FALLBACK").kv("device", dev.toString()).kv("error", String.valueOf(e.getMessage())).log();
            }
        }
        if (thread == null) {
            log.warn("RAYOS_WATCHDOG_ARMED").kv("kind", "software").kv("ready_within_ms", leftMs)
                    .kv("note", "no watchdog device: a hung agent is not reset").log();
            thread = new Thread(this::softwareTimer, "boot-watchdog");
        }
        thread.setDaemon(true);
        thread.start();
    }

    private void feed(int heartbeat) {
        long period = Math.max(200, heartbeat * 1000L / 3);
        while (true) {
            synchronized (lock) {
                if (done) {
                    return;
                }
                if (mono.getAsLong() >= deadlineNanos) {
                    expired("hardware");
                    return; // stop feeding: the device resets the machine one heartbeat from now
                }
                try {
                    device.write('k');
                    device.flush();
                } catch (IOException e) {
                    log.error("RAYOS_WATCHDOG_FEED_FAILED").kv("error", String.valueOf(e.getMessage())).log();
                }
                try {
                    lock.wait(period);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void softwareTimer() {
        synchronized (lock) {
            while (!done && mono.getAsLong() < deadlineNanos) {
                try {
                    lock.wait(Math.max(1, (deadlineNanos - mono.getAsLong()) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (done) {
                return;
            }
            expired("software");
            try {
                Files.write(paths.sysrq(), "b".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                log.crit("RAYOS_WATCHDOG_REBOOT_FAILED").kv("error", String.valueOf(e.getMessage())).log();
            }
        }
    }

    private void expired(String kind) {
        // CRIT is fsync'd before the call returns: the next boot reads why this one ended
        log.crit("RAYOS_BOOT_WATCHDOG_EXPIRED").kv("kind", kind).log();
        onExpired.run(); // the history says why, before the reset
    }

    /** Whether the deadline passed (the machine is about to be reset). */
    boolean expired() {
        return mono.getAsLong() >= deadlineNanos;
    }

    /** The boot is ready: disarm (magic close) and stop the timer. */
    void disarm() {
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            lock.notifyAll();
            if (device != null) {
                try {
                    device.write('V');
                    device.close();
                    log.notice("RAYOS_WATCHDOG_DISARMED").kv("kind", "hardware").log();
                } catch (IOException e) {
                    log.error("RAYOS_WATCHDOG_DISARM_FAILED").kv("error", String.valueOf(e.getMessage())).log();
                }
            } else {
                log.notice("RAYOS_WATCHDOG_DISARMED").kv("kind", "software").log();
            }
        }
    }

    /** Stops the timer without disarming the device: the machine is going down anyway. */
    @Override
    public void close() {
        synchronized (lock) {
            done = true;
            lock.notifyAll();
        }
    }

    private int heartbeat() {
        try {
            return Integer.parseInt(Files.readString(paths.watchdogTimeout()).strip());
        } catch (IOException | NumberFormatException e) {
            return 30; // the i6300esb driver's default
        }
    }
}
