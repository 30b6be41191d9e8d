package dev.rayos.cli;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.BootSelector;
import dev.rayos.log.read.LineFormat;
import dev.rayos.log.read.LineSink;
import dev.rayos.log.read.LogQuery;
import dev.rayos.log.read.LogReader;
import dev.rayos.log.read.ReadQueryException;
import dev.rayos.log.read.TimeExpr;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rayos logs}: read the logs of one boot or many, journalctl-style. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show the logs of a boot, like journalctl: every category, merged by time, the current boot "
                + "unless -b says otherwise. FIELD=VALUE arguments keep the lines where the field has that value "
                + "(COMPONENT, EVENT, LEVEL, CATEGORY, BOOT_ID or any key of the line; one field given twice is "
                + "either value). Mono times of a boot that synced its clock later are shown in UTC with a ~ "
                + "(estimated); all times are UTC. A corrupt or partial line is shown as '!! ...' saying where "
                + "(structured forms skip and count it). On a terminal the output goes through a pager "
                + "($RAYOS_PAGER, $PAGER, else less -FRSX) unless --no-pager.",
        footer = {"", "Examples:",
            "  rayos logs                          the current boot",
            "  rayos logs -b -1 -p warning         warnings and worse of the boot before",
            "  rayos logs -p warning..err -u 'disk*,kernel'",
            "  rayos logs -k -r -n                 the kernel's last 10 lines, newest first",
            "  rayos logs -b all --event 'RAYOS_*' -o json",
            "  rayos logs --since '1 hour ago' -g 'sda' -f",
            "  rayos logs COMPONENT=disk dev=/dev/sda",
            "  rayos logs -F COMPONENT             the components that logged",
            "  rayos logs --disk-usage; rayos logs --vacuum-size=500M"})
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = {"-b", "--boot"}, arity = "0..1", fallbackValue = "", paramLabel = "ID|±N|all",
            description = "Which boot: none = current; 0, -1, -2 … back from the latest; 1, 2 … from the first; "
                    + "a boot id or unique prefix; all.")
    String boot;

    @Option(names = {"-p", "--priority", "-l", "--level"}, paramLabel = "PRIORITY",
            description = "This level or worse (emerg alert crit err warning notice info debug trace, or 0-7), or "
                    + "a range FROM..TO: warning..err.")
    String level;

    @Option(names = {"-u", "--component", "-c", "--unit"}, paramLabel = "COMPONENT",
            description = "Only this component: a name or a glob (* ?), comma-separated lists, repeatable.")
    List<String> components = new ArrayList<>();

    @Option(names = {"-k", "--kernel"}, description = "Only the kernel's lines (component kernel).")
    boolean kernel;

    @Option(names = {"-e", "--event"}, paramLabel = "GLOB", description = "Event names matching this glob (* and ?).")
    String event;

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only this category (repeatable): boot, input, ai, …")
    List<String> categories = new ArrayList<>();

    @Option(names = {"-g", "--grep"}, paramLabel = "REGEX",
            description = "Lines containing a match (Java regex) anywhere; all lower case matches any case (smart case).")
    String grep;

    @Option(names = "--case-sensitive", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Whether --grep minds case (default: only when the pattern has upper case).")
    Boolean caseSensitive;

    @Option(names = {"-S", "--since"}, paramLabel = "TIME",
            description = "At or after: 2025-12-30T15:12:01Z, '2025-12-30 15:12', 2025-12-30, today, yesterday, now, "
                    + "'1 hour ago', -10m, -2h, -1d (UTC).")
    String since;

    @Option(names = {"-U", "--until"}, paramLabel = "TIME", description = "At or before (same forms as --since).")
    String until;

    @Option(names = {"-n", "--lines"}, arity = "0..1", fallbackValue = "10", paramLabel = "N",
            description = "Only the last N lines (-n alone: 10; all: every line).")
    String lines;

    @Option(names = {"-f", "--follow"}, description = "Show the last 10 lines, then new ones as they come, through "
            + "rotations and into new boots (waits for a machine that has none yet).")
    boolean follow;

    @Option(names = {"-r", "--reverse"}, description = "Newest first.")
    boolean reverse;

    @Option(names = {"-o", "--output"}, paramLabel = "FORM", defaultValue = "short",
            description = "short, short-iso, short-precise, short-monotonic, cat, raw, json, json-pretty, verbose "
                    + "or export (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = {"-F", "--field"}, paramLabel = "FIELD", description = "Print the values FIELD takes, each once.")
    String field;

    @Option(names = "--no-pager", description = "Do not pipe the output into a pager.")
    boolean noPager;

    @Option(names = {"-q", "--quiet"}, description = "No notes on stderr and no '-- No entries --'.")
    boolean quiet;

    @Option(names = "--utc", description = "Times in UTC (they always are; accepted for journalctl's habit).")
    boolean utc;

    @Option(names = "--disk-usage", description = "How much space the log files take.")
    boolean diskUsage;

    @Option(names = "--vacuum-size", paramLabel = "SIZE", description = "Delete archived log files, oldest first, "
            + "until all take at most SIZE (500M, 1G).")
    String vacuumSize;

    @Option(names = "--vacuum-time", paramLabel = "TIME", description = "Delete archived log files last written "
            + "before TIME (2d, '1 week ago', 2025-12-30).")
    String vacuumTime;

    @Option(names = "--vacuum-files", paramLabel = "N", description = "Delete archived log files, oldest first, "
            + "until at most N are left.")
    Integer vacuumFiles;

    @Parameters(paramLabel = "FIELD=VALUE", arity = "0..*", description = "Matches (see above).")
    List<String> matches = new ArrayList<>();

    /** Where lines go (standard output; tests set another). */
    OutputStream out;
    /** When following ends (never, for a person; tests set it). */
    BooleanSupplier stopFollowing = () -> false;
    long pollMillis = 100;

    @Override
    public Integer call() throws Exception {
        if (!LineFormat.FORMS.contains(output)) {
            throw new UserError("-o '" + LineCodec.printable(output) + "' is not one of " + String.join(", ", LineFormat.FORMS)
                    + DidYouMean.hint(DidYouMean.suggestions(output, LineFormat.FORMS)));
        }
        Integer n = count();
        if (follow && reverse) {
            throw new UserError("-f and -r do not go together (following shows the newest lines last)");
        }
        if (field != null && !LineSinks.isField(field)) {
            throw new UserError("-F '" + LineCodec.printable(field) + "' is not COMPONENT, EVENT, LEVEL, CATEGORY, BOOT_ID or a field key");
        }
        Map<String, Set<String>> wanted = LineSinks.matches(matches);
        PrintWriter err = parent.spec.commandLine().getErr();
        boolean housekeeping = diskUsage || vacuumSize != null || vacuumTime != null || vacuumFiles != null;
        RootLayout layout = follow && !housekeeping ? parent.layout() : parent.machine();
        long now = LogClock.system().utcNanos();
        LogQuery query;
        BootSelector sel;
        try {
            sel = BootSelector.parse(boot);
            Level[] range = level == null ? new Level[] {null, null} : LogQuery.priority(level);
            Set<String> comps = new LinkedHashSet<>();
            List<Pattern> globs = new ArrayList<>();
            List<String> names = new ArrayList<>(components);
            if (kernel) {
                names.add("kernel");
            }
            for (String list : names) {
                for (String c : list.split(",", -1)) {
                    if (c.contains("*") || c.contains("?")) {
                        globs.add(LogQuery.glob(c));
                    } else {
                        comps.add(Args.component(c));
                    }
                }
            }
            Pattern compGlob = globs.isEmpty() ? null
                    : Pattern.compile(String.join("|", globs.stream().map(Pattern::pattern).toList()), Pattern.DOTALL);
            if (compGlob != null && comps.isEmpty()) {
                comps = null;
            }
            Set<String> cats = new LinkedHashSet<>();
            for (String c : categories) {
                cats.add(LogQuery.category(c));
            }
            Pattern ev = event == null ? null : LogQuery.glob(event);
            boolean ignoreCase = grep != null && (caseSensitive != null ? !caseSensitive : grep.equals(grep.toLowerCase(java.util.Locale.ROOT)));
            Pattern re = grep == null ? null : LogQuery.regex(grep, ignoreCase);
            Long s = since == null ? null : TimeExpr.parse(since, now);
            Long u = until == null ? null : TimeExpr.parse(until, now);
            if (s != null && u != null && s > u) {
                throw new UserError("--since " + since + " is after --until " + until);
            }
            query = new LogQuery(range[0], comps, ev, cats, re, s, u, range[1], compGlob);
        } catch (ReadQueryException e) {
            throw new UserError(e.getMessage());
        }
        Boots boots = new Boots(layout, LogClock.system());
        if (housekeeping) {
            return housekeeping(layout, boots, now);
        }
        // One boot (the current one, the default, or one by id) reads that boot's history alone;
        // following may move on to boots not yet started, so it keeps the whole catalog.
        BootCatalog catalog = follow ? null : BootCatalog.ofSelected(layout, boots, sel).orElse(null);
        if (catalog == null) {
            catalog = BootCatalog.load(layout, boots);
        }
        if (sel instanceof BootSelector.Current && !quiet) {
            MachineRoot.warnIfCurrentDamaged(boots, err);
        }
        if (!quiet) {
            MachineRoot.sayUnreadable(catalog, err);
        }
        List<BootCatalog.Entry> selected;
        try {
            selected = catalog.select(sel);
        } catch (ReadQueryException e) {
            if (!(sel instanceof BootSelector.Current && catalog.all().isEmpty())) {
                throw new UserError(e.getMessage());
            }
            selected = List.of(); // no boot yet: no entries, as journalctl on an empty journal (-f waits for one)
        }
        if (!quiet && (since != null || until != null)) {
            for (BootCatalog.Entry e : selected) {
                if (e.clockPair() == null) {
                    err.println("rayos: boot " + e.id() + " never learnt the wall clock: its lines cannot be placed in "
                            + "time and are left out by --since/--until");
                }
            }
        }
        Pager pager = out == null && parent.rawOut == null && !noPager && !follow && field == null ? Pager.start(System.getenv()) : null;
        OutputStream o = out != null ? out
                : parent.rawOut != null ? parent.rawOut
                : new BufferedOutputStream(pager != null ? pager.input() : new FileOutputStream(FileDescriptor.out), 1 << 16);
        LineFormat format = LineFormat.of(output, o, layout, selected.size() > 1 || follow);
        LineSinks.FieldValues values = field == null ? null : new LineSinks.FieldValues(field);
        LineSinks.Kept kept = values == null && (n != null || reverse) ? new LineSinks.Kept(format, n) : null;
        LineSink sink = values != null ? values : kept != null ? kept : format;
        if (!wanted.isEmpty()) {
            sink = new LineSinks.FieldMatch(wanted, sink);
        }
        try (LogReader reader = new LogReader(layout, query)) {
            reader.useTimeIndex(!"off".equals(System.getenv("RAYOS_TIME_INDEX")));
            LogReader.Position pos = reader.read(selected, sink, follow);
            if (kept != null) {
                kept.replay(reverse);
            }
            if (values != null) {
                PrintWriter pw = new PrintWriter(new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8));
                values.print(pw);
            }
            if (format.shown() == 0 && values == null && !quiet && !follow && !output.startsWith("json")
                    && !output.equals("export")) {
                o.write("-- No entries --\n".getBytes(StandardCharsets.UTF_8));
            }
            format.flush();
            if (System.getenv("RAYOS_DEBUG_READ") != null) {
                err.println("rayos: " + reader.counts()); // what the time index saved (docs/log-times.md)
                err.flush();
            }
            if (!quiet) {
                for (String problem : reader.problems()) {
                    err.println("rayos: skipped " + problem);
                    err.flush();
                }
            }
            if (follow) {
                boolean onCurrent = catalog.current().isPresent() && pos.boot() != null
                        && pos.boot().equals(catalog.current().get());
                reader.follow(onCurrent ? pos : new LogReader.Position(null), boots, format, pollMillis,
                        stopFollowing);
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Broken pipe") || pager != null) {
                return 0; // the reader went away (| head, or q in the pager): nothing more to do
            }
            throw e;
        } finally {
            try {
                o.flush();
                if (pager != null) {
                    o.close();
                }
            } catch (IOException ignored) {
                // stdout closed: already reported as above
            }
            if (pager != null) {
                pager.finish();
            }
        }
        if (format.skipped() > 0 && !quiet) {
            err.println("rayos: skipped " + format.skipped()
                    + " corrupt or partial line" + (format.skipped() == 1 ? "" : "s") + " (not readable as " + output + ")");
            err.flush();
        }
        return 0;
    }

    /** -n as given: a count, all, or (with -f and no -n) 10. */
    private Integer count() {
        if (lines == null) {
            return follow ? Integer.valueOf(10) : null;
        }
        if (lines.equals("all")) {
            return null;
        }
        if (!lines.matches("\\+?[0-9]{1,19}")) {
            throw new UserError("-n '" + LineCodec.printable(lines) + "' is not a number of lines (or all)");
        }
        String d = lines.startsWith("+") ? lines.substring(1) : lines;
        if (d.length() > 9 || Long.parseLong(d) > Integer.MAX_VALUE) {
            throw new UserError("-n " + LineCodec.printable(lines) + " is more lines than can be kept; use -n all");
        }
        return Integer.parseInt(d);
    }

    private int housekeeping(RootLayout layout, Boots boots, long now) throws IOException {
        PrintWriter o = parent.spec.commandLine().getOut();
        Optional<BootId> current = boots.current();
        List<java.nio.file.Path> unreadable = new ArrayList<>();
        BootCatalog.categoryDirs(layout, unreadable);
        if (!quiet) {
            for (java.nio.file.Path d : unreadable) { // left out of the sums and never vacuumed
                parent.spec.commandLine().getErr().println("rayos: skipped " + layout.relative(d) + ": permission denied");
            }
            parent.spec.commandLine().getErr().flush();
        }
        if (diskUsage) {
            LogVacuum.diskUsage(layout, current, o);
        }
        if (vacuumSize != null || vacuumTime != null || vacuumFiles != null) {
            Long size = vacuumSize == null ? null : LogVacuum.size(vacuumSize);
            Long before = null;
            if (vacuumTime != null) {
                try {
                    String t = vacuumTime.matches("[0-9].*[a-z]") && !vacuumTime.contains(" ") && !vacuumTime.contains("-")
                            ? "-" + vacuumTime : vacuumTime;
                    before = TimeExpr.parse(t, now);
                } catch (ReadQueryException e) {
                    throw new UserError("--vacuum-time: " + e.getMessage());
                }
            }
            if (vacuumFiles != null && vacuumFiles < 0) {
                throw new UserError("--vacuum-files must be 0 or more, not " + vacuumFiles);
            }
            LogVacuum.vacuum(layout, current, size, before, vacuumFiles, o);
        }
        return 0;
    }
}
