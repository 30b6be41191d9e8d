package dev.rayos.cli;

import dev.rayos.recovery.Repair;
import dev.rayos.recovery.Report;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos repair}: check and repair RayOS's own layout (docs/recovery.md). */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Check and repair the machine's layout: current_boot_id, the boot history, log files,",
            "rings left by dead processes, crash reports, and the data file system (e2fsck) when its device is known.",
            "What cannot be parsed is never deleted: it moves to var/rayos/recovery/quarantine/ under its own path.",
            "Every change is logged (RAYOS_RECOVERY_ACTION) and printed, one line each."},
        footer = {"", "Exit codes: 0 nothing left to repair, 1 something could not be repaired, 2 bad usage.",
            "Examples:", "  rayos repair --dry-run", "  rayos repair --device /dev/vda2 --yes"})
final class RepairCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = "--dry-run", description = "Print each change that would be made; make none.")
    boolean dryRun;

    @Option(names = "--yes", description = "Let e2fsck answer yes (-y) when -p leaves errors it will not fix alone.")
    boolean yes;

    @Option(names = "--device", paramLabel = "DEV",
            description = "The data partition's device (or an image of it) for e2fsck (default: what is mounted at "
                    + "/var/rayos, root / only, else the partition the image's /init found and left unmounted).")
    String device;

    @Override
    public Integer call() throws Exception {
        if (device != null) {
            java.nio.file.Path d = java.nio.file.Path.of(device);
            if (device.isBlank() || !java.nio.file.Files.exists(d)) {
                throw new UserError("repair: no device '" + device + "' (the data partition, e.g. /dev/vda2, or an "
                        + "image of it); nothing changed");
            }
            if (java.nio.file.Files.isDirectory(d)) {
                throw new UserError("repair: --device " + device + " is a directory, not a device or a file system "
                        + "image; nothing changed");
            }
        }
        Report r = Repair.run(parent.machine(), new Repair.Options(dryRun, yes, device), Repair.standardChecks());
        PrintWriter out = parent.spec.commandLine().getOut();
        Reports.print(out, r);
        out.println("repair: " + r.changes().size() + (dryRun ? " changes would be made (dry run: none made)"
                : " changes made") + (r.unresolved().isEmpty() ? "" : ", " + r.unresolved().size() + " problems left"));
        out.flush();
        return r.troubled() ? RayosCommand.EXIT_CHECK : 0;
    }
}
