package dev.rayos.cli;

import dev.rayos.log.root.RootLayout;
import dev.rayos.recovery.ActionLog;
import dev.rayos.recovery.Report;
import dev.rayos.recovery.Vms;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code rayos vm list|reset-state}: the VMs under var/rayos/vm/ and their saved state. */
@Command(name = "vm", mixinStandardHelpOptions = true,
        description = "VMs of this machine (var/rayos/vm/<name>/): disks, and saved state that can be reset.",
        subcommands = {VmCommand.ListVms.class, VmCommand.ResetState.class})
final class VmCommand implements Runnable {
    @ParentCommand
    RayosCommand parent;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code rayos vm list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the VMs: disks, internal snapshots (qemu-img snapshot -l), saved state in state/."},
            footer = {"", "Examples:", "  rayos vm list", "  rayos --root /tmp/m vm list"})
    static final class ListVms implements Callable<Integer> {
        @ParentCommand
        VmCommand vm;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = vm.parent.spec.commandLine().getOut();
            List<Vms.Vm> all = new Vms(vm.parent.machine()).list();
            out.printf("%-20s %5s %12s %9s %12s%n", "NAME", "DISKS", "DISK BYTES", "SNAPSHOTS", "STATE BYTES");
            for (Vms.Vm v : all) {
                long bytes = 0;
                int snaps = 0;
                boolean unknown = false;
                for (Vms.Disk d : v.disks()) {
                    bytes += d.bytes();
                    if (d.snapshots() < 0) {
                        unknown = true;
                    } else {
                        snaps += d.snapshots();
                    }
                }
                out.printf("%-20s %5d %12d %9s %12d%n", v.name(), v.disks().size(), bytes,
                        unknown ? snaps + "?" : Integer.toString(snaps), v.stateBytes());
            }
            out.println();
            out.println(all.size() + " VMs.");
            out.flush();
            return 0;
        }
    }

    /** {@code rayos vm reset-state NAME|--all}. */
    @Command(name = "reset-state", mixinStandardHelpOptions = true,
            description = {"Reset a VM's saved state: remove state/ and the qcow2 disks' internal snapshots",
                "(qemu-img snapshot -d). The disks' data is never written."},
            footer = {"", "Examples:", "  rayos vm reset-state linux", "  rayos vm reset-state --all"})
    static final class ResetState implements Callable<Integer> {
        @ParentCommand
        VmCommand vm;

        static final class Which {
            @Parameters(paramLabel = "NAME", description = "The VM.")
            String name;

            @Option(names = "--all", description = "Every VM.")
            boolean all;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Override
        public Integer call() throws Exception {
            RootLayout layout = vm.parent.machine();
            Vms vms = new Vms(layout);
            List<String> names = new ArrayList<>();
            if (which.all) {
                vms.list().forEach(v -> names.add(v.name()));
            } else {
                try {
                    vms.get(which.name);
                } catch (IllegalArgumentException e) {
                    throw new UserError(e.getMessage());
                }
                names.add(which.name);
            }
            Report report = new Report(false);
            try (ActionLog log = new ActionLog(layout)) {
                log.open(ActionLog.currentOrNewRecoveryBoot(layout));
                for (String n : names) {
                    vms.resetState(n, report, log);
                }
            }
            PrintWriter out = vm.parent.spec.commandLine().getOut();
            Reports.print(out, report);
            out.println("vm reset-state: " + names.size() + " VMs, " + report.changes().size() + " changes");
            out.flush();
            return report.troubled() ? RayosCommand.EXIT_CHECK : 0;
        }
    }
}
