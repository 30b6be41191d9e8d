package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.time.LogClock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rayos shutdown}: the clean end of the current boot. */
@Command(name = "shutdown", mixinStandardHelpOptions = true,
        description = "Record the clean end of the current boot: it logs SHUTDOWN and its history says end=clean. "
                + "Exit 1 when no boot is running or it already ended.",
        footer = {"",
            "Examples:",
            "  rayos shutdown"})
final class ShutdownCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Override
    public Integer call() throws Exception {
        MachineRoot machine = new MachineRoot(parent.machine(), LogClock.system());
        BootRecord rec = machine.running("which boot to end");
        try (LogSystem sys = machine.open(rec)) {
            sys.logger("boot").notice("SHUTDOWN").kv("boot_id", rec.id().hex()).log();
        }
        machine.boots().end(rec.id(), EndState.CLEAN);
        return 0;
    }
}
