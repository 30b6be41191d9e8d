package dev.rayos.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.crash.CrashParseException;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.read.ReadQueryException;
import dev.rayos.log.read.TimeExpr;
import dev.rayos.log.time.LogClock;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rayos crashes [list|info|show] [MATCH]}: the crash reports of the machine, like
 * coredumpctl: a table ({@code list}, the default), each report's fields ({@code info}), or the
 * reports as stored ({@code show}).
 */
@Command(name = "crashes", mixinStandardHelpOptions = true,
        description = "List crash reports, like coredumpctl list: one line per report with its id (the boot id, "
                + "and .N for a boot's later reports), the crash's own time, its boot, source, fault address and "
                + "reason, oldest first. MATCH picks reports: a boot id or a prefix of at least 4 hex digits, a "
                + "report id like <boot_id>.2, or -1, -2 for the latest, the one before. 'info' prints each "
                + "report's fields, 'show' the report as stored. Exit 1 when no report matches.",
        footer = {"", "Examples:",
            "  rayos crashes",
            "  rayos crashes -r --since yesterday",
            "  rayos crashes info -1",
            "  rayos crashes show 3f2a9c1d",
            "  rayos crashes -o json"},
        subcommands = {CrashesCommand.ListCmd.class, CrashesCommand.Info.class, CrashesCommand.Show.class})
