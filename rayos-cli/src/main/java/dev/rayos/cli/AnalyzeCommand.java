package dev.rayos.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rayos analyze [time|blame|critical-chain]}: how long a boot took to be ready, systemd-analyze's way. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "How long a boot took to become ready, like systemd-analyze: 'Startup finished in ...' with "
                + "the time of each phase (firmware to RAYOS_BOOTLOADER_START, loader to RAYOS_KERNEL_START, "
                + "system to RAYOS_READY). 'blame' lists the components the boot agent started by their time to "
                + "ready, slowest first; 'critical-chain' the chain of components RAYOS_READY waited on. Exit 1 "
                + "when the boot did not reach RAYOS_READY.",
        footer = {"", "Examples:", "  rayos analyze", "  rayos analyze blame -b -1", "  rayos analyze critical-chain",
            "  rayos analyze -o json"},
        subcommands = {AnalyzeCommand.Blame.class, AnalyzeCommand.CriticalChain.class})
final class AnalyzeCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;
    @Spec
    CommandSpec spec;
    @Mixin
    Which which;

    /** The boot and the output form, shared by the three forms. */
    static final class Which {
        @Option(names = {"-b", "--boot"}, arity = "0..1", fallbackValue = "", paramLabel = "ID|±N",
                description = "Which boot (as for 'rayos logs'; default: the current one).")
        String boot;

        @Option(names = {"-o", "--output"}, paramLabel = "FORM", defaultValue = "text",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        String output;

        BootAnalysis load(RayosCommand root) throws Exception {
            if (!output.equals("text") && !output.equals("json")) {
                throw new UserError("-o '" + LineCodec.printable(output) + "' is not text or json");
            }
            RootLayout layout = root.machine();
            Boots boots = new Boots(layout, LogClock.system());
            BootCatalog cat = BootCatalog.load(layout, boots);
            if (boot == null || boot.isEmpty()) {
                MachineRoot.warnIfCurrentDamaged(boots, root.spec.commandLine().getErr());
            }
            BootCatalog.Entry e = MachineRoot.oneBoot(cat, boot, "analyze");
            MachineRoot.sayUnreadable(cat, root.spec.commandLine().getErr());
            return BootAnalysis.of(layout, e);
        }
    }

    @Override
    public Integer call() throws Exception {
        BootAnalysis a = which.load(parent);
        PrintWriter out = spec.commandLine().getOut();
        if (which.output.equals("json")) {
            out.println(JSON.std.asString(json(a)));
        } else {
            out.println(a.startupLine());
        }
        out.flush();
        return a.ready() == null ? ExitCodes.CHECK : 0;
    }

    static Map<String, Object> json(BootAnalysis a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("boot_id", a.timeline.boot().id().hex());
        o.put("ready_ns", a.ready());
        List<Map<String, Object>> phases = new ArrayList<>();
        for (BootAnalysis.Phase p : a.phases()) {
            phases.add(Map.of("phase", p.name(), "ns", p.nanos()));
        }
        o.put("phases", phases);
        List<Map<String, Object>> comps = new ArrayList<>();
        for (BootAnalysis.Component c : a.blame()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("start_ns", c.startNanos());
            m.put("ready_ns", c.readyNanos());
            m.put("exit_status", c.exitStatus());
            comps.add(m);
        }
        o.put("components", comps);
        o.put("critical_chain", a.criticalChain().stream().map(BootAnalysis.Component::name).toList());
        return o;
    }

    @Command(name = "blame", mixinStandardHelpOptions = true,
            description = "List the components the boot agent started, by their time to ready, slowest first, like "
                    + "systemd-analyze blame; a component that exited before it was ready says so.",
            footer = {"", "Examples:", "  rayos analyze blame", "  rayos analyze blame -b -1 -o json"})
    static final class Blame implements Callable<Integer> {
        @ParentCommand
        AnalyzeCommand analyze;
        @Spec
        CommandSpec spec;
        @Mixin
        Which which;

        @Override
        public Integer call() throws Exception {
            BootAnalysis a = which.load(analyze.parent);
            PrintWriter out = spec.commandLine().getOut();
            if (which.output.equals("json")) {
                out.println(JSON.std.asString(json(a).get("components")));
            } else {
                if (a.components.isEmpty()) {
                    out.println("-- no component events (the boot agent logs RAYOS_COMPONENT_START/READY/EXIT) --");
                }
                Table t = new Table(">TIME", "COMPONENT");
                for (BootAnalysis.Component c : a.blame()) {
                    String time = c.readyNanos() != null ? BootsCommand.seconds(c.readyNanos())
                            : c.exitStatus() != null ? "exited (status " + c.exitStatus() + ")" : "not ready";
                    t.row(time, c.name());
                }
                if (!t.isEmpty()) {
                    t.print(out);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "critical-chain", mixinStandardHelpOptions = true,
            description = "Print the chain of components RAYOS_READY waited on, like systemd-analyze critical-chain: "
                    + "each with the time it became ready after the boot's start (@) and how long it took (+).",
            footer = {"", "Examples:", "  rayos analyze critical-chain", "  rayos analyze critical-chain -o json"})
    static final class CriticalChain implements Callable<Integer> {
        @ParentCommand
        AnalyzeCommand analyze;
        @Spec
        CommandSpec spec;
        @Mixin
        Which which;

        @Override
        public Integer call() throws Exception {
            BootAnalysis a = which.load(analyze.parent);
            PrintWriter out = spec.commandLine().getOut();
            List<BootAnalysis.Component> chain = a.criticalChain();
            if (which.output.equals("json")) {
                out.println(JSON.std.asString(json(a).get("critical_chain")));
            } else {
                out.println("The time when a component became ready is printed after the \"@\" character.");
                out.println("The time the component took to become ready is printed after the \"+\" character.");
                out.println();
                Long ready = a.ready();
                out.println(Marker.READY + (ready == null ? " (not reached)" : " @" + BootsCommand.seconds(ready)));
                String indent = "";
                for (BootAnalysis.Component c : chain) {
                    out.println(indent + "\u2514\u2500" + c.name() + " @" + BootsCommand.seconds(c.readyAt()) + " +"
                            + BootsCommand.seconds(c.readyNanos()));
                    indent += "  ";
                }
            }
            out.flush();
            return a.ready() == null ? ExitCodes.CHECK : 0;
        }
    }
}
