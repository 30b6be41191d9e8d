package dev.rayos.harness;

import dev.rayos.log.crash.KernelCrash;
import dev.rayos.log.crash.KernelCrashScanner;
import dev.rayos.log.line.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A {@link Machine}'s crash detection: the console lines go through the crash library's
 * {@link KernelCrashScanner}, and a crash seen there or signalled by QEMU ({@code GUEST_PANICKED})
 * ends the run as {@link Outcome#CRASHED} once the console has settled, since the kernel prints its
 * registers and trace after the panic line and the crash report wants all of it. A run that expects
 * reboots ({@code --boots} over 1) records the crash and goes on instead. The scanner is not
 * thread-safe: the console reader feeds it, the exit watcher and close finish it, under its lock.
 */
final class CrashWatch {
    private final KernelCrashScanner scanner = new KernelCrashScanner();
    private final List<KernelCrash> crashes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean seen = new AtomicBoolean();
    private final MachineConfig config;
    private final Console console;
    private final IntSupplier boots;
    private final Consumer<HarnessEvent> emit;
    private final BiConsumer<Outcome, String> end;

    CrashWatch(MachineConfig config, Console console, IntSupplier boots, Consumer<HarnessEvent> emit, BiConsumer<Outcome, String> end) {
        this.config = config;
        this.console = console;
        this.boots = boots;
        this.emit = emit;
        this.end = end;
    }

    /** Scans one console line; a crash whose text it completes is suspected at once. */
    void onLine(String text) {
        List<KernelCrash> done;
        synchronized (scanner) {
            try {
                done = scanner.accept(text);
            } catch (RuntimeException e) {
                done = List.of(); // a scanner bug must not end the watch; the pvpanic path remains
            }
        }
        if (!done.isEmpty()) {
            crashes.addAll(done);
            // the scanner completes a crash at "---[ end Kernel panic" (or after the oops text
            // ends): the crash text is whole, so the settle wait is only a formality
            suspected("console");
        }
    }

    /**
     * A crash began. The run ends as crashed once the console has been quiet for the settle
     * time, or after eight settle times at most.
     */
    void suspected(String source) {
        if (config.multiBoot()) {
            // the guest is expected to reboot (panic=-1) and boot on: the crash is recorded, the
            // run goes on; its report is written when the run ends
            emit.accept(HarnessEvent.of(Level.CRIT, "RAYOS_HARNESS_CRASH_SEEN", "boot", Integer.toString(boots.getAsInt()),
                    "source", source));
            return;
        }
        if (!seen.compareAndSet(false, true)) {
            return;
        }
        console.wake();
        Thread settle = new Thread(() -> {
            long settleNs = config.crashSettle.toNanos();
            long hardStop = config.clock.monoNanos() + settleNs * 8;
            while (config.clock.monoNanos() < hardStop && config.clock.monoNanos() - console.lastOutputNanos() < settleNs) {
                Machine.sleepQuietly(50);
            }
            end.accept(Outcome.CRASHED, "source=" + source);
        }, "crash-settle");
        settle.setDaemon(true);
        settle.start();
    }

    /** Whether a crash has been suspected (in a run of one boot). */
    boolean seen() {
        return seen.get();
    }

    /** The console has ended: a crash whose text was still open is taken as it is. */
    void finish() {
        synchronized (scanner) {
            crashes.addAll(scanner.finish());
        }
    }

    /** The kernel crashes read so far, oldest first. */
    List<KernelCrash> crashes() {
        return List.copyOf(crashes);
    }
}
