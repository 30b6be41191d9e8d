package dev.rayos.cli;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.crash.CrashParseException;
import dev.rayos.log.crash.CrashReport;
import dev.rayos.log.crash.CrashReportFiles;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crash reports of a machine in the order they happened (the crash's own time; a report in
 * mono time is placed through its boot's clock pair, else by its file's time), and the matches
 * {@code rayos crashes} and {@code rayos crash show} accept.
 */
final class CrashList {
    private static final Pattern REPORT_ID = Pattern.compile("([0-9a-f]{32})(?:\\.([0-9]{1,2}))?");
    private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{4,32}");
    private static final Pattern BACK = Pattern.compile("-([0-9]{1,6})");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** One report: its file, its id ({@code <boot>} or {@code <boot>.N}), the report (null when damaged). */
    record Item(Path file, String relative, String id, BootId boot, CrashReport report, String damage, long orderKey,
                Long utcNanos) {
        /** The crash's time as a person reads it: UTC to the second, or {@code mono 12.345s}. */
        String timeShown() {
            if (report == null) {
                return null;
            }
            if (utcNanos != null) {
                return (report.time().mono() ? "~" : "") + SHOWN.format(Instant.ofEpochSecond(0, utcNanos));
            }
            return "mono " + BootsCommand.seconds(report.time().nanos());
        }
    }

    private final List<Item> items;

    private CrashList(List<Item> items) {
        this.items = items;
    }

    static CrashList load(RootLayout layout) throws IOException {
        Boots boots = new Boots(layout, LogClock.system());
        List<Item> out = new ArrayList<>();
        for (Path p : CrashReportFiles.list(layout.crashPanicsDir())) {
            String name = p.getFileName().toString();
            String id = name.substring(0, name.length() - ".log".length());
            BootId boot = CrashReportFiles.bootOf(p).orElseThrow();
            long mtime = Files.getLastModifiedTime(p).toMillis() * 1_000_000L;
            CrashReport r = null;
            String damage = null;
            try {
                r = CrashReportFiles.read(p);
            } catch (CrashParseException e) {
                damage = RayosCommand.oneLine(e.getMessage());
            }
            Long utc = null;
            if (r != null) {
                Timestamp t = r.time();
                if (!t.mono()) {
                    utc = t.nanos();
                } else {
                    BootRecord.TimeSync pair = pairOf(boots, boot);
                    if (pair != null) {
                        utc = pair.utcNanos() + (t.nanos() - pair.monoNanos());
                    }
                }
            }
            out.add(new Item(p, layout.relative(p), id, boot, r, damage, utc != null ? utc : mtime, utc));
        }
        out.sort(Comparator.comparingLong(Item::orderKey).thenComparing(Item::id));
        return new CrashList(out);
    }

    private static BootRecord.TimeSync pairOf(Boots boots, BootId id) {
        try {
            return boots.read(id).clockPair();
        } catch (Exception e) {
            return null; // no history: the report is placed by its file's time
        }
    }

    List<Item> all() {
        return new ArrayList<>(items);
    }

    /**
     * The reports a match names (null: all), within [since, until] when given (reports that cannot
     * be placed in UTC are left out by a time bound).
     */
    List<Item> select(String match, Long since, Long until) {
        List<Item> in = new ArrayList<>();
        for (Item i : items) {
            if (since != null && (i.utcNanos() == null || i.utcNanos() < since)) {
                continue;
            }
            if (until != null && (i.utcNanos() == null || i.utcNanos() > until)) {
                continue;
            }
            in.add(i);
        }
        if (match == null) {
            return in;
        }
        Matcher back = BACK.matcher(match);
        if (back.matches()) {
            int n = Integer.parseInt(back.group(1));
            if (n == 0) {
                throw new UserError("crash -0 is not one: -1 is the latest, -2 the one before");
            }
            return n > in.size() ? List.of() : List.of(in.get(in.size() - n));
        }
        String m = match.toLowerCase(java.util.Locale.ROOT);
        Matcher rid = REPORT_ID.matcher(m);
        if (rid.matches() && rid.group(2) != null) {
            String id = rid.group(2).equals("1") ? rid.group(1) : m;
            return in.stream().filter(i -> i.id().equals(id)).toList();
        }
        if (PREFIX.matcher(m).matches()) {
            return in.stream().filter(i -> i.boot().hex().startsWith(m)).toList();
        }
        throw new UserError("crash '" + LineCodec.printable(match.length() > 80 ? match.substring(0, 80) : match)
                + "' is not a boot id (or a prefix of at least 4 hex digits), a report id <boot_id>.N, or -1, -2 …"
                + DidYouMean.hint(DidYouMean.suggestions(m, List.of("list", "info", "show"))));
    }
}
