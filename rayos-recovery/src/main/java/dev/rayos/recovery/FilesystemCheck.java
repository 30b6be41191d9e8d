package dev.rayos.recovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data partition's own checker, {@code e2fsck}, where the device is known ({@code --device},
 * or the device mounted at {@code /var/rayos} when the root is {@code /}). It runs {@code -f -p}
 * (fix what is safe to fix unattended), then {@code -f -y} when that gave up and the user said
 * {@code --yes}; a dry run runs {@code -f -n} (changes nothing). A mounted device is not checked:
 * e2fsck refuses it, rightly, and the report says so.
 */
final class FilesystemCheck implements Check {
    private static final int TIMEOUT_S = 600;

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public void run(RepairContext ctx) throws IOException {
        String device = ctx.device();
        List<String[]> mounts = mounts();
        if (device == null) {
            if (!ctx.layout().root().toString().equals("/")) {
                ctx.note("no data device known (pass --device DEV); e2fsck not run");
                return;
            }
            for (String[] m : mounts) {
                if (m[1].equals("/var/rayos")) {
                    device = m[0];
                }
            }
            if (device == null) {
                ctx.note("nothing is mounted at /var/rayos and no --device given; e2fsck not run");
                return;
            }
        }
        for (String[] m : mounts) {
            if (m[0].equals(device)) {
                ctx.unresolved(device + " is mounted at " + m[1] + "; e2fsck checks it unmounted "
                        + "(umount it, or run repair before mounting it)");
                return;
            }
        }
        String e2fsck = System.getProperty("rayos.e2fsck", "e2fsck");
        if (ctx.dryRun()) {
            Tool.Run r = run(e2fsck, "-f", "-n", device);
            if (r.code() == 0) {
                ctx.note(device + " is clean (e2fsck -n)");
            } else if (r.code() < 8) {
                ctx.change("fsck", device, "e2fsck -p would fix: " + r.summary(), () -> { });
            } else {
                ctx.unresolved("e2fsck -n " + device + " exited " + r.code() + ": " + r.summary());
            }
            return;
        }
        Tool.Run p = run(e2fsck, "-f", "-p", device);
        if (p.code() == 0) {
            ctx.note(device + " is clean (e2fsck -p)");
            return;
        }
        if ((p.code() & ~3) == 0) {
            record(ctx, device, "e2fsck -p fixed: " + p.summary());
            return;
        }
        if ((p.code() & 4) != 0 && (p.code() & ~7) == 0) {
            if (!ctx.yes()) {
                ctx.unresolved("e2fsck -p left errors on " + device + " (" + p.summary()
                        + "); rerun with --yes to let e2fsck -y fix them");
                return;
            }
            Tool.Run y = run(e2fsck, "-f", "-y", device);
            if ((y.code() & ~3) == 0) {
                record(ctx, device, "e2fsck -y fixed: " + y.summary());
            } else {
                ctx.unresolved("e2fsck -y " + device + " exited " + y.code() + ": " + y.summary());
            }
            return;
        }
        ctx.unresolved("e2fsck -p " + device + " exited " + p.code() + ": " + p.summary());
    }

    private static void record(RepairContext ctx, String device, String detail) {
        // e2fsck has made the change already; change() reports and logs it.
        ctx.change("fsck", device, detail, () -> { });
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