final class CrashesCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Override
    public Integer call() throws Exception {
        return list(this, selection, spec);
    }

    /** What the three forms share: the match and its options. */
    static final class Selection {
        @Parameters(arity = "0..1", paramLabel = "MATCH",
                description = "A boot id or prefix, a report id (<boot_id>.N), or -1, -2 … back from the latest.")
        String match;

        @Option(names = {"-S", "--since"}, paramLabel = "TIME", description = "Crashes at or after TIME (as for 'rayos logs').")
        String since;

        @Option(names = {"-U", "--until"}, paramLabel = "TIME", description = "Crashes at or before TIME.")
        String until;

        @Option(names = {"-r", "--reverse"}, description = "Newest first.")
        boolean reverse;

        @Option(names = {"-o", "--output"}, paramLabel = "FORM", defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        String output;

        List<CrashList.Item> select(RayosCommand root) throws Exception {
            if (!output.equals("table") && !output.equals("json")) {
                throw new UserError("-o '" + LineCodec.printable(output) + "' is not table or json");
            }
            long now = LogClock.system().utcNanos();
            Long s;
            Long u;
            try {
                s = since == null ? null : TimeExpr.parse(since, now);
                u = until == null ? null : TimeExpr.parse(until, now);
            } catch (ReadQueryException e) {
                throw new UserError(e.getMessage());
            }
            List<CrashList.Item> items = CrashList.load(root.machine()).select(match, s, u);
            if (reverse) {
                Collections.reverse(items);
            }
            return items;
        }
    }

    static int list(CrashesCommand cmd, Selection sel, CommandSpec spec) throws Exception {
        List<CrashList.Item> items = sel.select(cmd.parent);
        PrintWriter out = spec.commandLine().getOut();
        if (sel.output.equals("json")) {
            for (CrashList.Item i : items) {
                out.println(JSON.std.asString(json(i)));
            }
        } else {
            Table t = new Table("ID", "TIME", "BOOT", "SOURCE", "FAULT", "REASON");
            for (CrashList.Item i : items) {
                CrashReport r = i.report();
                t.row(i.id(), i.timeShown(), i.boot().hex().substring(0, 8),
                        r == null ? "?" : r.source().label(), r == null ? null : r.faultAddress().orElse(null),
                        r == null ? "(damaged report: " + i.damage() + ")" : RayosCommand.oneLine(r.reason()));
            }
            if (!items.isEmpty()) {
                t.print(out);
            }
        }
        out.flush();
        if (items.isEmpty()) {
            throw new UserError("no crash reports" + (sel.match == null ? "" : " match '" + LineCodec.printable(sel.match) + "'")
                    + (sel.since != null || sel.until != null ? " in that time" : ""), ExitCodes.CHECK);
        }
        return 0;
    }

    static Map<String, Object> json(CrashList.Item i) {
        Map<String, Object> o = new LinkedHashMap<>();
        CrashReport r = i.report();
        o.put("id", i.id());
        o.put("boot_id", i.boot().hex());
        o.put("time", r == null ? null : r.time().toString());
        o.put("source", r == null ? null : r.source().label());
        o.put("kind", r == null ? null : r.kind().orElse(null));
        o.put("reason", r == null ? null : r.reason());
        o.put("fault_address", r == null ? null : r.faultAddress().orElse(null));
        o.put("location", r == null ? null : r.location().orElse(null));
        o.put("file", i.relative());
        o.put("damaged", r == null ? i.damage() : null);
        return o;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List crash reports (the same as 'rayos crashes').",
            footer = {"", "Examples:", "  rayos crashes list", "  rayos crashes list -1"})
    static final class ListCmd implements Callable<Integer> {
        @ParentCommand
        CrashesCommand crashes;
        @Spec
        CommandSpec spec;
        @Mixin
        Selection selection;

        @Override
        public Integer call() throws Exception {
            return list(crashes, selection, spec);
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print the fields of each matching crash report, one 'name: value' per line, like "
                    + "coredumpctl info; without MATCH, the latest report.",
            footer = {"", "Examples:", "  rayos crashes info", "  rayos crashes info 3f2a9c1d.2"})
    static final class Info implements Callable<Integer> {
        @ParentCommand
        CrashesCommand crashes;
        @Spec
        CommandSpec spec;
        @Mixin
        Selection selection;

        @Override
        public Integer call() throws Exception {
            List<CrashList.Item> items = latestUnlessMatched(selection, crashes.parent);
            PrintWriter out = spec.commandLine().getOut();
            if (selection.output.equals("json")) {
                for (CrashList.Item i : items) {
                    out.println(JSON.std.asString(json(i)));
                }
            } else {
                boolean first = true;
                for (CrashList.Item i : items) {
                    if (!first) {
                        out.println();
                    }
                    first = false;
                    CrashReport r = i.report();
                    field(out, "ID", i.id());
                    field(out, "Boot", i.boot().hex());
                    field(out, "Time", i.timeShown());
                    field(out, "File", i.relative());
                    if (r == null) {
                        field(out, "Damaged", i.damage());
                        continue;
                    }
                    field(out, "Source", r.source().label());
                    field(out, "Kind", r.kind().orElse(null));
                    field(out, "Reason", RayosCommand.oneLine(r.reason()));
                    field(out, "Location", r.location().orElse(null));
                    field(out, "Fault address", r.faultAddress().orElse(null));
                    field(out, "Error code", r.errorCode().orElse(null));
                    field(out, "Version", r.version().orElse(null));
                    if (!r.stack().isEmpty()) {
                        field(out, "Stack", r.stack().get(0));
                        for (String f : r.stack().subList(1, Math.min(r.stack().size(), 16))) {
                            out.println("                 " + f);
                        }
                    }
                }
            }
            out.flush();
            return 0;
        }

        private static void field(PrintWriter out, String name, String value) {
            if (value != null) {
                out.printf("%15s: %s%n", name, value);
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print each matching crash report as stored (docs/crash-report.md); without MATCH, the "
                    + "latest report.",
            footer = {"", "Examples:", "  rayos crashes show", "  rayos crashes show -2"})
    static final class Show implements Callable<Integer> {
        @ParentCommand
        CrashesCommand crashes;
        @Spec
        CommandSpec spec;
        @Mixin
        Selection selection;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            for (CrashList.Item i : latestUnlessMatched(selection, crashes.parent)) {
                out.print(new String(Files.readAllBytes(i.file()), StandardCharsets.UTF_8));
            }
            out.flush();
            return 0;
        }
    }

    /** The matching reports, or the latest one when no MATCH was given; none is exit 1. */
    static List<CrashList.Item> latestUnlessMatched(Selection sel, RayosCommand root) throws Exception {
        List<CrashList.Item> items = sel.select(root);
        if (items.isEmpty()) {
            throw new UserError("no crash reports" + (sel.match == null ? "" : " match '" + LineCodec.printable(sel.match) + "'"),
                    ExitCodes.CHECK);
        }
        if (sel.match == null) {
            return new ArrayList<>(List.of(items.get(sel.reverse ? 0 : items.size() - 1)));
        }
        return items;
    }
}
