package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.time.LogClock;
import java.util.Optional;
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
        Machine machine = new Machine(parent.layout(), LogClock.system());
        Optional<String> damage = machine.boots().currentDamage();
        if (damage.isPresent()) {
            throw new UserError(damage.get() + ": which boot to end is not known; 'rayos boot' starts a new one "
                    + "(and marks boots left running unclean)", ExitCodes.ENVIRONMENT);
        }
        Optional<BootId> cur = machine.boots().current();
        if (cur.isEmpty()) {
            throw new UserError("no boot is running under " + machine.layout().root() + " (start one with 'rayos boot')", 1);
        }
        BootRecord rec = machine.boots().read(cur.get());
        if (rec.end() != EndState.RUNNING) {
            throw new UserError("boot " + rec.id() + " already ended (" + rec.end().id() + ")", 1);
        }
        try (LogSystem sys = machine.open(rec)) {
            sys.logger("boot").notice("SHUTDOWN").kv("boot_id", rec.id().hex()).log();
        }
        machine.boots().end(rec.id(), EndState.CLEAN);
        return 0;
    }
}
