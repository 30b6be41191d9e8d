package dev.rayos.cli;

import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.Level;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.BootSelector;
import dev.rayos.log.read.LineFormat;
import dev.rayos.log.read.LineSink;
import dev.rayos.log.read.LogQuery;
import dev.rayos.log.read.LogReader;
import dev.rayos.log.read.Matches;
import dev.rayos.log.read.ReadQueryException;
import dev.rayos.log.read.TimeExpr;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos logs}: read the logs of one boot or many, journalctl-style. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show the logs of a boot: every category, merged by time.",
            "Mono times of a boot that synced its clock later are shown in UTC with a ~ (estimated).",
            "A corrupt or partial line is shown as '!! …' saying where (json: skipped and counted)."},
        footer = {"", "Examples:",
            "  rayos logs                      the current boot",
            "  rayos logs -b -1 --level WARN   warnings and worse of the boot before",
            "  rayos logs -b all --event 'RAYOS_*' -o json",
            "  rayos logs --since -10m --grep 'disk|sda' -f"})
final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    RayosCommand parent;

    @Option(names = {"-b", "--boot"}, arity = "0..1", fallbackValue = "", paramLabel = "ID|±N|all",
            description = "Which boot: none = current; 0, -1, -2 … back from the latest; 1, 2 … from the first; "
                    + "a boot id or unique prefix; all.")
    String boot;

    @Option(names = {"-l", "--level"}, paramLabel = "LEVEL", description = "This level or worse.")
    String level;

    @Option(names = {"-c", "--component"}, paramLabel = "COMPONENT", description = "Only this component (repeatable).")
    List<String> components = new ArrayList<>();

    @Option(names = {"-e", "--event"}, paramLabel = "GLOB", description = "Event names matching this glob (* and ?).")
    String event;

    @Option(names = "--category", paramLabel = "CATEGORY", description = "Only this category (repeatable): boot, input, ai, …")
    List<String> categories = new ArrayList<>();

    @Option(names = {"-g", "--grep"}, paramLabel = "REGEX", description = "Lines containing a match (Java regex), over the whole line.")
    String grep;

    @Option(names = {"-S", "--since"}, paramLabel = "TIME", description = "At or after: 2025-12-30T15:12:01Z, 2025-12-30, now, -10m, -2h, -1d.")
    String since;

    @Option(names = {"-U", "--until"}, paramLabel = "TIME", description = "At or before (same forms as --since).")
    String until;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "Only the last N lines.")
    Integer lines;

    @Option(names = {"-f", "--follow"}, description = "Keep showing new lines, through rotations and into new boots.")
    boolean follow;

    @Option(names = {"-o", "--output"}, paramLabel = "FORM", defaultValue = "short",
            description = "short, raw or json (default: ${DEFAULT-VALUE}).")
    String output;

    /** Where lines go (standard output; tests set another). */
    OutputStream out;
    /** When following ends (never, for a person; tests set it). */
    BooleanSupplier stopFollowing = () -> false;
    long pollMillis = 100;

    @Override
    public Integer call() throws Exception {
        if (!List.of("short", "raw", "json").contains(output)) {
            throw new UserError("-o '" + dev.rayos.log.line.LineCodec.printable(output) + "' is not short, raw or json");
        }
        if (lines != null && lines < 0) {
            throw new UserError("-n must be 0 or more, not " + lines);
        }
        RootLayout layout = parent.layout();
        LogQuery query;
        BootSelector sel;
        long now = LogClock.system().utcNanos();
        try {
            sel = BootSelector.parse(boot);
            Level min = level == null ? null : Args.level(level);
            Set<String> comps = new LinkedHashSet<>();
            for (String c : components) {
                comps.add(Args.component(c));
            }
            Set<String> cats = new LinkedHashSet<>();
            for (String c : categories) {
                cats.add(LogQuery.category(c));
            }
            Pattern ev = event == null ? null : LogQuery.glob(event);
            Pattern re = grep == null ? null : LogQuery.regex(grep);
            Long s = since == null ? null : TimeExpr.parse(since, now);
            Long u = until == null ? null : TimeExpr.parse(until, now);
            if (s != null && u != null && s > u) {
                throw new UserError("--since " + since + " is after --until " + until);
            }
            query = new LogQuery(min, comps, ev, cats, re, s, u);
        } catch (ReadQueryException e) {
            throw new UserError(e.getMessage());
        }
        Boots boots = new Boots(layout, LogClock.system());
        BootCatalog catalog = BootCatalog.load(layout, boots);
        List<BootCatalog.Entry> selected;
        try {
            selected = catalog.select(sel);
        } catch (ReadQueryException e) {
            throw new UserError(e.getMessage());
        }
        OutputStream o = out != null ? out
                : parent.rawOut != null ? parent.rawOut
                : new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        LineFormat format = LineFormat.of(output, o, layout, selected.size() > 1 || follow);
        try (LogReader reader = new LogReader(layout, query)) {
            LineSink sink = lines == null ? format : new LastLines(format, lines);
            LogReader.Position pos = reader.read(selected, sink, follow);
            if (sink instanceof LastLines) {
                ((LastLines) sink).replay();
            }
            format.flush();
            if (follow) {
                boolean onCurrent = catalog.current().isPresent() && pos.boot() != null
                        && pos.boot().equals(catalog.current().get());
                reader.follow(onCurrent ? pos : new LogReader.Position(null), boots, format, pollMillis,
                        stopFollowing);
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("Broken pipe")) {
                return 0; // the reader went away (| head): nothing more to do
            }
            throw e;
        } finally {
            try {
                o.flush();
            } catch (IOException ignored) {
                // stdout closed: already reported as above
            }
        }
        if (format.skipped() > 0) {
            parent.spec.commandLine().getErr().println("rayos: skipped " + format.skipped()
                    + " corrupt or partial line" + (format.skipped() == 1 ? "" : "s") + " (not readable as JSON)");
            parent.spec.commandLine().getErr().flush();
        }
        return 0;
    }

    /** Keeps the last N lines, then hands them on in order. */
    static final class LastLines implements LineSink {
        private record Kept(BootCatalog.Entry boot, Matches m, int i) {}

        private final LineSink next;
        private final int n;
        private final ArrayDeque<Kept> kept = new ArrayDeque<>();

        LastLines(LineSink next, int n) {
            this.next = next;
            this.n = n;
        }

        @Override
        public void boot(BootCatalog.Entry boot) {}

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) {
            if (n == 0) {
                return;
            }
            for (int i = Math.max(from, to - n); i < to; i++) {
                if (kept.size() == n) {
                    kept.removeFirst();
                }
                kept.addLast(new Kept(boot, m, i));
            }
        }

        void replay() throws IOException {
            BootCatalog.Entry last = null;
            for (Kept k : kept) {
                if (last == null || !last.id().equals(k.boot().id())) {
                    next.boot(k.boot());
                    last = k.boot();
                }
                next.lines(k.boot(), k.m(), k.i(), k.i() + 1);
            }
        }
    }
}
