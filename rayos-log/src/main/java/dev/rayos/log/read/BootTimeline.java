package dev.rayos.log.read;

import dev.rayos.log.line.Marker;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.line.Timestamp;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One boot in time, for {@code rayos status} and {@code rayos boots}: when each marker was reached
 * and when warnings and errors came, as nanoseconds since the boot started, and the first and last
 * line's time.
 *
 * <p>Marker times come from the history file (recorded as the marker is logged, on the monotonic
 * clock); a marker the history lacks (logged by a process that does not record markers, or a
 * schema-1 file) is taken from the boot's logs, whose times are placed through the boot's clock
 * pair. Without a history record, time counts from the boot's first line.
 */
public final class BootTimeline {
    /** A point on the timeline: nanoseconds after the start, what, and its level. */
    public record Point(long atNanos, String what, Level level, String component) {}

    private final BootCatalog.Entry boot;
    private final Map<String, Long> markers;
    private final List<Point> problems;
    private final Long firstKey;
    private final Long lastKey;
    private final boolean mono;

    private BootTimeline(BootCatalog.Entry boot, Map<String, Long> markers, List<Point> problems, Long firstKey,
                         Long lastKey, boolean mono) {
        this.boot = boot;
        this.markers = markers;
        this.problems = problems;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.mono = mono;
    }

    /** Reads the boot's markers and its WARN-or-worse lines. */
    public static BootTimeline of(RootLayout layout, BootCatalog.Entry boot) throws IOException {
        BootRecord r = boot.record();
        Collector markersSeen = new Collector(true);
        Collector problems = new Collector(false);
        try (LogReader markerReader = new LogReader(layout,
                new LogQuery(null, null, LogQuery.glob(Marker.PREFIX + "*"), null, null, null, null), 1);
             LogReader problemReader = new LogReader(layout,
                     new LogQuery(Level.WARN, null, null, null, null, null, null), 1)) {
            markerReader.read(List.of(boot), markersSeen, false);
            problemReader.read(List.of(boot), problems, false);
        } catch (ReadQueryException e) {
            throw new IllegalStateException("the marker glob is valid", e);
        }
        FirstLast span = FirstLast.of(layout, boot);
        // without a record, the lines say: mono when a marker or an edge line carried mono time
        boolean mono = r == null ? markersSeen.mono || span != null && span.mono : r.clockPair() == null;
        Long origin = null; // the start, in the key's terms (UTC or mono nanos)
        if (r != null) {
            BootRecord.TimeSync pair = r.clockPair();
            origin = pair == null ? r.startMono() : pair.utcNanos() - (pair.monoNanos() - r.startMono());
        } else if (span != null) {
            origin = span.first;
        }
        Map<String, Long> reached = new LinkedHashMap<>();
        if (r != null) {
            for (BootRecord.MarkerTime m : r.markers()) {
                reached.put(m.name(), m.monoNanos() - r.startMono());
            }
        }
        for (Point p : markersSeen.points) {
            if (origin != null) {
                reached.putIfAbsent(p.what(), p.atNanos() - origin);
            }
        }
        List<Point> probs = new ArrayList<>();
        for (Point p : problems.points) {
            if (origin != null) {
                probs.add(new Point(p.atNanos() - origin, p.what(), p.level(), p.component()));
            }
        }
        BootTimeline t = new BootTimeline(boot, reached, probs, span == null ? null : span.first,
                span == null ? null : span.last, mono);
        t.lastAfterStart = span == null || origin == null ? null : span.last - origin;
        t.origin = origin;
        return t;
    }

    private Long lastAfterStart;
    private Long origin;

    /** The boot's start in the terms of the readers' line keys (UTC nanos, or mono nanos when {@link #mono()}), or null. */
    public Long origin() {
        return origin;
    }

    /** The last line's time, nanoseconds after the start, or null without lines. */
    public Long lastAfterStart() {
        return lastAfterStart;
    }

    public BootCatalog.Entry boot() {
        return boot;
    }

    /** Each marker reached (history first, then logs), nanoseconds after the start. */
    public Map<String, Long> markers() {
        return markers;
    }

    /** WARN-or-worse lines, nanoseconds after the start, in time order. */
    public List<Point> problems() {
        return problems;
    }

