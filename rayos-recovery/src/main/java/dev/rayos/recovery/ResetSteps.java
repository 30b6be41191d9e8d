package dev.rayos.recovery;

import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The steps of a factory reset, in plan order. Each is idempotent: run again after being cut off
 * anywhere, it finishes its work and does nothing twice (moves find their sources gone, removals
 * find their entries gone).
 */
final class ResetSteps {
    private ResetSteps() {}

    static List<FactoryReset.Step> standard(FactoryReset.Mode mode) {
        List<FactoryReset.Step> s = new ArrayList<>();
        s.add(step("preserve-crash-reports", ResetSteps::preserveCrashReports));
        s.add(step("wipe-rings", ResetSteps::wipeRings));
        s.add(step("wipe-logs", ResetSteps::wipeLogs));
        s.add(step("wipe-history", ResetSteps::wipeHistory));
        s.add(mode == FactoryReset.Mode.WIPE_ALL ? step("wipe-vms", ResetSteps::wipeVms)
                : step("wipe-vm-state", ResetSteps::wipeVmState));
        s.add(step("wipe-other", ResetSteps::wipeOther));
        s.add(step("restore-boot-entries", ResetSteps::restoreBootEntries));
        s.add(step("preserve-reset-log", ResetSteps::preserveResetLog));
        return s;
    }

    /** Every step this build knows, by name (a journal names the steps of its plan). */
    static List<FactoryReset.Step> known() {
        List<FactoryReset.Step> all = new ArrayList<>(standard(FactoryReset.Mode.PRESERVE_VM_DISKS));
        all.add(step("wipe-vms", ResetSteps::wipeVms));
        return all;
    }

    private interface Work {
        void run(ResetContext ctx) throws IOException;
    }

