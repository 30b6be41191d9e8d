package dev.rayos.cli.recovery;

import dev.rayos.recovery.Repair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * The recovery menu as a table: label and command per line. Entries whose command this build does
 * not have are not shown ({@link #available}), so an entry can be listed before its command exists.
 */
public final class RecoveryActions {
    private RecoveryActions() {}

    /** The standard menu, in the order shown (spec §5). */
    public static List<RecoveryAction> standard() {
        return List.of(
                RecoveryAction.show("boots", "Boots: history, end states, why each failed", "boots"),
                RecoveryAction.show("logs", "Logs of a boot", "logs", "--boot=" + RecoveryAction.BOOT),
                RecoveryAction.show("crashes", "Crash reports", "crashes"),
                RecoveryAction.show("crash-show", "Crash report of a boot", "crash", "show", RecoveryAction.BOOT),
                RecoveryAction.change("repair", "Check and repair", List.of("repair", "--dry-run"), "REPAIR",
                        "repair").then(new RecoveryAction.Further("repair-yes", Repair.NEEDS_YES,
                        "e2fsck -p left errors it does not fix unattended. e2fsck -y answers yes to every question: "
                        + "damaged files may be cleared or moved to lost+found", "YES", List.of("repair", "--yes"))),
                RecoveryAction.change("vm-reset-state", "Reset VM saved state (disks kept)", List.of("vm", "list"),
                        "RESET", "vm", "reset-state", RecoveryAction.VM),
                RecoveryAction.change("factory-reset-preserve", "Factory reset, keep VM disks", List.of(), "RESET",
                        "factory-reset", "--preserve-vm-disks", "--yes"),
                RecoveryAction.change("factory-reset-wipe", "Factory reset, wipe all (VM disks too)", List.of(),
                        "WIPE", "factory-reset", "--wipe-all", "--yes"),
                RecoveryAction.change("boot-normal-next", "Boot normal mode next", List.of(), null,
                        "boot-entries", "oneshot", "normal"),
                RecoveryAction.change("boot-safe-next", "Boot safe mode next", List.of(), null,
                        "boot-entries", "oneshot", "safe"),
                RecoveryAction.program("reboot", "Reboot", "REBOOT", "reboot"),
                RecoveryAction.program("poweroff", "Power off", "POWEROFF", "poweroff"),
                RecoveryAction.program("shell", "Shell", null, "sh"));
    }

    /**
     * The entries this build can run: {@code rayos} commands it has, and programs found on
     * {@code PATH}. Reboot and power off only on the machine itself (root {@code /}): on a root in a
     * directory they would stop the host.
     */
    public static List<RecoveryAction> available(List<RecoveryAction> all, CommandRunner runner, boolean onMachine) {
        return available(all, runner, onMachine, RecoveryActions::onPath);
    }

    static List<RecoveryAction> available(List<RecoveryAction> all, CommandRunner runner, boolean onMachine,
                                          Predicate<String> programExists) {
        return all.stream().filter(a -> {
            if (!a.external()) {
                return runner.exists(a.commandPath()) && (a.preview().isEmpty() || runner.exists(
                        a.preview().stream().takeWhile(p -> !p.startsWith("-")).toList()));
            }
            boolean stops = a.id().equals("reboot") || a.id().equals("poweroff");
            return (onMachine || !stops) && programExists.test(a.argv().get(0));
        }).toList();
    }

    /** True when {@code program} (a name, or a path) is an executable file on {@code PATH}. */
    static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
