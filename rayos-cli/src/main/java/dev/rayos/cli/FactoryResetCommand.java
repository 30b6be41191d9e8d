package dev.rayos.cli;

import dev.rayos.log.root.RootLayout;
import dev.rayos.recovery.FactoryReset;
import dev.rayos.recovery.Report;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos factory-reset}: back to the first-boot state, journaled (docs/recovery.md). */
@Command(name = "factory-reset", mixinStandardHelpOptions = true,
        description = {"Return the machine to its first-boot state. Both modes keep the crash reports and the log",
            "of this boot under var/rayos/crash/preserved/; --preserve-vm-disks also keeps each VM's disks.",
            "Journaled: killed at any point, it finishes when run again or at the next boot.",
            "Asks to type the confirmation word unless --yes is given."},
        footer = {"", "Examples:", "  rayos factory-reset --preserve-vm-disks", "  rayos factory-reset --wipe-all --yes"})
final class FactoryResetCommand implements Callable<Integer> {
    /** What a person types to confirm. */
    static final String WORD = "RESET";

    @ParentCommand
    RayosCommand parent;

    static final class Which {
        @Option(names = "--preserve-vm-disks", required = true, description = "Keep the VMs' disks (only them).")
        boolean preserve;

        @Option(names = "--wipe-all", required = true, description = "Remove the VMs' disks too.")
        boolean wipeAll;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--yes", description = "Do not ask for confirmation (scripts).")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        FactoryReset.Mode mode = which.wipeAll ? FactoryReset.Mode.WIPE_ALL : FactoryReset.Mode.PRESERVE_VM_DISKS;
        PrintWriter out = parent.spec.commandLine().getOut();
        RootLayout layout = parent.machine(); // a mistyped root is said before anything is asked
        if (!yes) {
            out.print("This erases the logs, boot history" + (mode == FactoryReset.Mode.WIPE_ALL
                    ? ", VM disks" : "") + " and VM saved state of " + layout.root()
                    + ". Type " + WORD + " to go on: ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            out.println();
            if (answer == null || !answer.strip().equals(WORD)) {
                throw new UserError("factory reset not confirmed (type " + WORD + ", or pass --yes); nothing changed");
            }
        }
        Report r = new FactoryReset(layout, List.of(), FactoryReset.Progress.NONE)
                .run(mode, FactoryReset.standardSteps(mode));
        Reports.print(out, r);
        out.println("factory-reset " + mode.id() + ": done, " + r.changes().size() + " changes; the next boot is a first boot");
        out.flush();
        return 0;
    }
}
