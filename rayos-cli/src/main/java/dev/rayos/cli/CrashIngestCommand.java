package dev.rayos.cli;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.crash.CrashIngest;
import dev.rayos.log.crash.CrashParseException;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.time.LogClock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rayos crash ingest --serial FILE | --hs-err FILE [--boot ID]}: crash text found on disk
 * becomes crash reports of a boot. Exit 0 with the reports written, 1 when a serial log holds no
 * kernel crash, 2 for bad input (nothing written).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Read kernel crashes from a serial console log, or a JVM fatal error log (hs_err), into "
                + "crash reports of a known boot of this machine (var/rayos/crash/panics/<boot_id>[.N].log); "
                + "the boot's history then says it crashed. Text already ingested for that boot is not "
                + "written twice. Exit 1 when a serial log holds no kernel crash.",
        footer = {"",
            "Examples:",
            "  rayos crash ingest --serial console.log",
            "  rayos crash ingest --hs-err hs_err_pid4242.log --boot 3f2a9c1d..."})
final class CrashIngestCommand implements Callable<Integer> {
    @ParentCommand
    CrashCommand crash;

    @Spec
    CommandSpec spec;

    static final class Input {
        @Option(names = "--serial", paramLabel = "FILE", required = true,
                description = "A serial console log: one report per Linux kernel crash in it.")
        Path serial;

        @Option(names = "--hs-err", paramLabel = "FILE", required = true,
                description = "A JVM fatal error log (hs_err_pid*.log).")
        Path hsErr;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input;

    @Option(names = "--boot", paramLabel = "ID",
            description = "The boot the crash belongs to (default: the current boot of the root).")
    String boot;

    @Override
    public Integer call() throws Exception {
        if (input == null) {
            throw new UserError("crash ingest needs --serial FILE or --hs-err FILE");
        }
        Path file = Args.inputFile(input.serial != null ? "--serial" : "--hs-err",
                input.serial != null ? input.serial : input.hsErr);
        MachineRoot machine = new MachineRoot(crash.parent.machine(), LogClock.system());
        BootId id = bootId(machine);
        BootRecord rec = record(machine, id);
        CrashIngest ingest = new CrashIngest(machine.layout(), rec);
        // without a crash time in the text, the time of ingest, in the boot's own terms
        Timestamp now = rec.wallClock() ? Timestamp.utc(LogClock.system().utcNanos() / 1000 * 1000)
                : Timestamp.mono(LogClock.system().monoNanos());
        PrintWriter out = spec.commandLine().getOut();
        if (input.serial != null) {
            List<Path> written = ingest.serial(file, id, now);
            if (written.isEmpty()) {
                throw new UserError("no kernel crash found in " + file, RayosCommand.EXIT_CHECK);
            }
            written.forEach(p -> out.println(shown(machine, ingest, p)));
        } else {
            try {
                Path p = ingest.hsErr(file, id, now);
                out.println(shown(machine, ingest, p));
            } catch (CrashParseException e) {
                throw new UserError(file + ": " + e.getMessage());
            }
        }
        out.flush();
        return 0;
    }

    private BootId bootId(MachineRoot machine) throws java.io.IOException {
        if (boot != null) {
            if (!BootId.isValid(boot)) {
                throw new UserError("--boot: not a boot id (32 lower-case hex digits): '"
                        + RayosCommand.oneLine(boot) + "'");
            }
            return BootId.parse(boot);
        }
        return machine.boots().current().orElseThrow(() -> new UserError(
                "no current boot under " + machine.layout().root() + "; say which with --boot ID"));
    }

    private static String shown(MachineRoot machine, CrashIngest ingest, Path p) {
        return machine.layout().relative(p) + (ingest.alreadyIngested().contains(p) ? " (already ingested, unchanged)" : "");
    }

    /** The boot's record: a boot this machine does not know is refused (a mistyped id writes nothing). */
    private static BootRecord record(MachineRoot machine, BootId id) throws java.io.IOException {
        try {
            return machine.boots().read(id);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("no boot " + id + " under " + machine.layout().root() + " (see 'rayos boots')");
        } catch (dev.rayos.log.boot.BootHistoryException e) {
            throw new UserError("boot " + id + ": its history cannot be read (" + RayosCommand.oneLine(e.getMessage()) + ")",
                    ExitCodes.ENVIRONMENT);
        }
    }
}
