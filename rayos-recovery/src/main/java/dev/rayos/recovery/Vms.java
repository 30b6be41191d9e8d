package dev.rayos.recovery;

import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The VMs of a machine, {@code var/rayos/vm/<name>/}: disks ({@code disk*.qcow2|raw}, the user's,
 * never written here) and saved state ({@code state/}, plus the internal snapshots in qcow2 disks,
 * which QEMU's {@code savevm} writes). Resetting a VM's saved state removes {@code state/} and
 * deletes the internal snapshots with {@code qemu-img snapshot -d}; the disk's data is untouched.
 */
public final class Vms {
    /** The file names of VM disks. */
    public static final Pattern DISK = Pattern.compile("disk[A-Za-z0-9_.-]*\\.(qcow2|raw)");
    public static final String STATE = "state";

    /**
     * One disk.
     *
     * @param snapshots internal snapshots (0 for raw), or -1 when they could not be listed
     * @param problem   why they could not be listed (a link, a disk in use), or null
     */
    public record Disk(String name, String format, long bytes, boolean link, int snapshots, String problem) {}

    /** One VM: its disks and how much saved state it has. */
    public record Vm(String name, List<Disk> disks, long stateEntries, long stateBytes) {
        public boolean hasSavedState() {
            return stateEntries > 0 || disks.stream().anyMatch(d -> d.snapshots() > 0);
        }
    }

    private final RootLayout layout;
    private final SafeTree tree;
    private final QemuImg qemuImg;

    public Vms(RootLayout layout) {
        this(layout, QemuImg.fromPath());
    }

    Vms(RootLayout layout, QemuImg qemuImg) {
        this.layout = layout;
        this.tree = new SafeTree(layout);
        this.qemuImg = qemuImg;
    }

    /** The VMs, by name; entries of {@code vm/} that are not real directories with a valid name are not VMs. */
    public List<Vm> list() throws IOException {
        List<Vm> out = new ArrayList<>();
        if (tree.existingDir(tree.rel(layout.vmsDir())).isEmpty()) {
            return out;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.vmsDir())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (RootLayout.isVmName(n) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(n);
                }
            }
        }
        names.sort(null);
        for (String n : names) {
            out.add(read(n));
        }
        return out;
    }

    /**
     * One VM.
     *
     * @throws IllegalArgumentException for a name that is not a VM name, or no such VM
     */
    public Vm get(String name) throws IOException {
        RootLayout.requireVmName(name);
        Path dir = layout.vmDir(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("no VM named '" + name + "' (see 'rayos vm list')");
        }
        return read(name);
    }

    private Vm read(String name) throws IOException {
        Path dir = layout.vmDir(name);
        List<Disk> disks = new ArrayList<>();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        }
        entries.sort(null);
        for (Path p : entries) {
            String f = p.getFileName().toString();
            var m = DISK.matcher(f);
            if (!m.matches()) {
                continue;
            }
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            String format = m.group(1);
            if (a.isSymbolicLink()) {
                disks.add(new Disk(f, format, 0, true, -1, "a symbolic link; recovery does not follow it"));
            } else if (format.equals("raw")) {
                disks.add(new Disk(f, format, a.size(), false, 0, null));
            } else {
                int snaps = -1;
                String problem = null;
                try {
                    snaps = qemuImg.snapshots(p).size();
                } catch (IOException e) {
                    problem = e.getMessage();
                }
                disks.add(new Disk(f, format, a.size(), false, snaps, problem));
            }
        }
        long[] state = stateSize(dir.resolve(STATE));
        return new Vm(name, disks, state[0], state[1]);
    }

    private static long[] stateSize(Path state) throws IOException {
        long[] n = {0, 0};
        BasicFileAttributes top;
        try {
            top = Files.readAttributes(state, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException none) {
            return n;
        }
        if (!top.isDirectory()) {
            return new long[] {1, top.size()}; // a link or a file where the directory should be
        }
        try (var walk = Files.walk(state)) { // Files.walk does not follow links by default
            walk.skip(1).forEach(p -> {
                n[0]++;
                try {
                    n[1] += Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
                } catch (IOException gone) {
                    // counted, size unknown
                }
            });
        }
        return n;
    }

    /**
     * Resets the saved state of VM {@code name}: deletes each internal snapshot of its qcow2 disks
     * ({@code qemu-img snapshot -d}) and removes {@code state/}. The disks' data is not written.
     *
     * @throws IllegalArgumentException for a bad or unknown name (nothing is changed)
     */
    public void resetState(String name, Report report, ActionLog log) throws IOException {
        Vm vm = get(name);
        Path dir = layout.vmDir(name);
        for (Disk d : vm.disks()) {
            String rel = layout.relative(dir.resolve(d.name()));
            if (d.link() || !d.format().equals("qcow2")) {
                continue;
            }
            if (d.problem() != null) {
                report.add(new Report.Change("delete-snapshots", rel, d.problem(), Report.Result.FAILED));
                log.action("vm-snapshot-delete", "failed", "vm", name, "disk", d.name(), "error", d.problem());
                continue;
            }
            deleteSnapshots(name, dir.resolve(d.name()), rel, report, log);
        }
        long removed = tree.removeEntry(tree.rel(dir.resolve(STATE)), p -> report.add(
                new Report.Change("delete", p.toString(), "saved state", Report.Result.DONE)));
        log.action("vm-reset-state", "done", "vm", name, "removed", Long.toString(removed));
    }

    private void deleteSnapshots(String vm, Path disk, String rel, Report report, ActionLog log) throws IOException {
        List<SnapshotList.Snapshot> snaps = qemuImg.snapshots(disk);
        // By tag, as qemu-img -d takes it; listed again after each, so duplicate tags all go.
        for (int guard = snaps.size(); !snaps.isEmpty() && guard >= 0; guard--) {
            SnapshotList.Snapshot s = snaps.get(0);
            try {
                qemuImg.deleteSnapshot(disk, s.tag());
            } catch (IOException e) {
                report.add(new Report.Change("delete-snapshot", rel, "'" + s.tag() + "': " + e.getMessage(),
                        Report.Result.FAILED));
                log.action("vm-snapshot-delete", "failed", "vm", vm, "disk", disk.getFileName().toString(),
                        "snapshot", s.tag(), "error", e.getMessage());
                return;
            }
            report.add(new Report.Change("delete-snapshot", rel, "internal snapshot '" + s.tag() + "' (id " + s.id()
                    + ", VM state " + s.vmSize() + ")", Report.Result.DONE));
            log.action("vm-snapshot-delete", "done", "vm", vm, "disk", disk.getFileName().toString(),
                    "snapshot", s.tag());
            snaps = qemuImg.snapshots(disk);
        }
    }
}
