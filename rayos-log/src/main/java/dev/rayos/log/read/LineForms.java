package dev.rayos.log.read;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The output forms of {@code rayos logs -o} that parse each line (journalctl's names):
 * {@code short-iso}, {@code short-precise}, {@code short-monotonic}, {@code cat}, {@code json},
 * {@code json-pretty}, {@code verbose} and {@code export} ({@code docs/reading-logs.md}). Corrupt and
 * partial lines are shown flagged in the text forms and skipped (counted) in the structured ones.
 */
abstract class LineForms extends LineFormat {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private final boolean structured;
    private long skipped;

    LineForms(OutputStream out, RootLayout layout, boolean structured) {
        super(out, layout);
        this.structured = structured;
    }

    static LineFormat of(String name, OutputStream out, RootLayout layout) {
        switch (name) {
            case "short-iso": return new Text(out, layout, ISO);
            case "short-precise": return new Text(out, layout, PRECISE);
            case "short-monotonic": return new Monotonic(out, layout);
            case "cat": return new Cat(out, layout);
            case "json": return new Json(out, layout, false);
            case "json-pretty": return new Json(out, layout, true);
            case "verbose": return new Verbose(out, layout);
            case "export": return new Export(out, layout);
            default: return null;
        }
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public void lines(BootCatalog.Entry boot, Matches m, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            byte f = m.flags(i);
            LogLine l = null;
            if ((f & (Matches.CORRUPT | Matches.PARTIAL)) == 0) {
                try {
                    l = LineCodec.parse(new String(m.data(), m.start(i), m.length(i), StandardCharsets.UTF_8));
                } catch (LineParseException e) {
                    l = null;
                }
            }
            if (l == null) {
                if (structured) {
                    skipped++;
                } else {
                    out.write(flagLine(m, i));
                    counted(1);
                }
                continue;
            }
            write(boot, m, i, l);
            counted(1);
        }
    }

    abstract void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException;

    /** The line's UTC epoch nanoseconds, or null when it cannot be placed (a boot without a pair). */
    static Long utc(Matches m, int i) {
        return (m.flags(i) & Matches.MONO) != 0 ? null : Math.max(0, m.key(i));
    }

    /** The line's CLOCK_MONOTONIC nanoseconds: as written, or through the boot's pair; null when unknown. */
    static Long mono(BootCatalog.Entry boot, Matches m, int i, LogLine l) {
        if (l.ts().mono()) {
            return l.ts().nanos();
        }
        BootRecord.TimeSync pair = boot.clockPair();
        return pair == null ? null : pair.monoNanos() + (l.ts().nanos() - pair.utcNanos());
    }

    /** Everything after the timestamp, as written: "LEVEL component EVENT k=v …". */
    static String rest(Matches m, int i) {
        String s = new String(m.data(), m.start(i), m.length(i), StandardCharsets.UTF_8);
        int sp = s.indexOf(' ');
        return sp < 0 ? "" : s.substring(sp + 1);
    }

    void text(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Text extends LineForms {
        private final DateTimeFormatter fmt;

        Text(OutputStream out, RootLayout layout, DateTimeFormatter fmt) {
            super(out, layout, false);
            this.fmt = fmt;
        }

        @Override
        void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException {
            Long t = utc(m, i);
            String when = t == null ? l.ts().toString()
                    : ((m.flags(i) & Matches.ESTIMATED) != 0 ? "~" : "") + fmt.format(Instant.ofEpochSecond(0, t));
            text(when + " " + rest(m, i) + "\n");
        }
    }

    private static final class Monotonic extends LineForms {
        Monotonic(OutputStream out, RootLayout layout) {
            super(out, layout, false);
        }

        @Override
        void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException {
            Long mono = mono(boot, m, i, l);
            String when = mono == null ? "[           ?]" : String.format(Locale.ROOT, "[%5d.%06d]", mono / 1_000_000_000L,
                    (mono % 1_000_000_000L) / 1000);
            text(when + " " + rest(m, i) + "\n");
        }
    }

    private static final class Cat extends LineForms {
        Cat(OutputStream out, RootLayout layout) {
            super(out, layout, false);
        }

        @Override
        void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException {
            String msg = l.get("msg");
            if (msg == null) {
                String r = rest(m, i);
                int sp = r.indexOf(' ', r.indexOf(' ') + 1); // after LEVEL component
                msg = sp < 0 ? r : r.substring(sp + 1);
            }
            text(LineCodec.escapeControls(msg) + "\n");
        }
    }

    /** One object per line: boot, category, times, level, component, event and the fields. */
    static Map<String, Object> object(BootCatalog.Entry boot, Matches m, int i, LogLine l) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("boot_id", boot.id().hex());
        o.put("category", m.category());
        o.put("ts", l.ts().toString());
        Long t = utc(m, i);
        String utc = null;
        if (t != null) {
            dev.rayos.log.line.LineBuffer lb = new dev.rayos.log.line.LineBuffer(40);
            LineCodec.appendUtc(lb, t);
            utc = lb.toString();
        }
        o.put("utc", utc); // as -o json writes it
        o.put("estimated", (m.flags(i) & Matches.ESTIMATED) != 0);
        o.put("level", l.level().name());
        o.put("component", l.component());
        o.put("event", l.event());
        Map<String, Object> fields = new LinkedHashMap<>();
        for (LogLine.Field fd : l.fields()) {
            fields.putIfAbsent(fd.key(), fd.value());
        }
        o.put("fields", fields);
        return o;
    }

    private static final class Json extends LineForms {
        private final JSON json;

        Json(OutputStream out, RootLayout layout, boolean pretty) {
            super(out, layout, true);
            this.json = pretty ? JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT) : JSON.std;
        }

        @Override
        void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException {
            text(json.asString(object(boot, m, i, l)) + "\n");
        }
    }

    private static final class Verbose extends LineForms {
        Verbose(OutputStream out, RootLayout layout) {
            super(out, layout, false);
        }

        @Override
        void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException {
            Long t = utc(m, i);
            StringBuilder b = new StringBuilder();
            b.append(t == null ? l.ts().toString() : ((m.flags(i) & Matches.ESTIMATED) != 0 ? "~" : "")
                    + PRECISE.format(Instant.ofEpochSecond(0, t)));
            b.append(" [boot_id=").append(boot.id().hex()).append(" category=").append(m.category()).append("]\n");
            b.append("    TS=").append(l.ts()).append('\n');
            b.append("    LEVEL=").append(l.level().name()).append('\n');
            b.append("    COMPONENT=").append(l.component()).append('\n');
            b.append("    EVENT=").append(l.event()).append('\n');
            for (LogLine.Field fd : l.fields()) {
                b.append("    ").append(fd.key()).append('=').append(LineCodec.escapeControls(fd.value())).append('\n');
            }
            text(b.toString());
        }
    }

    /** journalctl's export format: KEY=value lines, a blank line after each entry; values with a line feed in binary form. */
    private static final class Export extends LineForms {
        Export(OutputStream out, RootLayout layout) {
            super(out, layout, true);
        }

        @Override
        void write(BootCatalog.Entry boot, Matches m, int i, LogLine l) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            Long t = utc(m, i);
            Long mono = mono(boot, m, i, l);
            if (t != null) {
                field(b, "__REALTIME_TIMESTAMP", Long.toString(t / 1000));
            }
            if (mono != null) {
                field(b, "__MONOTONIC_TIMESTAMP", Long.toString(mono / 1000));
            }
            field(b, "_BOOT_ID", boot.id().hex());
            field(b, "PRIORITY", Integer.toString(l.level().syslogSeverity()));
            field(b, "SYSLOG_IDENTIFIER", l.component());
            field(b, "MESSAGE", l.get("msg") != null ? l.get("msg") : rest(m, i).substring(rest(m, i).indexOf(' ') + 1));
            field(b, "RAYOS_TS", l.ts().toString());
            field(b, "RAYOS_LEVEL", l.level().name());
            field(b, "RAYOS_EVENT", l.event());
            field(b, "RAYOS_CATEGORY", m.category());
            for (LogLine.Field fd : l.fields()) {
                field(b, fieldName(fd.key()), fd.value());
            }
            b.write('\n');
            out.write(b.toByteArray());
        }

        /**
         * One field: {@code NAME=value} when the value is printable, else the binary form (name, LF,
         * 64-bit little-endian length, the bytes) that the export format requires for values with a
         * line feed or other control characters.
         */
        private static void field(ByteArrayOutputStream b, String name, String value) {
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            if (printable(value)) {
                b.write('=');
                b.writeBytes(v);
            } else {
                b.write('\n');
                b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v.length).array());
                b.writeBytes(v);
            }
            b.write('\n');
        }

        private static boolean printable(String v) {
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                    return false;
                }
            }
            return true;
        }

        /** A journal field name: [A-Z0-9_], at most 64 characters (RAYOS_F_ and the key, cut). */
        private static String fieldName(String key) {
            String n = "RAYOS_F_" + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
            return n.length() <= 64 ? n : n.substring(0, 64);
        }
    }
}
