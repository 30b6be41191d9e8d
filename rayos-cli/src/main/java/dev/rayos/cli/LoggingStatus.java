package dev.rayos.cli;

import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.status.StatusFile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code rayos status}'s last part: what the logging processes of the boot said of their own
 * troubles in their status files (docs/status-file.md). A kind is still failing when the last
 * report of it from a running process says so; a process that ended while failing is said apart
 * (its pid is no longer a process: a pid reused since would count as running).
 */
final class LoggingStatus {
    /** The most reports listed; the count says how many there were. */
    static final int SHOWN = 10;

    private LoggingStatus() {}

    static void print(StatusFile.Reading r, PrintWriter out) {
        List<StatusFile.Report> reports = r.reports();
        String unreadable = r.unreadable() == 0 ? ""
                : "; " + r.unreadable() + " unreadable status line" + (r.unreadable() == 1 ? "" : "s") + " skipped";
        if (reports.isEmpty()) {
            out.println("  logging: ok" + unreadable);
            return;
        }
        long processes = reports.stream().map(StatusFile.Report::pid).distinct().count();
        Set<String> failing = failing(reports, true);
        Set<String> atExit = failing(reports, false);
        out.println("  logging: " + reports.size() + " report" + (reports.size() == 1 ? "" : "s") + " from "
                + processes + " process" + (processes == 1 ? "" : "es")
                + (failing.isEmpty() ? "; none failing now" : "; still failing: " + String.join(", ", failing))
                + (atExit.isEmpty() ? "" : "; failing when their process ended: " + String.join(", ", atExit))
                + unreadable);
        if (reports.size() > SHOWN) {
            out.println("    (" + (reports.size() - SHOWN) + " earlier not shown)");
        }
        for (StatusFile.Report x : reports.subList(Math.max(0, reports.size() - SHOWN), reports.size())) {
            out.println("    " + time(x) + " pid " + x.pid() + " " + LineCodec.escapeControls(x.kind())
                    + (!x.active() ? "" : running(x.pid()) ? " (failing)" : " (failing at exit)") + ": " + LineCodec.escapeControls(x.message()));
        }
    }

    static Map<String, Object> json(StatusFile.Reading r) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (StatusFile.Report x : r.reports()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("ts", time(x));
            o.put("pid", x.pid());
            o.put("kind", x.kind());
            o.put("active", x.active());
            o.put("running", running(x.pid()));
            o.put("msg", x.message());
            list.add(o);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("reports", list);
        o.put("failing", new ArrayList<>(failing(r.reports(), true)));
        o.put("failing_at_exit", new ArrayList<>(failing(r.reports(), false)));
        o.put("unreadable", r.unreadable());
        return o;
    }

    /** The kinds whose last report from some running (or ended) process says they are failing, by name. */
    private static Set<String> failing(List<StatusFile.Report> reports, boolean running) {
        Map<String, Boolean> last = new LinkedHashMap<>();
        for (StatusFile.Report x : reports) {
            last.put(x.pid() + " " + x.kind(), x.active());
        }
        Set<String> failing = new TreeSet<>();
        for (StatusFile.Report x : reports) {
            if (last.get(x.pid() + " " + x.kind()) && running(x.pid()) == running) {
                failing.add(x.kind());
            }
        }
        return failing;
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).isPresent();
    }

    private static String time(StatusFile.Report x) {
        LineBuffer b = new LineBuffer(64);
        LineCodec.appendTimestamp(b, x.ts());
        return b.toString();
    }
}
