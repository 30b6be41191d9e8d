package dev.rayos.log.status;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A logging process's {@link StatusChannel} kept where another process can read it: {@code rayos
 * status} shows a store that cannot write, a crash report held back, a marker the history missed,
 * of every process of the boot ({@code docs/status-file.md}). The file lives under {@code run/}
 * (tmpfs on a real machine), so it can be written when the data partition is what fails. Each
 * line is a log line of the usual grammar; the file is replaced whole at each change, so a reader
 * sees one state or the next. A reader never trusts it: a line that does not parse is counted,
 * not shown.
 */
public final class StatusFile implements StatusChannel.Sink {
    /** The line's component and event: {@code <ts> WARN rayos-log STATUS pid=… boot=… kind=… active=… msg=…}. */
    static final String COMPONENT = "rayos-log";
    static final String EVENT = "STATUS";
    /** A message is cut to this many characters: a status line stays far below a line's limit. */
    static final int MAX_MESSAGE = 1000;
    /** The most a status file is read of: 64 lines of ~1 KB, with room to spare. */
    static final int MAX_BYTES = 256 * 1024;

    private final RootLayout layout;
    private final Path file;
    private final BootId boot;
    /** A pid as a line's {@code pid=} and a file's name give it: positive, at most 18 digits. */
    private static final String PID = "[1-9][0-9]{0,17}";
    private final long pid;
    private final LogClock clock;
    private final BooleanSupplier wallClockKnown;

    /** One report as read back: which process, when, what kind, whether still failing, and what it said. */
    public record Report(long pid, BootId boot, Timestamp ts, String kind, boolean active, String message) {}

    /** What a status file held: its reports, oldest first, and how many of its lines were unreadable. */
    public record Reading(List<Report> reports, int unreadable) {}

    /** The status file of process {@code pid} logging for {@code boot} under {@code layout}. */
    public StatusFile(RootLayout layout, BootId boot, long pid, LogClock clock, BooleanSupplier wallClockKnown) {
        this.layout = layout;
        this.file = layout.statusFile(pid);
        this.boot = boot;
        this.pid = pid;
        this.clock = clock;
        this.wallClockKnown = wallClockKnown;
    }

    @Override
    public void changed(List<StatusChannel.Entry> recent, Set<String> active) throws IOException {
        boolean utc = wallClockKnown.getAsBoolean();
        long monoNow = clock.monoNanos();
        long utcNow = clock.utcNanos();
        StringBuilder out = new StringBuilder();
        for (StatusChannel.Entry e : recent) {
            // An entry's time is monotonic; once the wall clock is known it is placed in UTC by now's pair.
            Timestamp ts = utc ? Timestamp.utc((utcNow - (monoNow - e.monoNanos())) / 1000 * 1000)
                    : Timestamp.mono(e.monoNanos());
            out.append(LineCodec.format(line(ts, e.kind(), active.contains(e.kind()), e.message()))).append('\n');
        }
        Files.createDirectories(file.getParent());
        layout.requireInside(file.getParent()); // a link out of the root is never written through
        AtomicFiles.writeUnsynced(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private LogLine line(Timestamp ts, String kind, boolean active, String message) {
        String msg = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
        return new LogLine(ts, Level.WARN, COMPONENT, EVENT, List.of(
                new LogLine.Field("pid", Long.toString(pid)),
                new LogLine.Field("boot", boot.hex()),
                new LogLine.Field("kind", kind),
                new LogLine.Field("active", active ? "yes" : "no"),
                new LogLine.Field("msg", msg)));
    }

    /** Reads one status file; an unreadable line is counted, never thrown. */
    public static Reading read(Path f) throws IOException {
        byte[] bytes = AtomicFiles.readSmall(f, MAX_BYTES).orElse(new byte[0]);
        List<Report> reports = new ArrayList<>();
        int unreadable = 0;
        for (String text : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
            if (text.isEmpty()) {
                continue;
            }
            Report r = report(text);
            if (r == null) {
                unreadable++;
            } else {
                reports.add(r);
            }
        }
        return new Reading(reports, unreadable);
    }

    /** One status line as a report, or null when it is not one. */
    static Report report(String text) {
        LogLine l;
        try {
            l = LineCodec.parse(text);
        } catch (LineParseException e) {
            return null;
        }
        String pid = l.get("pid");
        String boot = l.get("boot");
        String kind = l.get("kind");
        String active = l.get("active");
        String msg = l.get("msg");
        if (!l.component().equals(COMPONENT) || !l.event().equals(EVENT) || pid == null || !pid.matches(PID)
                || boot == null || !BootId.isValid(boot) || kind == null || msg == null
                || !("yes".equals(active) || "no".equals(active))) {
            return null;
        }
        return new Report(Long.parseLong(pid), BootId.parse(boot), l.ts(), kind, active.equals("yes"), msg);
    }

    /**
     * The reports of every logging process of {@code boot}, oldest first (a process's own reports in
     * its order; equal times in the order of the files' names), and the count of unreadable lines
     * and files. Links and anything not a regular {@code <pid>.status} file are left alone.
     */
    public static Reading readAll(RootLayout layout, BootId boot) throws IOException {
        Path dir = layout.statusDir();
        List<Report> reports = new ArrayList<>();
        int unreadable = 0;
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return new Reading(reports, 0);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.status")) {
            for (Path p : ds) {
                if (p.getFileName().toString().matches(PID + "\\.status")
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        for (Path p : files) {
            Reading one;
            try {
                one = read(p);
            } catch (IOException e) {
                unreadable++; // vanished, or not readable: the others are still shown
                continue;
            }
            unreadable += one.unreadable();
            for (Report r : one.reports()) {
                if (r.boot().equals(boot)) {
                    reports.add(r);
                }
            }
        }
        reports.sort(java.util.Comparator.comparing(Report::ts)); // stable: each process's order kept
        return new Reading(reports, unreadable);
    }
}