    private static FactoryReset.Step step(String name, Work w) {
        return new FactoryReset.Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(ResetContext ctx) throws IOException {
                w.run(ctx);
            }
        };
    }

    private static Path rel(ResetContext ctx, Path abs) {
        return ctx.tree().rel(abs);
    }

    /**
     * The ESP's loader files back as the image installed them, the normal entry with its full tries,
     * so the next boot is a first boot of the normal entry. A machine without an ESP or a known-good
     * copy (in a directory) has none to restore. Idempotent: a rerun writes the same files again.
     */
    private static void restoreBootEntries(ResetContext ctx) throws IOException {
        dev.rayos.machine.agent.MachinePaths machine = new dev.rayos.machine.agent.MachinePaths(ctx.layout().root());
        Path esp = machine.esp();
        Path factory = machine.factoryEsp();
        if (!Files.isDirectory(esp, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(factory, LinkOption.NOFOLLOW_LINKS)) {
            ctx.action("restore-boot-entries", "skipped", "why", "no ESP or no known-good copy under the root");
            return;
        }
        try {
            for (String c : new dev.rayos.machine.entries.BootEntries(new dev.rayos.machine.entries.DirectoryEsp(esp))
                    .restore(factory, true)) {
                ctx.changed("restore-boot-entries", "efi/" + c.substring("restore ".length()), "as the image installed it");
            }
        } catch (dev.rayos.machine.entries.EntryException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Everything under {@code crash/} except {@code preserved/} moves to {@code crash/preserved/}. */
    private static void preserveCrashReports(ResetContext ctx) throws IOException {
        RootLayout l = ctx.layout();
        Path crash = l.crashPanicsDir().getParent();
        if (ctx.tree().existingDir(rel(ctx, crash)).isEmpty()) {
            return;
        }
        for (Path e : list(crash)) {
            String n = e.getFileName().toString();
            if (n.equals("preserved")) {
                continue;
            }
            if (Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS)) {
                for (Path f : list(e)) {
                    Path to = ctx.tree().move(f, l.crashPreservedDir().resolve(n).resolve(f.getFileName().toString()));
                    ctx.moved(f, to);
                }
            } else {
                Path to = ctx.tree().move(e, l.crashPreservedDir().resolve(n));
                ctx.moved(e, to);
            }
        }
    }

    /** Rings of processes that are gone (their lines of wiped boots); live rings, this one's too, stay. */
    private static void wipeRings(ResetContext ctx) throws IOException {
        Path dir = ctx.layout().ringDir();
        ctx.tree().removeContents(rel(ctx, dir), (p, d) -> !d && live(ctx.layout().root().resolve(p.toString())),
                ctx::removed);
    }

    private static boolean live(Path ring) {
        return Files.isRegularFile(ring, LinkOption.NOFOLLOW_LINKS) && !RingsCheck.orphan(ring);
    }

    /** Every log file except those of the boot running the reset; category directories and locks stay. */
    private static void wipeLogs(ResetContext ctx) throws IOException {
        Path logs = rel(ctx, ctx.layout().logsDir());
        String mine = ctx.boot().hex() + ".";
        int depth = logs.getNameCount();
        ctx.tree().removeContents(logs, (p, d) -> {
            if (p.getNameCount() == depth + 1) {
                return d && RootLayout.isCategory(p.getFileName().toString());
            }
            String n = p.getFileName().toString();
            return p.getNameCount() == depth + 2 && !d && (n.equals(".lock") || n.startsWith(mine))
                    && Files.isRegularFile(ctx.layout().root().resolve(p.toString()), LinkOption.NOFOLLOW_LINKS);
        }, ctx::removed);
    }

    /** The boot history and {@code current_boot_id}: the next boot is a first boot. */
    private static void wipeHistory(ResetContext ctx) throws IOException {
        ctx.tree().removeContents(rel(ctx, ctx.layout().bootDir()), SafeTree.Keep.NOTHING, ctx::removed);
    }

    /** Of each VM only its disks stay (a disk that is a link stays a link, never followed). */
    private static void wipeVmState(ResetContext ctx) throws IOException {
        Path vms = rel(ctx, ctx.layout().vmsDir());
        int depth = vms.getNameCount();
        ctx.tree().removeContents(vms, (p, d) -> {
            String n = p.getFileName().toString();
            if (p.getNameCount() == depth + 1) {
                return d && RootLayout.isVmName(n);
            }
            return p.getNameCount() == depth + 2 && !d && Vms.DISK.matcher(n).matches();
        }, ctx::removed);
    }

    private static void wipeVms(ResetContext ctx) throws IOException {
        ctx.tree().removeContents(rel(ctx, ctx.layout().vmsDir()), SafeTree.Keep.NOTHING, ctx::removed);
    }

    private static final Set<String> OWN = Set.of("crash", "logs", "vm", "boot", "recovery");

    /** What else is on the data partition (the quarantine, files of no RayOS part); the journal stays. */
    private static void wipeOther(ResetContext ctx) throws IOException {
        Path data = rel(ctx, ctx.layout().dataDir());
        Path journal = rel(ctx, ctx.layout().resetJournal());
        Path recovery = rel(ctx, ctx.layout().recoveryDir());
        int depth = data.getNameCount();
        ctx.tree().removeContents(data, (p, d) -> {
            if (p.getNameCount() == depth + 1) {
                return d && OWN.contains(p.getFileName().toString());
            }
            if (p.startsWith(recovery)) {
                return p.equals(journal) && !d;
            }
            return true; // the other parts had their own steps
        }, ctx::removed);
    }

    /**
     * The last step: the reset's end is logged, the log closed, and the log files of the boot that
     * ran it move to {@code crash/preserved/logs/<category>/}.
     */
    private static void preserveResetLog(ResetContext ctx) throws IOException {
        ctx.action("factory-reset", "done", "mode", ctx.mode().id());
        ctx.log().close();
        RootLayout l = ctx.layout();
        if (ctx.tree().existingDir(rel(ctx, l.logsDir())).isEmpty()) {
            return;
        }
        String mine = ctx.boot().hex() + ".";
        for (Path cat : list(l.logsDir())) {
            if (!Files.isDirectory(cat, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (Path f : list(cat)) {
                if (f.getFileName().toString().startsWith(mine) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Path to = ctx.tree().move(f, l.crashPreservedDir().resolve("logs")
                            .resolve(cat.getFileName().toString()).resolve(f.getFileName().toString()));
                    ctx.moved(f, to);
                }
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (NoSuchFileException gone) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
