package dev.rayos.recovery;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code rayos factory-reset}: returns the machine to its first-boot state, journaled.
 *
 * <p>The plan (mode, the boot running the reset, the step names) is written whole to
 * {@code var/rayos/recovery/factory-reset.journal} before anything is touched; each step done is
 * appended and fsync'd ({@link ResetJournal}). Killed anywhere (SIGKILL, power loss), the reset
 * finishes when run again, or at the next boot: the boot agent calls {@link #resumeIfJournaled}
 * before it starts the boot, so a half-reset machine never boots normally. The journal goes last.
 *
 * <p>Both modes keep the crash reports and the log of the boot that ran the reset, under
 * {@code var/rayos/crash/preserved/}; {@link Mode#PRESERVE_VM_DISKS} also keeps each VM's disks
 * (and nothing else of the VM). Nothing outside the root is touched: links are removed, never
 * followed ({@link SafeTree}).
 *
 * <p>The plan is a list of {@link Step}s: another part (the boot entries) adds its own.
 */
public final class FactoryReset {
    /** What a reset keeps. */
    public enum Mode {
        PRESERVE_VM_DISKS("preserve-vm-disks"),
        WIPE_ALL("wipe-all");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Mode byId(String id) {
            for (Mode m : values()) {
                if (m.id.equals(id)) {
                    return m;
                }
            }
            return null;
        }
    }

    /** One step of the plan. It must be idempotent: it may run again after being cut off anywhere. */
    public interface Step {
        /** Its name in the journal: {@code [a-z][a-z0-9-]*}. */
        String name();

        void run(ResetContext ctx) throws IOException;
    }

    /** Told of progress (the console shows it; the kill tests stop the process at each point). */
    public interface Progress {
        default void stepStarting(String step) throws IOException {}

        default void stepDone(String step) throws IOException {}

        /** An entry was removed (relative to the root). */
        default void removed(Path relative) throws IOException {}

        Progress NONE = new Progress() {};
    }

    /** A journal that cannot be read: the reset it records cannot be finished automatically. */
    public static final class JournalDamaged extends IOException {
        JournalDamaged(String message) {
            super(message);
        }
    }

    private final RootLayout layout;
    private final List<Step> known;
    private final Progress progress;

    /** A reset of the machine at {@code layout} with the standard steps plus {@code extra}. */
    public FactoryReset(RootLayout layout, List<Step> extra, Progress progress) {
        this.layout = layout;
        this.known = new ArrayList<>(ResetSteps.known());
        this.known.addAll(extra);
        this.progress = progress;
    }

    /** The standard steps of {@code mode}, in order. */
    public static List<Step> standardSteps(Mode mode) {
        return ResetSteps.standard(mode);
    }

    /**
     * The boot agent's entry: when a reset's journal is present, finishes that reset (before the
     * boot starts); else does nothing.
     *
     * @return the report of the finished reset, empty when there was none
     * @throws JournalDamaged when the journal cannot be read (the machine should not boot normally)
     */
    public static Optional<Report> resumeIfJournaled(Path root) throws IOException {
        return new FactoryReset(new RootLayout(root), List.of(), Progress.NONE).resume();
    }

    /** True when a reset was begun and has not finished. */
    public static boolean pending(RootLayout layout) {
        return Files.exists(layout.resetJournal(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Finishes a journaled reset, if there is one. */
    public Optional<Report> resume() throws IOException {
        Optional<ResetJournal.State> st = readJournal();
        if (st.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(execute(st.get(), true));
    }

    /**
     * Runs a reset in {@code mode} with {@code steps} (usually {@link #standardSteps} and what
     * other parts add). A reset already journaled is finished first; when it was of another mode,
     * this one runs after it.
     */
    public Report run(Mode mode, List<Step> steps) throws IOException {
        new SafeTree(layout).existingDir(new SafeTree(layout).rel(layout.dataDir())); // var/rayos a link: refuse
        Optional<ResetJournal.State> st;
        try {
            st = readJournal();
        } catch (JournalDamaged damaged) {
            // The user asked for a reset: a journal no one can read must not stop it. It is kept
            // with the crash reports, as evidence of what went wrong.
            SafeTree tree = new SafeTree(layout);
            tree.move(layout.resetJournal(), layout.crashPreservedDir().resolve("factory-reset.journal.damaged"));
            st = Optional.empty();
        }
        if (st.isPresent()) {
            Report r = execute(st.get(), true);
            if (st.get().mode() == mode) {
                return r;
            }
        }
        BootId boot;
        ActionLog log = new ActionLog(layout);
        boot = ActionLog.currentOrNewRecoveryBoot(layout);
        List<String> names = new ArrayList<>();
        for (Step s : steps) {
            names.add(s.name());
        }
        // Opening the log first writes out rings of dead processes, so their lines land in logs
        // the plan then wipes, not after it.
        log.open(boot);
        log.action("factory-reset", "started", "mode", mode.id(), "steps", String.join(",", names));
        SafeTree tree = new SafeTree(layout);
        tree.dir(tree.rel(layout.recoveryDir()));
        AtomicFiles.write(layout.resetJournal(), ResetJournal.plan(mode, boot, names));
        return execute(new ResetJournal.State(mode, boot, List.copyOf(names), 0), false, log);
    }

    private Optional<ResetJournal.State> readJournal() throws IOException {
        Path j = layout.resetJournal();
        byte[] bytes;
        try {
            if (!Files.isRegularFile(j, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(j, LinkOption.NOFOLLOW_LINKS)) {
                    throw new JournalDamaged(layout.relative(j) + " is not a regular file");
                }
                return Optional.empty();
            }
            if (Files.size(j) > ResetJournal.MAX_BYTES) {
                throw new JournalDamaged(layout.relative(j) + ": larger than " + ResetJournal.MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(j);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        try {
            return Optional.of(ResetJournal.parse(bytes));
        } catch (ResetJournal.JournalException e) {
            throw new JournalDamaged(layout.relative(j) + ": " + e.getMessage());
        }
    }

    private Report execute(ResetJournal.State st, boolean resumed) throws IOException {
        ActionLog log = new ActionLog(layout);
        if (!st.remaining().isEmpty()) {
            log.open(st.boot());
            log.action("factory-reset", "resumed", "mode", st.mode().id(), "done", Integer.toString(st.done()),
                    "steps", Integer.toString(st.steps().size()));
        }
        return execute(st, resumed, log);
    }

    private Report execute(ResetJournal.State st, boolean resumed, ActionLog log) throws IOException {
        Report report = new Report(false);
        if (resumed) {
            report.note("finishing the " + st.mode().id() + " reset begun by boot " + st.boot() + " ("
                    + st.done() + " of " + st.steps().size() + " steps were done)");
        }
        ResetContext ctx = new ResetContext(layout, st.mode(), st.boot(), report, log, progress);
        try (log) {
            for (String name : st.remaining()) {
                Step step = find(name);
                progress.stepStarting(name);
                try {
                    step.run(ctx);
                } catch (IOException | RuntimeException e) {
                    ctx.action("factory-reset-step", "failed", "step", name, "error", String.valueOf(e.getMessage()));
                    throw e;
                }
                appendDone(name);
                ctx.action("factory-reset-step", "done", "step", name);
                progress.stepDone(name);
            }
        }
        Files.deleteIfExists(layout.resetJournal());
        AtomicFiles.syncDirectory(layout.recoveryDir());
        progress.stepDone("journal-removed");
        return report;
    }

    private Step find(String name) throws JournalDamaged {
        for (Step s : known) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new JournalDamaged("the journal names step '" + name + "', which this build does not know");
    }

    private void appendDone(String step) throws IOException {
        try (FileChannel ch = FileChannel.open(layout.resetJournal(), StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(ResetJournal.done(step));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }
}
