package dev.rayos.cli;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.time.LogClock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos boot}: start a new boot of the machine at the root. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Start a new boot of the machine at the root and print its id: it writes "
                + "var/rayos/boot/current_boot_id, the boot's history file and its log file (BOOT_START). A "
                + "boot still running is marked unclean, and lines left in the rings of dead processes are "
                + "written out to the boots they belong to. A factory reset that was cut off is finished first.",
        footer = {"",
            "Examples:",
            "  rayos boot",
            "  rayos boot --mode safe",
            "  rayos boot --no-wall-clock      # lines carry mono: until 'rayos time-sync'"})
final class BootCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "normal",
            description = "normal, safe or recovery (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--no-wall-clock",
            description = "The wall clock is not known yet: lines carry mono:<nanos> until 'rayos time-sync'.")
    boolean noWallClock;

    @Override
    public Integer call() throws Exception {
        BootMode m;
        try {
            m = BootMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        // A factory reset cut off (killed, power lost) is finished before the boot: a half-reset
        // machine never boots normally. The boot agent does the same (FactoryReset.resumeIfJournaled).
        dev.rayos.recovery.FactoryReset.resumeIfJournaled(parent.layout().root());
        MachineRoot machine = new MachineRoot(parent.layout(), LogClock.system());
        BootRecord rec = machine.start(m, !noWallClock);
        parent.spec.commandLine().getOut().println(rec.id().hex());
        parent.spec.commandLine().getOut().flush();
        return 0;
    }
}
