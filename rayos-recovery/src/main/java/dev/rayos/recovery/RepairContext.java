package dev.rayos.recovery;

import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RingRecovery;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Check} repairs through: the root, the options, and {@link #change}, the one way a
 * check changes anything (so a dry run changes nothing, and every change is logged and reported).
 */
public final class RepairContext {
    /** One change's work. */
    @FunctionalInterface
    public interface Work {
        void run() throws IOException;
    }

    private final RootLayout layout;
    private final Repair.Options options;
    private final Report report;
    private final ActionLog log;
    private final SafeTree tree;
    private String check = "";
    /** A dry run's plan of what the real run changes that later checks read (null: as on disk). */
    private Optional<BootId> plannedCurrent;
    private BootId plannedLog;
    private final Map<BootId, Long> renumbered = new HashMap<>();
    /** Stands for the recovery boot a real run would start for its log. */
    private static final BootId NEW_BOOT = new BootId("f".repeat(32));

    RepairContext(RootLayout layout, Repair.Options options, Report report, ActionLog log) {
        this.layout = layout;
        this.options = options;
        this.report = report;
        this.log = log;
        this.tree = new SafeTree(layout);
    }

    public RootLayout layout() {
        return layout;
    }

    public boolean dryRun() {
        return options.dryRun();
    }

    /** True when the user allowed answering yes to a checker's questions ({@code e2fsck -y}). */
    public boolean yes() {
        return options.yes();
    }

    /** The data device given with {@code --device}, or null. */
    public String device() {
        return options.device();
    }

    void check(String name) {
        this.check = name;
    }

    /**
     * Makes one change: in a dry run it is only reported as planned; otherwise {@code work} runs,
     * and the change is logged ({@code RAYOS_RECOVERY_ACTION action=repair-<action>}) and reported,
     * done or failed.
     *
     * @param action what kind of change ({@code quarantine}, {@code rewrite}, {@code truncate} …)
     * @param path   what it changes, relative to the root (or a device name)
     * @param detail why, for a person
     * @return true when the change was made
     */
    public boolean change(String action, String path, String detail, Work work) {
        if (dryRun()) {
            report.add(new Report.Change(action, path, detail, Report.Result.PLANNED));
            return false;
        }
        try {
            work.run();
        } catch (IOException | RuntimeException e) {
            String why = detail + " (" + e.getMessage() + ")";
            report.add(new Report.Change(action, path, why, Report.Result.FAILED));
            log.action("repair-" + action, "failed", "check", check, "path", path, "detail", why);
            return false;
        }
        report.add(new Report.Change(action, path, detail, Report.Result.DONE));
        log.action("repair-" + action, "done", "check", check, "path", path, "detail", detail);
        return true;
    }

    /**
     * {@link #change} for work done through {@code view}, which in a dry run is a model of the files
     * ({@link LogDir#planned}): there the work runs too, changing only the model, so the check's later
     * steps see what the real run's would, and the dry run lists exactly the real run's changes.
     *
     * @return true when the change was made (in a dry run: planned)
     */
    boolean changeIn(LogDir view, String action, String path, String detail, Work work) {
        if (view.model() != dryRun()) {
            throw new IllegalStateException("a " + (dryRun() ? "dry run" : "real run") + " given the "
                    + (view.model() ? "model" : "disk") + " of " + view.dir);
        }
        if (!dryRun()) {
            return change(action, path, detail, work);
        }
        try {
            work.run();
        } catch (IOException | RuntimeException e) {
            report.add(new Report.Change(action, path, detail + " (" + e.getMessage() + ")", Report.Result.FAILED));
            return false;
        }
        report.add(new Report.Change(action, path, detail, Report.Result.PLANNED));
        return true;
    }

    /**
     * The current boot: in a dry run as the real run would have left it by now (a planned rewrite of
     * {@code current_boot_id}, the boot its own log was started in), else as on disk.
     */
    Optional<BootId> currentBoot() throws IOException {
        if (dryRun() && plannedCurrent != null) {
            return plannedCurrent;
        }
        return new Boots(layout, LogClock.system()).current();
    }

    /** A dry run's {@code current_boot_id} as the real run leaves it (empty: removed). */
    void planCurrent(Optional<BootId> boot) {
        if (dryRun()) {
            plannedCurrent = boot;
        }
    }

    /** The sequence number a boot has once the history check renumbered it (as planned, in a dry run). */
    long seqOf(BootRecord r) {
        return renumbered.getOrDefault(r.id(), r.seq());
    }

    void renumber(BootId boot, long seq) {
        renumbered.put(boot, seq);
    }

    /**
     * In a dry run, the boot the real run's log would be writing into by now, once a check opened it
     * ({@link #openLog}): the current boot when its history is readable, else a new recovery boot
     * (standing in for the one the real run starts, whose id is not known before).
     */
    Optional<BootId> plannedLogBoot() {
        return Optional.ofNullable(plannedLog);
    }

    /**
     * True in a dry run when the real run's log would have written an event by now: it is open
     * ({@link #plannedLogBoot}) and a change or a problem was reported (each is an event; held ones
     * are written when it opens).
     */
    boolean plannedLogWritten() {
        return plannedLog != null && (!report.changes().isEmpty() || !report.unresolved().isEmpty());
    }

    /**
     * Moves {@code file} (a file, a link, a directory) that could not be parsed to
     * {@code var/rayos/recovery/quarantine/<its path>}: nothing repair cannot read is deleted.
     */
    public boolean quarantine(Path file, String why) {
        Path rel = tree.rel(file);
        return change("quarantine", rel.toString(), why + "; kept in " + layout.relative(layout.quarantineDir()),
                () -> tree.move(file, layout.quarantineDir().resolve(rel.toString())));
    }

    /** Keeps bytes that are cut off a file (a torn line) in the quarantine, as {@code <path><suffix>}. */
    void keepInQuarantine(Path file, String suffix, byte[] bytes) throws IOException {
        Path rel = tree.rel(file);
        Path target = layout.quarantineDir().resolve(rel + suffix);
        Path dir = tree.dir(tree.rel(target.getParent()));
        Path free = dir.resolve(target.getFileName().toString());
        for (int n = 1; java.nio.file.Files.exists(free, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            free = dir.resolve(target.getFileName() + "." + n);
        }
        dev.rayos.log.root.AtomicFiles.write(free, bytes);
    }

    /** A problem found and left as it is (it needs a person, or an option like {@code --yes}). */
    public void unresolved(String what) {
        report.unresolved(check + ": " + what);
        if (!dryRun()) {
            log.action("repair-unresolved", "failed", "check", check, "detail", what);
        }
    }

    /** Something worth saying that is no change (a check skipped, and why). */
    public void note(String what) {
        report.note(check + ": " + what);
    }

    /**
     * Opens the action log for the current boot (or a new recovery boot); the log system's start
     * writes out rings of dead processes first, which is the rings check's repair.
     */
    List<RingRecovery.Outcome> openLog() throws IOException {
        if (dryRun()) {
            if (plannedLog == null) {
                plannedLog = currentBoot().filter(this::readable).orElse(NEW_BOOT);
                plannedCurrent = Optional.of(plannedLog);
            }
            return List.of();
        }
        if (log.isOpen()) {
            return List.of();
        }
        BootId boot = ActionLog.currentOrNewRecoveryBoot(layout);
        return log.open(boot);
    }

    /** What the log system's start did with crash reports found in rings. */
    List<dev.rayos.log.crash.CrashRecords.Result> crashWriteOuts() {
        return log.crashWriteOuts();
    }

    /** Events are held while a check holds a lock the log's writer needs; see {@link ActionLog#hold}. */
    void holdLog() {
        log.hold();
    }

    void releaseLog() {
        log.release();
    }

    private boolean readable(BootId id) {
        try {
            new Boots(layout, LogClock.system()).read(id);
            return true;
        } catch (IOException | BootHistoryException e) {
            return false;
        }
    }

    SafeTree tree() {
        return tree;
    }

    /** Reports a change the log system's start made (it is not made through {@link #change}). */
    void made(String action, String path, String detail, boolean failed) {
        report.add(new Report.Change(action, path, detail, failed ? Report.Result.FAILED : Report.Result.DONE));
        log.action("repair-" + action, failed ? "failed" : "done", "check", check, "path", path, "detail", detail);
    }
}