    /** The first line's time (UTC nanos, or mono nanos when {@link #mono()}), or null without lines. */
    public Long first() {
        return firstKey;
    }

    public Long last() {
        return lastKey;
    }

    /** True when this boot's times are monotonic only (it never learnt the wall clock). */
    public boolean mono() {
        return mono;
    }

    /** Collects marker or problem lines with their time key. */
    private static final class Collector implements LineSink {
        final boolean markers;
        final List<Point> points = new ArrayList<>();
        boolean mono;

        Collector(boolean markers) {
            this.markers = markers;
        }

        @Override
        public void boot(BootCatalog.Entry boot) {}

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) {
            for (int i = from; i < to; i++) {
                if ((m.flags(i) & (Matches.CORRUPT | Matches.PARTIAL)) != 0) {
                    continue;
                }
                LogLine l;
                try {
                    l = LineCodec.parse(new String(m.data(), m.start(i), m.length(i), StandardCharsets.UTF_8));
                } catch (LineParseException e) {
                    continue;
                }
                mono |= (m.flags(i) & Matches.MONO) != 0;
                if (markers && points.stream().anyMatch(p -> p.what().equals(l.event()))) {
                    continue; // the first time counts
                }
                points.add(new Point(m.key(i), l.event(), l.level(), l.component()));
            }
        }
    }

    /**
     * The time of a boot's first and last line, from the heads and tails of its files; {@code mono}
     * when one of them carried mono time that no pair placed.
     */
    static final class FirstLast {
        long first;
        long last;
        boolean mono;

        private FirstLast(long at) {
            first = at;
            last = at;
        }

        /** The span of the boot's lines, or null when it has none. */
        static FirstLast of(RootLayout layout, BootCatalog.Entry boot) throws IOException {
            BootRecord.TimeSync pair = boot.clockPair();
            FirstLast span = null;
            for (java.nio.file.Path dir : BootCatalog.categoryDirs(layout)) {
                List<dev.rayos.log.root.LogFiles.Segment> segs = new ArrayList<>();
                for (var s : dev.rayos.log.root.LogFiles.segments(dir)) {
                    if (s.boot().equals(boot.id().hex()) && s.size() > 0) {
                        segs.add(s);
                    }
                }
                if (segs.isEmpty()) {
                    continue;
                }
                segs.sort(java.util.Comparator.comparing(dev.rayos.log.root.LogFiles.Segment::order));
                for (Timestamp t : new Timestamp[] {edge(segs.get(0).path(), true), edge(segs.get(segs.size() - 1).path(), false)}) {
                    if (t == null) {
                        continue;
                    }
                    long at = !t.mono() ? t.nanos() : pair == null ? t.nanos() : pair.utcNanos() + (t.nanos() - pair.monoNanos());
                    if (span == null) {
                        span = new FirstLast(at);
                    }
                    span.first = Math.min(span.first, at);
                    span.last = Math.max(span.last, at);
                    span.mono |= t.mono() && pair == null;
                }
            }
            return span;
        }

        /** The timestamp of the first (or last) readable line of a file, or null. */
        private static Timestamp edge(java.nio.file.Path p, boolean first) throws IOException {
            try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                long size = ch.size();
                int n = (int) Math.min(size, 64 * 1024);
                long at = first ? 0 : size - n;
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(n);
                while (bb.hasRemaining() && ch.read(bb, at + bb.position()) > 0) {
                    // fill
                }
                String text = new String(bb.array(), 0, bb.position(), StandardCharsets.UTF_8);
                String[] lines = text.split("\n");
                for (int k = 0; k < lines.length; k++) {
                    String line = lines[first ? k : lines.length - 1 - k];
                    int sp = line.indexOf(' ');
                    if (sp <= 0) {
                        continue;
                    }
                    try {
                        return LineCodec.parseTimestamp(line.substring(0, sp));
                    } catch (LineParseException e) {
                        // a torn or cut line at the edge: try the next
                    }
                }
                return null;
            } catch (java.nio.file.NoSuchFileException | java.nio.file.AccessDeniedException gone) {
                return null; // vanished, or unreadable (the reader says so): the other files still count
            }
        }
    }
}
