package dev.rayos.cli;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.LineSink;
import dev.rayos.log.read.Matches;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The stages {@code rayos logs} puts between the reader and the output form: matches, -n, -r, -F. */
final class LineSinks {
    private LineSinks() {}

    /** The value of a match field in a line: COMPONENT, EVENT, LEVEL, CATEGORY, BOOT_ID, else the line's key. */
    static String valueOf(String field, BootCatalog.Entry boot, Matches m, LogLine l) {
        switch (field) {
            case "COMPONENT": return l.component();
            case "EVENT": return l.event();
            case "LEVEL": return l.level().name();
            case "CATEGORY": return m.category();
            case "BOOT_ID": return boot.id().hex();
            default: return l.get(field);
        }
    }

    static LogLine parse(Matches m, int i) {
        if ((m.flags(i) & (Matches.CORRUPT | Matches.PARTIAL)) != 0) {
            return null;
        }
        try {
            return LineCodec.parse(new String(m.data(), m.start(i), m.length(i), StandardCharsets.UTF_8));
        } catch (LineParseException e) {
            return null;
        }
    }

    /** FIELD=VALUE matches, journalctl's way: one field given several values is any of them; different fields all hold. */
    static final class FieldMatch implements LineSink {
        private final Map<String, Set<String>> wanted;
        private final LineSink next;

        FieldMatch(Map<String, Set<String>> wanted, LineSink next) {
            this.wanted = wanted;
            this.next = next;
        }

        @Override
        public void boot(BootCatalog.Entry boot) throws IOException {
            next.boot(boot);
        }

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) throws IOException {
            for (int i = from; i < to; i++) {
                LogLine l = parse(m, i);
                if (l == null) {
                    continue; // a line that cannot be read cannot be judged by its fields
                }
                boolean all = true;
                for (Map.Entry<String, Set<String>> w : wanted.entrySet()) {
                    String v = valueOf(w.getKey(), boot, m, l);
                    if (v == null || !w.getValue().contains(v)) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    next.lines(boot, m, i, i + 1);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            next.flush();
        }
    }

    /** Keeps the last N lines (all, when N is null), then hands them on in order or newest first. */
    static final class Kept implements LineSink {
        private record Line(BootCatalog.Entry boot, Matches m, int i) {}

        private final LineSink next;
        private final Integer n;
        private final ArrayDeque<Line> kept = new ArrayDeque<>();

        Kept(LineSink next, Integer n) {
            this.next = next;
            this.n = n;
        }

        @Override
        public void boot(BootCatalog.Entry boot) {}

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) {
            if (n != null && n == 0) {
                return;
            }
            for (int i = n == null ? from : Math.max(from, to - n); i < to; i++) {
                if (n != null && kept.size() == n) {
                    kept.removeFirst();
                }
                kept.addLast(new Line(boot, m, i));
            }
        }

        void replay(boolean newestFirst) throws IOException {
            BootCatalog.Entry last = null;
            Iterator<Line> it = newestFirst ? kept.descendingIterator() : kept.iterator();
            while (it.hasNext()) {
                Line k = it.next();
                if (last == null || !last.id().equals(k.boot().id())) {
                    next.boot(k.boot());
                    last = k.boot();
                }
                next.lines(k.boot(), k.m(), k.i(), k.i() + 1);
            }
        }
    }

    /** {@code -F FIELD}: the values FIELD takes in the selected lines, each once, in the order first seen. */
    static final class FieldValues implements LineSink {
        private final String field;
        private final Set<String> seen = new LinkedHashSet<>();

        FieldValues(String field) {
            this.field = field;
        }

        @Override
        public void boot(BootCatalog.Entry boot) {}

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) {
            for (int i = from; i < to; i++) {
                LogLine l = parse(m, i);
                if (l != null) {
                    String v = valueOf(field, boot, m, l);
                    if (v != null) {
                        seen.add(v);
                    }
                }
            }
        }

        void print(PrintWriter out) {
            for (String v : seen) {
                out.println(LineCodec.printable(v));
            }
            out.flush();
        }
    }

    /** Parses FIELD=VALUE arguments into field → values. */
    static Map<String, Set<String>> matches(List<String> args) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new UserError("match '" + LineCodec.printable(a) + "' is not FIELD=VALUE (e.g. COMPONENT=kernel, "
                        + "dev=/dev/sda)");
            }
            String f = a.substring(0, eq);
            if (!isField(f)) {
                throw new UserError("match '" + LineCodec.printable(a) + "': '" + LineCodec.printable(f)
                        + "' is not COMPONENT, EVENT, LEVEL, CATEGORY, BOOT_ID or a field key");
            }
            String v = a.substring(eq + 1);
            out.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(f.equals("LEVEL") ? Args.level(v).name() : v);
        }
        return out;
    }

    static boolean isField(String f) {
        if (List.of("COMPONENT", "EVENT", "LEVEL", "CATEGORY", "BOOT_ID").contains(f)) {
            return true;
        }
        try {
            LineCodec.requireKey(f);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static List<String> knownFields() {
        return new ArrayList<>(List.of("COMPONENT", "EVENT", "LEVEL", "CATEGORY", "BOOT_ID"));
    }
}
