package dev.rayos.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.BootTimeline;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import dev.rayos.log.crash.CrashParseException;
import dev.rayos.log.crash.CrashReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos boots}: the boots of the machine, like {@code journalctl --list-boots}. */
@Command(name = "boots", mixinStandardHelpOptions = true,
        description = "List the boots of the machine, oldest first, like journalctl --list-boots: the offset for "
                + "-b, the id, the first and last line's time, the mode, how it ended, and the time from its "
                + "start to RAYOS_READY; on a machine with boot entries, FAILURE (watchdog, panic, no_ready: why the next "
                + "boot judged it failed), the ENTRY systemd-boot started and its TRIES left, and WHY in words (a "
                + "crash's reason, a watchdog reset, no clean end). A ~ marks a time placed from mono through the boot's clock pair, and "
                + "'mono' a boot that never learnt the wall clock (its times are seconds of the monotonic "
                + "clock). History files that cannot be read are named on stderr; their boots keep their "
                + "place.",
        footer = {"",
            "Examples:",
            "  rayos boots",
            "  rayos boots -o json"})
final class BootsCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = {"-o", "--output"}, paramLabel = "FORM", defaultValue = "table",
            description = "table or json (one object per boot) (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("table") && !output.equals("json")) {
            throw new UserError("-o '" + LineCodec.printable(output) + "' is not table or json");
        }
        RootLayout layout = parent.machine();
        BootCatalog cat = BootCatalog.load(layout, new Boots(layout, LogClock.system()));
        PrintWriter out = parent.spec.commandLine().getOut();
        PrintWriter err = parent.spec.commandLine().getErr();
        for (var d : cat.damaged()) {
            boolean all = d.file().equals(layout.historyDir());
            err.println("rayos: boot history " + layout.relative(d.file()) + " cannot be read: "
                    + RayosCommand.oneLine(d.why()) + (all ? " (boots are listed from their log files)"
                    : " (its boot is listed from its log files, if any)"));
        }
        MachineRoot.sayUnreadable(cat, err);
        if (cat.all().isEmpty()) {
            throw MachineRoot.noBootsYet(layout);
        }
        Table table = new Table(">OFFSET", "BOOT ID", "FIRST", "LAST", "MODE", "END", ">READY", "FAILURE", "ENTRY", "TRIES",
                "WHY");
        for (BootCatalog.Entry e : cat.all()) {
            BootTimeline t = BootTimeline.of(layout, e);
            BootRecord r = e.record();
            Integer off = cat.offsetOf(e.id());
            Long ready = t.markers().get(Marker.READY);
            boolean estimated = r != null && r.timeSync() != null && r.startUtc() == null;
            String first = time(t.first(), t.mono(), estimated);
            String last = time(t.last(), t.mono(), false);
            if (output.equals("json")) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("offset", off);
                o.put("boot_id", e.id().hex());
                o.put("seq", r == null ? null : r.seq());
                o.put("first", first);
                o.put("last", last);
                o.put("mode", r == null ? null : r.mode().id());
                o.put("end", r == null ? null : r.end().id());
                o.put("ready_ns", ready);
                o.put("history", r != null);
                o.put("failure", r == null || r.failure() == null ? null : r.failure().id());
                o.put("entry", r == null || r.loader() == null ? null : r.loader().entry());
                o.put("tries_left", r == null || r.loader() == null || !r.loader().counted() ? null : r.loader().triesLeft());
                o.put("blessed", r == null || r.loader() == null ? null : r.loader().blessed());
                o.put("why", why(layout, r));
                out.println(JSON.std.asString(o));
            } else {
                var ld = r == null ? null : r.loader();
                String tries = ld == null ? "-" : ld.blessed() ? "blessed" : ld.counted() ? ld.triesLeft() + " left" : "-";
                String why = why(layout, r);
                table.row(off == null ? "-" : off.toString(), e.id().hex(), first, last,
                        r == null ? "?" : r.mode().id(), r == null ? "no-hist" : r.end().id(),
                        ready == null ? "-" : seconds(ready), r == null || r.failure() == null ? "-" : r.failure().id(),
                        ld == null ? "-" : ld.entry(), tries, why == null ? "-" : why);
            }
        }
        if (output.equals("table")) {
            table.print(out);
        }
        out.flush();
        return 0;
    }

    /** Why a boot failed, in a few words (a crash: its report's reason); null for one that did not fail. */
    static String why(RootLayout layout, BootRecord r) {
        if (r == null) {
            return null;
        }
        switch (r.end()) {
            case CRASH:
                try {
                    return "crash: " + RayosCommand.oneLine(CrashReportFiles.read(layout.crashReport(r.id())).reason());
                } catch (IOException | CrashParseException ex) {
                    return "crash (no readable report)";
                }
            case WATCHDOG:
                return "watchdog reset: not ready in time";
            case UNCLEAN:
                return "no clean end: power cut, reset or killed";
            default:
                return null;
        }
    }

    static String time(Long key, boolean mono, boolean estimated) {
        if (key == null) {
            return null;
        }
        if (mono) {
            return "mono " + seconds(key);
        }
        LineBuffer b = new LineBuffer(40);
        if (estimated) {
            b.put((byte) '~');
        }
        LineCodec.appendUtc(b, Math.max(0, key) / 1000 * 1000);
        return b.toString();
    }

    /** Nanoseconds as seconds with milliseconds: {@code 1.234s}. */
    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%s%d.%03ds", nanos < 0 ? "-" : "", Math.abs(nanos) / 1_000_000_000L,
                (Math.abs(nanos) / 1_000_000L) % 1000);
    }
}
