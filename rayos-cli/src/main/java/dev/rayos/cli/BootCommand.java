package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.time.LogClock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos boot}: start a new boot of the machine at the root. */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Start a new boot of the machine at the root; prints the new boot id.",
            "Writes var/rayos/boot/current_boot_id, the boot's history file and its log file.",
            "A boot still running is marked unclean; lines left in rings of dead",
            "processes are written out to the boots they belong to.",
            "A factory reset that was cut off is finished first."})
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
        Machine machine = new Machine(parent.layout(), LogClock.system());
        BootRecord rec = machine.boots().start(m, !noWallClock);
        try (LogSystem sys = machine.open(rec)) {
            sys.logger("boot").notice("BOOT_START").kv("boot_id", rec.id().hex()).kv("seq", rec.seq())
                    .kv("mode", m.id()).kv("version", rec.version()).kv("build_id", rec.buildId())
                    .kv("wall_clock", !noWallClock).log();
        }
        parent.spec.commandLine().getOut().println(rec.id().hex());
        parent.spec.commandLine().getOut().flush();
        return 0;
    }
}
