package dev.rayos.cli;

import dev.rayos.log.line.Marker;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.BootTimeline;
import dev.rayos.log.read.LineSink;
import dev.rayos.log.read.LogQuery;
import dev.rayos.log.read.LogReader;
import dev.rayos.log.read.Matches;
import dev.rayos.log.read.ReadQueryException;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code rayos analyze} and {@code rayos status} say about a boot's start, systemd-analyze's
 * way: the phases between the readiness markers ("Startup finished in …"), and from the boot
 * agent's component events ({@code RAYOS_COMPONENT_START name=N}, {@code RAYOS_COMPONENT_READY
 * name=N ms=M}, {@code RAYOS_COMPONENT_EXIT name=N status=S ms=M}, component {@code agent}) the
 * components by time to ready (blame) and the chain of components the boot waited on.
 */
final class BootAnalysis {
    /** One phase: a name and its span in nanoseconds. */
    record Phase(String name, long nanos) {}

    /** One component: when it started (after the boot's start), how long to ready, or how it exited. */
    record Component(String name, Long startNanos, Long readyNanos, Integer exitStatus) {
        Long readyAt() {
            return startNanos == null || readyNanos == null ? null : startNanos + readyNanos;
        }
    }

    /** Each phase and the marker that ends it. */
    private static final String[][] PHASES = {
        {"firmware", null, Marker.BOOTLOADER_START},
        {"loader", null, Marker.KERNEL_START},
        {"system", null, Marker.READY}};

    final BootTimeline timeline;
    final List<Component> components;

    private BootAnalysis(BootTimeline timeline, List<Component> components) {
        this.timeline = timeline;
        this.components = components;
    }

    static BootAnalysis of(RootLayout layout, BootCatalog.Entry boot) throws IOException {
        BootTimeline t = BootTimeline.of(layout, boot);
        Map<String, Long[]> seen = new LinkedHashMap<>();
        Map<String, Integer> exits = new LinkedHashMap<>();
        if (t.origin() != null) {
            LineSink sink = new LineSink() {
                @Override
                public void boot(BootCatalog.Entry b) {}

                @Override
                public void lines(BootCatalog.Entry b, Matches m, int from, int to) {
                    for (int i = from; i < to; i++) {
                        LogLine l = LineSinks.parse(m, i);
                        String name = l == null ? null : l.get("name");
                        if (name == null) {
                            continue;
                        }
                        Long[] c = seen.computeIfAbsent(name, k -> new Long[2]);
                        long at = m.key(i) - t.origin();
                        switch (l.event()) {
                            case "RAYOS_COMPONENT_START":
                                c[0] = c[0] == null ? at : c[0];
                                break;
                            case "RAYOS_COMPONENT_READY":
                                c[1] = c[1] != null ? c[1] : millis(l.get("ms"), at - (c[0] == null ? at : c[0]));
                                break;
                            case "RAYOS_COMPONENT_EXIT":
                                exits.putIfAbsent(name, intOr(l.get("status"), -1));
                                break;
                            default:
                                break;
                        }
                    }
                }
            };
            try (LogReader r = new LogReader(layout, new LogQuery(null, Set.of("agent"),
                    LogQuery.glob("RAYOS_COMPONENT_*"), null, null, null, null), 1)) {
                r.read(List.of(boot), sink, false);
            } catch (ReadQueryException e) {
                throw new IllegalStateException("the component glob is valid", e);
            }
        }
        List<Component> cs = new ArrayList<>();
        for (Map.Entry<String, Long[]> e : seen.entrySet()) {
            cs.add(new Component(e.getKey(), e.getValue()[0], e.getValue()[1], exits.get(e.getKey())));
        }
        return new BootAnalysis(t, cs);
    }

    private static Long millis(String ms, long fallback) {
        try {
            return ms == null ? fallback : Math.multiplyExact(Long.parseLong(ms), 1_000_000L);
        } catch (NumberFormatException | ArithmeticException e) {
            return fallback;
        }
    }

    private static int intOr(String s, int d) {
        try {
            return s == null ? d : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return d;
        }
    }

    /** The phases between the readiness markers reached, in order. */
    List<Phase> phases() {
        // Each phase runs from the last marker reached before it; a phase whose start marker is
        // missing is merged into the one before it ("firmware+loader").
        List<Phase> out = new ArrayList<>();
        Map<String, Long> m = timeline.markers();
        long from = 0;
        String name = "";
        for (String[] p : PHASES) {
            name = name.isEmpty() ? p[0] : name + "+" + p[0];
            Long to = m.get(p[2]);
            if (to != null && to >= from) {
                out.add(new Phase(name, to - from));
                from = to;
                name = "";
            }
        }
        return out;
    }

    /** When RAYOS_READY was reached after the start, or null. */
    Long ready() {
        return timeline.markers().get(Marker.READY);
    }

    /** systemd-analyze's line: "Startup finished in 1.2s (firmware) + 3.4s (system) = 4.6s", or why not. */
    String startupLine() {
        Long ready = ready();
        if (ready == null) {
            var r = timeline.boot().record();
            return "Startup not finished: RAYOS_READY was not reached"
                    + (r == null ? "" : " (the boot is " + r.end().id() + ")") + ".";
        }
        StringBuilder b = new StringBuilder("Startup finished in ");
        List<Phase> ps = phases();
        // each phase shown as the difference of its ends to the millisecond, so that the parts add
        // up to the total shown (0.132s + 0.094s = 0.227s is what rounding each part apart gave)
        long start = 0;
        for (int i = 0; i < ps.size(); i++) {
            if (i > 0) {
                b.append(" + ");
            }
            long end = start + ps.get(i).nanos();
            long shown = (end / 1_000_000L - start / 1_000_000L) * 1_000_000L;
            b.append(BootsCommand.seconds(shown)).append(" (").append(ps.get(i).name()).append(")");
            start = end;
        }
        if (ps.isEmpty()) {
            b.append(BootsCommand.seconds(ready));
        } else {
            b.append(" = ").append(BootsCommand.seconds(ready));
        }
        var r = timeline.boot().record();
        return b.append(r != null && !r.mode().id().equals("normal") ? " (" + r.mode().id() + " mode)" : "")
                .append(".").toString();
    }

    /** Components by time to ready, slowest first; those that exited before ready after them. */
    List<Component> blame() {
        List<Component> out = new ArrayList<>(components);
        out.sort(Comparator.<Component, Long>comparing(c -> c.readyNanos() == null ? -1 : c.readyNanos()).reversed()
                .thenComparing(Component::name));
        return out;
    }

    /**
     * The chain the boot waited on, from RAYOS_READY back: the component that became ready last
     * before it, then the one that became ready last before that one started, and so on (a
     * component starts once what it needs is ready).
     */
    List<Component> criticalChain() {
        List<Component> chain = new ArrayList<>();
        Long before = ready();
        if (before == null) {
            before = Long.MAX_VALUE;
        }
        while (true) {
            Component best = null;
            for (Component c : components) {
                Long at = c.readyAt();
                if (at != null && at <= before && !chain.contains(c) && (best == null || at > best.readyAt())) {
                    best = c;
                }
            }
            if (best == null) {
                return chain;
            }
            chain.add(best);
            before = best.startNanos();
        }
    }
}
