package dev.rayos.machine.agent;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.boot.FailureReason;
import dev.rayos.log.boot.LoaderState;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import dev.rayos.machine.entries.BootEntries;
import dev.rayos.machine.entries.DirectoryEsp;
import dev.rayos.machine.entries.EfiVars;
import dev.rayos.machine.entries.EntryException;
import dev.rayos.machine.entries.EntryName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * {@code rayos agent}: the one long-lived JVM of a RayOS boot ({@code docs/boot-and-recovery.md}).
 *
 * <p>It opens the boot (a new boot id and history; rings of the last boot written out), arms the
 * boot watchdog, reads back what happened to the previous boot (pstore, failure reason), records
 * which boot entry the boot manager started, then starts the components the mode allows. When all
 * are ready it logs {@code RAYOS_READY}, blesses the entry and disarms the watchdog, and stays up,
 * serving the machine's logging (the syslog socket, and forwarding to the policy's collector: {@link
 * MachineBridges}), until SIGTERM ends the boot cleanly. A component that fails before
 * ready ends the boot as a failed try ({@link AgentExit#REBOOT}). In recovery mode it starts no
 * components and no watchdog: it runs the recovery console.
 *
 * <p>One JVM for the whole boot because a JVM start costs about 11 s under TCG.
 */
public final class Agent {
    /**
     * The recovery console, run inside the agent's JVM in recovery mode. The agent's log system is
     * closed while it runs: the console and the commands it runs (repair, factory reset) open their
     * own, as commands do, and a process has one ring.
     */
    public interface RecoveryConsole {
        /** Runs until the person asks to reboot or power off; returns an {@link AgentExit} code. */
        int run() throws Exception;
    }

    private final RootLayout layout;
    private final MachinePaths paths;
    private final LogClock clock = LogClock.system();
    private final Boots boots;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private LogSystem sys;
    private BootRecord rec;
    private MachineBridges bridges;
    private volatile ComponentRunner runner;
    /** How long a component has to exit after SIGTERM when the boot ends, before SIGKILL. */
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    private Agent(RootLayout layout) {
        this.layout = layout;
        this.paths = new MachinePaths(layout.root());
        this.boots = new Boots(layout, clock);
    }

    /**
     * Runs the boot. Returns only when the boot ends by itself (failed, or recovery done); a
     * ready boot waits for SIGTERM, and the JVM's shutdown hook ends it.
     */
    public static int run(RootLayout layout, RecoveryConsole recovery) throws IOException, InterruptedException {
        return new Agent(layout).boot(recovery);
    }

    /** The boot mode on the kernel line of the machine at {@code root}. */
    public static BootMode mode(java.nio.file.Path root) {
        return mode(new MachinePaths(root));
    }

    /**
     * The boot mode: the one /init chose when it differs from the kernel line's (a recovery boot
     * because the data partition's check left errors), else the kernel line's
     * ({@code rayos.mode=...}), normal when absent or unknown.
     */
    static BootMode mode(MachinePaths paths) {
        try {
            return BootMode.parse(Files.readString(paths.modeOverride(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
            // no choice of /init's: the kernel line's
        }
        try {
            for (String w : Files.readString(paths.cmdline(), StandardCharsets.UTF_8).strip().split("\\s+")) {
                if (w.startsWith("rayos.mode=")) {
                    return BootMode.parse(w.substring("rayos.mode=".length()));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // no kernel line (a test root) or a mode we do not know: boot normally
        }
        return BootMode.NORMAL;
    }

    private int boot(RecoveryConsole recovery) throws IOException, InterruptedException {
        BootMode mode = mode(paths);
        Optional<BootId> prev = currentQuietly();
        rec = boots.start(mode, true);
        sys = LogSystem.builder(layout).boot(rec.id()).clock(clock).wallClockKnown(true)
                .onMarker(boots::recordMarker).open();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> end(EndState.CLEAN, "sigterm"), "agent-shutdown"));
        Logger log = sys.logger("agent");
        // where the boot's time went before the agent: the kernel (to /init), /init, the JVM's start
        log.notice("RAYOS_AGENT_START").kv("mode", mode.id()).kv("boot_id", rec.id().hex()).kv("seq", rec.seq())
                .kv("init_ms", uptimeMs(paths.root().resolve("run/rayos/init-uptime")))
                .kv("exec_ms", uptimeMs(paths.root().resolve("run/rayos/agent-exec-uptime")))
                .kv("uptime_ms", clock.monoNanos() / 1_000_000)
                // whether the JVM maps its classes from the image's AppCDS archive (HotSpot says "sharing")
                .kv("cds", String.valueOf(System.getProperty("java.vm.info", "")).contains("sharing") ? "on" : "off").log();
        DataCheck.log(sys, paths); // /init's e2fsck -p of the data partition, before it mounted it
        BootWatchdog wd = null;
        if (mode != BootMode.RECOVERY) {
            long deadline = kernelStartMono() + sys.policy().boot().readyTimeout().toNanos();
            wd = BootWatchdog.arm(log, paths, deadline, clock::monoNanos, () -> update(r -> r.withFailure(FailureReason.WATCHDOG)));
        }
        prev.ifPresent(p -> previous(log, p));
        LoaderState loader = loader(log);
        if (mode == BootMode.RECOVERY) {
            return recovery(recovery);
        }
        bridges = MachineBridges.start(sys, layout, log); // the syslog socket; forwarding when the policy names a target
        List<Component> components = components(log, mode);
        runner = new ComponentRunner(sys, log);
        ComponentRunner.Outcome o = runner.start(components, paths.componentDir(), mode.id());
        if (o == null) {
            o = runner.await();
        }
        if (!o.ready()) {
            log.error("RAYOS_BOOT_FAILED").kv("reason", "component").kv("component", o.failed()).kv("status", o.status()).log();
            update(r -> r.withFailure(FailureReason.NO_READY));
            wd.close();
            end(null, "failed");
            return AgentExit.REBOOT;
        }
        log.notice(Marker.READY).kv("mode", mode.id()).kv("components", components.size())
                .kv("uptime_ms", clock.monoNanos() / 1_000_000)
                // whether the JVM maps its classes from the image's AppCDS archive (HotSpot says "sharing")
                .kv("cds", String.valueOf(System.getProperty("java.vm.info", "")).contains("sharing") ? "on" : "off").log();
        if (loader != null && loader.counted() && mode == BootMode.NORMAL) {
            bless(log, loader);
        }
        wd.disarm();
        closed.await(); // until SIGTERM: the shutdown hook ends the boot
        return 0;
    }

    /**
     * CLOCK_MONOTONIC at the kernel's start: about 0 on the machine itself, but on a test root the
     * JVM's clock counts the host's uptime, so a deadline of N s from 0 has long passed; there
     * (no {@code <root>/proc/uptime}) the deadline counts from the agent's start instead.
     */
    private long kernelStartMono() {
        long now = clock.monoNanos();
        try {
            String first = Files.readString(paths.uptime(), StandardCharsets.US_ASCII).strip().split("\\s+")[0];
            long up = (long) (Double.parseDouble(first) * 1e9);
            return up >= 0 && up <= now ? now - up : now;
        } catch (IOException | RuntimeException e) {
            return now;
        }
    }

    private int recovery(RecoveryConsole console) throws IOException {
        synchronized (this) {
            sys.close();
            sys = null;
        }
        int exit;
        String error = null;
        try {
            exit = console.run();
        } catch (Exception e) {
            error = String.valueOf(e);
            exit = AgentExit.REBOOT;
        }
        synchronized (this) {
            if (ended.get()) {
                return exit; // SIGTERM ended the boot while the console ran
            }
            sys = reopen();
        }
        if (sys == null) {
            ended.set(true); // a factory reset removed this boot: the next boot is a first boot
            closed.countDown();
            return exit;
        }
        if (error != null) {
            sys.logger("agent").crit("RAYOS_RECOVERY_FAILED").kv("error", error).log();
        }
        end(EndState.CLEAN, "recovery");
        return exit;
    }

    /**
     * A log system for this boot again (after the recovery console); null when a factory reset
     * removed the boot's history: then nothing more is logged, so the next boot is a first boot.
     */
    private LogSystem reopen() throws IOException {
        try {
            rec = boots.read(rec.id());
        } catch (BootHistoryException | java.nio.file.NoSuchFileException e) {
            return null;
        }
        return LogSystem.builder(layout).boot(rec.id()).clock(clock).wallClockKnown(true).onMarker(boots::recordMarker).open();
    }

    private void previous(Logger log, BootId p) {
        try {
            boolean hw = Files.exists(paths.watchdog()) && !Files.isRegularFile(paths.watchdog());
            PreviousBoot.Judgement j = PreviousBoot.judge(layout, boots, p, paths, hw);
            BootRecord r = j.record();
            if (r == null) {
                log.warn("RAYOS_PREVIOUS_BOOT").kv("boot_id", p.hex()).kv("history", "unreadable").log();
                return;
            }
            var e = (r.failure() != null ? log.warn("RAYOS_PREVIOUS_BOOT") : log.info("RAYOS_PREVIOUS_BOOT"))
                    .kv("boot_id", p.hex()).kv("end", r.end().id()).kv("failed", r.failure() != null);
            if (r.failure() != null) {
                e.kv("reason", r.failure().id());
            }
            if (j.crashReport() != null) {
                e.kv("crash", layout.relative(j.crashReport())).kv("pstore_records", j.pstoreRecords());
            }
            e.log();
        } catch (IOException | RuntimeException e) {
            log.error("RAYOS_PREVIOUS_BOOT").kv("boot_id", p.hex()).kv("error", String.valueOf(e.getMessage())).log();
        }
    }

    private LoaderState loader(Logger log) {
        EfiVars vars = new EfiVars(paths.efivars());
        if (!vars.present()) {
            log.info("RAYOS_BOOT_ENTRY").kv("entry", "unknown").kv("why", "no EFI variables").log();
            return null;
        }
        try {
            Optional<String> sel = vars.get("LoaderEntrySelected");
            Optional<EntryName> n = sel.flatMap(EntryName::parse);
            if (n.isEmpty()) {
                log.info("RAYOS_BOOT_ENTRY").kv("entry", "unknown").kv("why", "LoaderEntrySelected not set").log();
                return null;
            }
            // LoaderEntrySelected names the file as it was before systemd-boot took this try off its
            // counter; the ESP holds it as it is now (rayos+3.conf became rayos+2-1.conf)
            EntryName now = n.get();
            try {
                now = new BootEntries(new DirectoryEsp(paths.esp())).find(n.get().base()).name();
            } catch (EntryException e) {
                log.warn("RAYOS_BOOT_ENTRY_NOT_ON_ESP").kv("entry", n.get().file()).kv("error", e.getMessage()).log();
            }
            LoaderState st = now.loaderState(false);
            update(r -> r.withLoader(st));
            var e = log.info("RAYOS_BOOT_ENTRY").kv("entry", st.entry());
            if (st.counted()) {
                e.kv("tries_left", st.triesLeft()).kv("tries_done", st.triesDone());
            }
            e.log();
            return st;
        } catch (EntryException e) {
            log.warn("RAYOS_BOOT_ENTRY").kv("entry", "unknown").kv("error", e.getMessage()).log();
            return null;
        }
    }

    private void bless(Logger log, LoaderState loader) {
        try {
            // the boot manager renamed the file before starting us: find it by its base name
            String base = EntryName.parse(loader.entry()).orElseThrow().base();
            EntryName good = new BootEntries(new DirectoryEsp(paths.esp())).bless(base);
            update(r -> r.withLoader(loader.blessed(true)));
            log.notice("RAYOS_BOOT_BLESSED").kv("entry", good.file()).kv("was", loader.entry()).log();
        } catch (EntryException | RuntimeException e) {
            log.error("RAYOS_BOOT_BLESS_FAILED").kv("entry", loader.entry()).kv("error", String.valueOf(e.getMessage())).log();
        }
    }

    private List<Component> components(Logger log, BootMode mode) {
        try {
            if (!Files.exists(paths.components())) {
                return List.of();
            }
            List<Component> all = Component.parseList(Files.readString(paths.components(), StandardCharsets.UTF_8));
            return mode == BootMode.SAFE ? all.stream().filter(Component::safe).toList() : all;
        } catch (IOException | IllegalArgumentException e) {
            log.error("RAYOS_COMPONENTS_INVALID").kv("error", String.valueOf(e.getMessage())).log();
            return List.of();
        }
    }

    private void update(UnaryOperator<BootRecord> change) {
        try {
            boots.update(rec.id(), change);
        } catch (IOException | BootHistoryException e) {
            sys.logger("agent").error("RAYOS_HISTORY_WRITE_FAILED").kv("error", String.valueOf(e.getMessage())).log();
        }
    }

    /** Ends the boot once: records the end state (null: leave it running, a failed try), closes logging. */
    private synchronized void end(EndState state, String why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (sys == null) {
            try {
                sys = reopen(); // SIGTERM while the recovery console had the log
            } catch (IOException e) {
                sys = null;
            }
            if (sys == null) {
                closed.countDown(); // no log to end it in (a factory reset removed it)
                return;
            }
        }
        if (runner != null) {
            runner.stop(STOP_GRACE); // while the log is open: their last lines and exit statuses are kept
        }
        if (bridges != null) {
            bridges.stopListening();
        }
        try {
            if (state != null) {
                sys.logger("agent").notice("RAYOS_SHUTDOWN").kv("why", why).log();
                boots.end(rec.id(), state);
            }
        } catch (IOException | BootHistoryException | RuntimeException e) {
            // the log system below still flushes what was logged
        } finally {
            if (bridges != null) {
                bridges.stopForwarding(); // after RAYOS_SHUTDOWN: the boot's last lines leave with it
            }
            try {
                sys.close();
            } catch (IOException e) {
                // nothing more can be written; what reached the ring is written out next boot
            }
            closed.countDown();
        }
    }

    /** A {@code /proc/uptime} reading /init saved, in milliseconds; -1 when absent (a test root). */
    private static long uptimeMs(java.nio.file.Path file) {
        try {
            return Math.round(Double.parseDouble(Files.readString(file).strip()) * 1000);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private Optional<BootId> currentQuietly() {
        try {
            return boots.current();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
