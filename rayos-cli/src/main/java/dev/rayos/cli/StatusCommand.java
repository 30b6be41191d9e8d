package dev.rayos.cli;

import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.BootTimeline;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.status.StatusFile;
import dev.rayos.log.time.LogClock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos status}: the readiness markers of a boot (spec §3). */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Readiness of the current boot (or -b): each readiness marker, reached or not and when "
                + "after the boot's start, then 'Startup finished in ...' with the time of each phase, like "
                + "systemd-analyze. Exit 0 when RAYOS_READY was reached, 1 when not. --plot draws the boot's "
                + "timeline: the markers, the spans between them, warnings, errors and crashes, with a legend "
                + "and the boot's end state. Then the logging system's own troubles, as each logging process of "
                + "the boot kept them (a store that cannot write, a crash report held back): 'logging: ok' when none.",
        footer = {"",
            "Examples:",
            "  rayos status",
            "  rayos status -b -1 --plot boot.svg",
            "  rayos status -o json"})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = {"-b", "--boot"}, arity = "0..1", fallbackValue = "", paramLabel = "ID|±N",
            description = "Which boot (as for 'rayos logs'; default: the current one).")
    String boot;

    @Option(names = "--plot", paramLabel = "FILE", description = "Write the timeline to FILE.svg or FILE.png.")
    String plot;

    @Option(names = {"-o", "--output"}, paramLabel = "FORM", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json")) {
            throw new UserError("-o '" + LineCodec.printable(output) + "' is not text or json");
        }
        Path plotFile = null;
        if (plot != null) {
            String lower = plot.toLowerCase(Locale.ROOT);
            if (!lower.endsWith(".svg") && !lower.endsWith(".png")) {
                throw new UserError("--plot '" + LineCodec.printable(plot) + "' must end in .svg or .png");
            }
            plotFile = Path.of(plot).toAbsolutePath();
            if (plotFile.getParent() == null || !Files.isDirectory(plotFile.getParent())) {
                throw new UserError("--plot: directory " + plotFile.getParent() + " does not exist");
            }
            if (Files.isDirectory(plotFile)) {
                throw new UserError("--plot: " + plotFile + " is a directory");
            }
        }
        RootLayout layout = parent.machine();
        Boots boots = new Boots(layout, LogClock.system());
        BootCatalog cat = BootCatalog.load(layout, boots);
        if (boot == null || boot.isEmpty()) {
            MachineRoot.warnIfCurrentDamaged(boots, parent.spec.commandLine().getErr());
        }
        BootCatalog.Entry e = MachineRoot.oneBoot(cat, boot, "status");
        MachineRoot.sayUnreadable(cat, parent.spec.commandLine().getErr());
        BootAnalysis analysis = BootAnalysis.of(layout, e);
        BootTimeline t = analysis.timeline;
        BootRecord r = e.record();
        PrintWriter out = parent.spec.commandLine().getOut();
        if (output.equals("json")) {
            java.util.Map<String, Object> o = new java.util.LinkedHashMap<>(AnalyzeCommand.json(analysis));
            o.put("seq", r == null ? null : r.seq());
            o.put("mode", r == null ? null : r.mode().id());
            o.put("end", r == null ? null : r.end().id());
            java.util.Map<String, Object> markers = new java.util.LinkedHashMap<>();
            for (String m : Marker.READINESS) {
                markers.put(m, t.markers().get(m));
            }
            o.put("markers_ns", markers);
            o.put("warnings", t.problems().stream().filter(p -> p.level().compareTo(dev.rayos.log.line.Level.ERROR) < 0).count());
            o.put("errors", t.problems().stream().filter(p -> p.level().compareTo(dev.rayos.log.line.Level.ERROR) >= 0).count());
            o.put("logging", LoggingStatus.json(StatusFile.readAll(layout, e.id())));
            out.println(com.fasterxml.jackson.jr.ob.JSON.std.asString(o));
        } else {
        out.println("boot " + e.id() + (r == null ? " (no history)" : " #" + (r.seq() + 1) + " " + r.mode().id() + ", "
                + r.end().id() + (r.startUtc() != null ? ", started " + r.startUtc()
                : r.timeSync() != null ? ", wall clock known since " + r.timeSync().utc() : ", wall clock unknown")));
        for (String m : rows()) {
            String name = m;
            Long at = t.markers().get(m);
            if (m.equals("RAYOS_PRESENTATION")) {
                Long on = t.markers().get(Marker.PRESENTATION_ON);
                Long off = t.markers().get(Marker.PRESENTATION_OFF);
                if (on != null && (off == null || on >= off)) {
                    name = Marker.PRESENTATION_ON;
                    at = on;
                } else if (off != null) {
                    name = Marker.PRESENTATION_OFF;
                    at = off;
                } else {
                    name = "RAYOS_PRESENTATION:<on|off>";
                }
            }
            out.println(String.format("  %-28s %-8s %s", name, at == null ? "no" : "reached",
                    at == null ? "" : "+" + BootsCommand.seconds(at)).stripTrailing());
        }
        long warns = t.problems().stream().filter(p -> p.level().compareTo(dev.rayos.log.line.Level.ERROR) < 0).count();
        long errs = t.problems().size() - warns;
        out.println("  " + warns + " warning" + (warns == 1 ? "" : "s") + ", " + errs + " error" + (errs == 1 ? "" : "s"));
        out.println(analysis.startupLine());
        LoggingStatus.print(StatusFile.readAll(layout, e.id()), out);
        }
        if (plotFile != null) {
            TimelinePlot p = new TimelinePlot(t, "RayOS boot " + e.id() + (r == null ? "" : " #" + (r.seq() + 1)));
            byte[] bytes = plotFile.toString().toLowerCase(Locale.ROOT).endsWith(".svg") ? p.svg() : p.png();
            AtomicFiles.write(plotFile, bytes);
            if (output.equals("text")) {
                out.println("  timeline written to " + plot);
            }
        }
        out.flush();
        return t.markers().containsKey(Marker.READY) ? 0 : RayosCommand.EXIT_CHECK;
    }

    private static List<String> rows() {
        return List.of(Marker.BOOTLOADER_START, Marker.KERNEL_START, Marker.READY, Marker.LINUX_VM_READY,
                Marker.WINDOWS_VM_READY, "RAYOS_PRESENTATION");
    }
}
