package dev.rayos.recovery;

import dev.rayos.machine.agent.DataCheck;
import dev.rayos.machine.agent.MachinePaths;
import dev.rayos.machine.disk.FsckOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data partition's own checker, {@code e2fsck}, where the device is known: {@code --device},
 * else (root {@code /}) the device mounted at {@code /var/rayos}, else the one the image's /init
 * found by its label ({@code run/rayos/data-device}; it stays unmounted when its check at boot left
 * errors). It runs {@code -f -p} (fix what is safe to fix unattended), then {@code -f -y} when that
 * left errors and the user said {@code --yes}; a dry run runs {@code -f -n} (changes nothing). Exit
 * statuses are read as e2fsck documents them ({@link FsckOutcome}). A mounted device is not checked:
 * e2fsck refuses it, rightly; when /init checked it before mounting it at this boot, that is said.
 */
final class FilesystemCheck implements Check {
    private static final int TIMEOUT_S = 600;

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        MachinePaths machine = new MachinePaths(ctx.layout().root());
        String device = ctx.device();
        List<String[]> mounts = mounts();
        boolean onMachine = ctx.layout().root().toString().equals("/");
        if (device == null && onMachine) {
            for (String[] m : mounts) {
                if (m[1].equals("/var/rayos")) {
                    device = m[0];
                }
            }
        }
        if (device == null) {
            device = recordedDevice(machine.dataDevice());
        }
        if (device == null) {
            ctx.note(onMachine ? "nothing is mounted at /var/rayos and no --device given; e2fsck not run"
                    : "no data device known (pass --device DEV); e2fsck not run");
            return;
        }
        for (String[] m : mounts) {
            if (m[0].equals(device)) {
                Optional<DataCheck.Record> atBoot = DataCheck.read(machine);
                if (atBoot.isPresent() && atBoot.get().outcome().mountable()) {
                    ctx.note(device + " is mounted at " + m[1] + "; e2fsck -p checked it before it was mounted at this "
                            + "boot: " + atBoot.get().outcome().id() + " (exit " + atBoot.get().status() + ")");
                } else {
                    ctx.unresolved(device + " is mounted at " + m[1] + "; e2fsck checks it unmounted "
                            + "(umount it, or run repair before mounting it)");
                }
                return;
            }
        }
        String e2fsck = System.getProperty("rayos.e2fsck", "e2fsck");
        if (ctx.dryRun()) {
            Tool.Run r = run(e2fsck, "-f", "-n", device);
            FsckOutcome o = FsckOutcome.of(r.code());
            if (o == FsckOutcome.CLEAN) {
                ctx.note(device + " is clean (e2fsck -n)");
            } else if (o == FsckOutcome.FAILED) {
                ctx.unresolved("e2fsck -n " + device + " could not check it (exit " + r.code() + "): " + r.summary());
            } else {
                ctx.change("fsck", device, "e2fsck -n found " + problems(r.output()) + "; repair runs e2fsck -p, "
                        + "and e2fsck -y for what -p leaves when given --yes", () -> { });
            }
            return;
        }
        Tool.Run p = run(e2fsck, "-f", "-p", device);
        FsckOutcome po = FsckOutcome.of(p.code());
        switch (po) {
            case CLEAN -> ctx.note(device + " is clean (e2fsck -p)");
            case CORRECTED, REBOOT -> fixed(ctx, device, "e2fsck -p fixed: " + p.summary());
            case UNCORRECTED -> {
                if (!ctx.yes()) {
                    ctx.unresolved(Repair.NEEDS_YES + " on " + device + " (" + stoppedAt(p) + "); rerun with --yes "
                            + "to let e2fsck -y fix them (it answers yes to every question: damaged files may be "
                            + "cleared or moved to lost+found)");
                    return;
                }
                Tool.Run y = run(e2fsck, "-f", "-y", device);
                FsckOutcome yo = FsckOutcome.of(y.code());
                if (yo.mountable()) {
                    fixed(ctx, device, "e2fsck -y fixed: " + y.summary());
                } else {
                    ctx.unresolved("e2fsck -y " + device + " exited " + y.code() + " (" + yo.meaning() + "): "
                            + y.summary());
                }
            }
            case FAILED -> ctx.unresolved("e2fsck -p " + device + " could not check it (exit " + p.code() + "): "
                    + p.summary());
        }
    }

    private static void fixed(RepairContext ctx, String device, String detail) {
        // e2fsck has made the change already; change() reports and logs it.
        ctx.change("fsck", device, detail, () -> { });
        if (ctx.layout().root().toString().equals("/") && !DataCheck.mounted(new MachinePaths(ctx.layout().root()))) {
            ctx.note("this boot runs without the data partition (its check at boot left errors): reboot, and the "
                    + "next boot mounts it");
        }
    }

    /**
     * The problems e2fsck -n reported, from its questions answered no ({@code Inode 2 ref count is
     * 7, should be 3.  Fix? no}): how many, and the first.
     */
    static String problems(String output) {
        List<String> asked = new ArrayList<>();
        String before = "";
        for (String l : output.split("\n")) {
            String t = l.strip();
            if (t.endsWith("? no")) {
                int q = t.lastIndexOf("  "); // "problem.  Fix? no" on one line, else the question alone
                asked.add(q > 0 ? t.substring(0, q).strip() : before.isEmpty() ? t : before);
            }
            if (!t.isEmpty()) {
                before = t;
            }
        }
        if (asked.isEmpty()) {
            return "errors";
        }
        String first = asked.get(0).endsWith(".") ? asked.get(0).substring(0, asked.get(0).length() - 1) : asked.get(0);
        return asked.size() + (asked.size() == 1 ? " error (" : " errors (the first: ") + first + ")";
    }

    /**
     * Where e2fsck -p stopped: the problem it names before "UNEXPECTED INCONSISTENCY", else the
     * last lines of its output.
     */
    static String stoppedAt(Tool.Run r) {
        String[] lines = r.output().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("UNEXPECTED INCONSISTENCY")) {
                for (int j = i - 1; j >= 0; j--) {
                    if (!lines[j].isBlank()) {
                        return "it stopped at: " + lines[j].strip();
                    }
                }
            }
        }
        return r.summary();
    }

    /** The device /init found by label, or null (absent, unreadable, or not a device path). */
    private static String recordedDevice(Path file) {
        try {
            if (Files.size(file) > 4096) {
                return null;
            }
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.startsWith("/") && !s.contains("\n") ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Device and mount point of each line of /proc/mounts (octal escapes as the kernel writes them). */
    static List<String[]> mounts() {
        List<String[]> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8)) {
                String[] f = l.split(" ");
                if (f.length >= 2) {
                    out.add(new String[] {unescape(f[0]), unescape(f[1])});
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing known to be mounted
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static Tool.Run run(String... cmd) throws IOException {
        return Tool.run(List.of(cmd), TIMEOUT_S, "e2fsprogs");
    }
}
