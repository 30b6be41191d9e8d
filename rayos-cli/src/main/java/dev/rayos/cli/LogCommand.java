package dev.rayos.cli;

import dev.rayos.log.EventBuilder;
import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.time.LogClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code rayos log}: one event through the whole pipeline. */
@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Log one event of COMPONENT through the whole pipeline: the ring, the boot's log file (or "
                + "its category's) and the console. Markers (events named RAYOS_*) and ERROR or worse are "
                + "fsync'd before the command returns; with no boot running (none yet, or the last one shut "
                + "down), a new one is started (and logs BOOT_START). A KEY given twice, or a value longer than a line can hold, is refused. When "
                + "the log files cannot be written the event still reaches the ring and the console, and the "
                + "command says so and exits 10.",
        footer = {"",
            "Examples:",
            "  rayos log kernel RAYOS_READY mode=bicameral",
            "  rayos log --level WARN policy RAYOS_POLICY_VIOLATION rule=network_default_off detail=requested_on",
            "  rayos log app SAID msg=\"hello world\""})
final class LogCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = {"-l", "--level"}, paramLabel = "LEVEL", defaultValue = "INFO",
            description = "TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT EMERG (default: ${DEFAULT-VALUE}).")
    String level;

    @Parameters(index = "0", paramLabel = "COMPONENT", description = "Who logs: [a-z][a-z0-9_.-]*, e.g. kernel.")
    String component;

    @Parameters(index = "1", paramLabel = "EVENT", description = "What happened: e.g. RAYOS_READY, DISK_FULL.")
    String event;

    @Parameters(index = "2..*", paramLabel = "KEY=VALUE", description = "Fields; any value (quoted on the line as needed).")
    List<String> fields = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Level lvl = Args.level(level);
        Args.component(component);
        Args.event(event);
        List<String[]> kvs = Args.fields(fields);
        Args.fitsOneLine(lvl, component, event, kvs);
        MachineRoot m = new MachineRoot(parent.layout(), LogClock.system());
        BootRecord boot = m.currentOrStart(parent.spec.commandLine().getErr());
        try (LogSystem sys = m.open(boot)) {
            EventBuilder e = sys.logger(component).at(lvl, event);
            for (String[] kv : kvs) {
                e.kv(kv[0], kv[1]);
            }
            e.log();
            sys.flush();
            NotStored.check(sys);
        }
        return 0;
    }
}
