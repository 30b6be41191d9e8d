package dev.rayos.log.boot;

import dev.rayos.log.root.BootId;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.line.Marker;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One boot as archived in {@code var/rayos/boot/history/<boot_id>.json} ({@code docs/boot-history.md},
 * {@code docs/boot-history.schema.json}).
 *
 * <p>Schema 2 adds the readiness markers reached and the mono/UTC pair of {@code rayos time-sync} to
 * schema 1; schema 1 files are still read (without markers or pair). Every file is written as
 * schema 2.
 *
 * @param startUtc  RFC 3339 UTC of the start, or null when the boot started without a wall clock
 * @param wallClock true when lines of this boot carry UTC (from the start, or since a time sync)
 * @param endMono   CLOCK_MONOTONIC at the end, or -1 while running or when unknown
 * @param logs      the boot's main log relative to the root (informative: readers use {@code RootLayout})
 * @param crash     the crash report relative to the root, or null
 * @param markers   the §3 markers reached, each once (its first time), in the order reached
 * @param timeSync  the mono/UTC pair recorded when the wall clock became known, or null
 * @param loader    which boot entry the boot manager started and its boot counting, or null (no boot
 *                  manager, or not known); schema 3
 * @param failure   why the boot failed (set by the next boot), or null; schema 3
 * @param timeStep  the pair of the latest later time sync (a step of the clock), or null: lines written
 *                  since carry its UTC plus the monotonic time elapsed; {@code timeSync} still places the
 *                  mono lines written before the first sync; schema 3, optional
 */
public record BootRecord(BootId id, long seq, String version, String buildId, BootMode mode, long startMono,
                         String startUtc, boolean wallClock, EndState end, long endMono, String endUtc,
                         String logs, String crash, List<MarkerTime> markers, TimeSync timeSync,
                         LoaderState loader, FailureReason failure, TimeSync timeStep) {
    /** The schema written. */
    public static final int SCHEMA = 3;
    /** Markers kept per boot at most; a file with more is damaged. */
    public static final int MAX_MARKERS = 64;

    /** A marker reached: when, on CLOCK_MONOTONIC and (when the wall clock was known) in UTC. */
    public record MarkerTime(String name, long monoNanos, String utc) {
        public MarkerTime {
            if (!LineCodec.isEvent(name) || !Marker.isMarker(name)) {
                throw new IllegalArgumentException("'" + LineCodec.printable(String.valueOf(name))
                        + "' is not a marker (an event name starting RAYOS_)");
            }
            if (monoNanos < 0) {
                throw new IllegalArgumentException("marker time before the monotonic origin");
            }
        }
    }

    /** The pair of clock readings taken at one instant when the wall clock became known. */
    public record TimeSync(long monoNanos, String utc) {
        public TimeSync {
            if (monoNanos < 0 || utc == null) {
                throw new IllegalArgumentException("a time sync needs mono >= 0 and a UTC time");
            }
        }

        /** The UTC time as epoch nanoseconds. */
        public long utcNanos() {
            return utcNanosOf(utc);
        }
    }

    public BootRecord {
        markers = List.copyOf(markers);
        if (timeStep != null && timeSync == null) {
            throw new IllegalArgumentException("a clock step needs the first time sync");
        }
    }

    /** A record whose clock never stepped. */
    public BootRecord(BootId id, long seq, String version, String buildId, BootMode mode, long startMono,
                      String startUtc, boolean wallClock, EndState end, long endMono, String endUtc,
                      String logs, String crash, List<MarkerTime> markers, TimeSync timeSync,
                      LoaderState loader, FailureReason failure) {
        this(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc, logs, crash,
                markers, timeSync, loader, failure, null);
    }

    /** A record of schema 2's fields (no loader state, no failure). */
    public BootRecord(BootId id, long seq, String version, String buildId, BootMode mode, long startMono,
                      String startUtc, boolean wallClock, EndState end, long endMono, String endUtc,
                      String logs, String crash, List<MarkerTime> markers, TimeSync timeSync) {
        this(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc, logs, crash,
                markers, timeSync, null, null);
    }

    /** A record without markers or time sync (a boot just started). */
    public BootRecord(BootId id, long seq, String version, String buildId, BootMode mode, long startMono,
                      String startUtc, boolean wallClock, EndState end, long endMono, String endUtc,
                      String logs, String crash) {
        this(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc, logs, crash,
                List.of(), null);
    }

    public BootRecord withEnd(EndState state, long mono, String utc) {
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, state, mono, utc,
                logs, crash, markers, timeSync, loader, failure, timeStep);
    }

    public BootRecord withCrash(String crashPath) {
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc,
                logs, crashPath, markers, timeSync, loader, failure, timeStep);
    }

    /**
     * This record with {@code name} reached at the given time, unless it was reached before: the
     * first time is the one that tells how long the boot took, later repeats change nothing.
     */
    public BootRecord withMarker(String name, long mono, String utc) {
        if (marker(name) != null || markers.size() >= MAX_MARKERS) {
            return this;
        }
        List<MarkerTime> m = new ArrayList<>(markers);
        m.add(new MarkerTime(name, mono, utc));
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc,
                logs, crash, m, timeSync, loader, failure, timeStep);
    }

    /**
     * This record after a time sync: lines carry UTC from now. The first sync's pair is kept as
     * {@code timeSync} (it places the mono lines written before it); a later one is a step of the
     * clock, kept as {@code timeStep} (lines written from then on carry its time).
     */
    public BootRecord withTimeSync(long mono, String utc) {
        TimeSync pair = new TimeSync(mono, utc);
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, true, end, endMono, endUtc,
                logs, crash, markers, timeSync == null ? pair : timeSync, loader, failure,
                timeSync == null ? null : pair);
    }

    /** This record under another sequence number (a repair that renumbers boots). */
    public BootRecord withSeq(long newSeq) {
        return new BootRecord(id, newSeq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono,
                endUtc, logs, crash, markers, timeSync, loader, failure, timeStep);
    }

    /**
     * The pair new lines are written from: the latest time sync (a step, else the first), or null
     * when the boot never synced its clock.
     */
    public TimeSync writingPair() {
        return timeStep != null ? timeStep : timeSync;
    }

    /** This record with the boot manager's entry and counting as the boot found them. */
    public BootRecord withLoader(LoaderState state) {
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc,
                logs, crash, markers, timeSync, state, failure, timeStep);
    }

    /** This record judged failed (by the next boot) for {@code why}. */
    public BootRecord withFailure(FailureReason why) {
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc,
                logs, crash, markers, timeSync, loader, why, timeStep);
    }

    /** The first time {@code name} was reached, or null. */
    public MarkerTime marker(String name) {
        for (MarkerTime m : markers) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The pair that places this boot's mono times in UTC: the time sync when there was one, else the
     * start when the boot started with a wall clock, else null (the boot reads in mono only).
     */
    public TimeSync clockPair() {
        if (timeSync != null) {
            return timeSync;
        }
        return startUtc != null ? new TimeSync(startMono, startUtc) : null;
    }

    /** The JSON document, pretty-printed, with a final line feed. */
    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("boot_id", id.hex());
        m.put("seq", seq);
        m.put("version", version);
        m.put("build_id", buildId);
        m.put("mode", mode.id());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("mono_ns", startMono);
        start.put("utc", startUtc);
        m.put("start", start);
        m.put("wall_clock", wallClock);
        Map<String, Object> ts = null;
        if (timeSync != null) {
            ts = new LinkedHashMap<>();
            ts.put("mono_ns", timeSync.monoNanos());
            ts.put("utc", timeSync.utc());
        }
        m.put("time_sync", ts);
        if (timeStep != null) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("mono_ns", timeStep.monoNanos());
            st.put("utc", timeStep.utc());
            m.put("time_step", st);
        }
        List<Object> mk = new ArrayList<>();
        for (MarkerTime t : markers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name());
            e.put("mono_ns", t.monoNanos());
            e.put("utc", t.utc());
            mk.add(e);
        }
        m.put("markers", mk);
        Map<String, Object> endM = new LinkedHashMap<>();
        endM.put("state", end.id());
        endM.put("mono_ns", endMono < 0 ? null : endMono);
        endM.put("utc", endUtc);
        m.put("end", endM);
        m.put("logs", logs);
        m.put("crash", crash);
        m.put("loader", loader == null ? null : loader.toMap());
        m.put("failure", failure == null ? null : failure.id());
        try {
            return (JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("JSON of a map of plain values cannot fail", e);
        }
    }

    /**
     * Reads a history document of schema 1, 2 or 3, checking every field.
     *
     * @throws BootHistoryException naming the first field that is missing or wrong; never another
     *                              exception, whatever the bytes
     */
    public static BootRecord fromJson(byte[] json) throws BootHistoryException {
        Map<String, Object> m;
        try {
            Object o = JsonTree.read(new String(json, StandardCharsets.UTF_8));
            if (!(o instanceof Map)) {
                throw new BootHistoryException("not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = (Map<String, Object>) o;
            m = mm;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // StackOverflowError: the tree is read recursively per nesting level (jackson-core caps the
            // depth at 1000 first), and a hostile file can nest deep.
            throw new BootHistoryException("not valid JSON: " + firstLine(e.getMessage()));
        }
        long schema = number(m, "schema");
        if (schema < 1 || schema > SCHEMA) {
            throw new BootHistoryException("schema " + schema + " is not 1, 2 or " + SCHEMA);
        }
        try {
            BootId id = BootId.parse(string(m, "boot_id", false));
            BootMode mode = BootMode.parse(string(m, "mode", false));
            Map<String, Object> start = object(m, "start");
            Map<String, Object> end = object(m, "end");
            EndState state = EndState.parse(string(end, "state", false));
            Object endMono = end.get("mono_ns");
            Object wall = m.get("wall_clock");
            if (!(wall instanceof Boolean)) {
                throw new BootHistoryException("'wall_clock' is not true or false");
            }
            List<MarkerTime> markers = List.of();
            TimeSync ts = null;
            if (schema >= 2) {
                markers = markers(m);
                Object t = m.get("time_sync");
                if (t != null) {
                    Map<String, Object> tm = object(m, "time_sync");
                    ts = new TimeSync(number(tm, "mono_ns"), utc(tm, "utc", false));
                }
            }
            LoaderState loader = null;
            FailureReason failure = null;
            TimeSync step = null;
            if (schema >= 3) {
                if (m.get("time_step") != null) {
                    if (ts == null) {
                        throw new BootHistoryException("'time_step' without 'time_sync': a step needs the first sync");
                    }
                    Map<String, Object> sm = object(m, "time_step");
                    step = new TimeSync(number(sm, "mono_ns"), utc(sm, "utc", false));
                }
                if (m.get("loader") != null) {
                    loader = LoaderState.fromMap(object(m, "loader"));
                }
                String f = string(m, "failure", true);
                failure = f == null ? null : FailureReason.parse(f);
            }
            return new BootRecord(id, number(m, "seq"), string(m, "version", false), string(m, "build_id", false),
                    mode, number(start, "mono_ns"), utc(start, "utc", true), (Boolean) wall, state,
                    endMono == null ? -1 : number(end, "mono_ns"), utc(end, "utc", true),
                    string(m, "logs", false), string(m, "crash", true), markers, ts, loader, failure, step);
        } catch (IllegalArgumentException e) {
            throw new BootHistoryException(e.getMessage());
        }
    }

    private static List<MarkerTime> markers(Map<String, Object> m) throws BootHistoryException {
        Object v = m.get("markers");
        if (!(v instanceof List)) {
            throw new BootHistoryException("'markers' is not an array");
        }
        List<?> list = (List<?>) v;
        if (list.size() > MAX_MARKERS) {
            throw new BootHistoryException("'markers' has more than " + MAX_MARKERS + " entries");
        }
        List<MarkerTime> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map)) {
                throw new BootHistoryException("an entry of 'markers' is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) o;
            MarkerTime t = new MarkerTime(string(e, "name", false), number(e, "mono_ns"), utc(e, "utc", true));
            for (MarkerTime seen : out) {
                if (seen.name().equals(t.name())) {
                    throw new BootHistoryException("marker " + t.name() + " is listed twice");
                }
            }
            out.add(t);
        }
        return out;
    }

    /** Epoch nanoseconds of an RFC 3339 UTC time as the line grammar writes it. */
    static long utcNanosOf(String utc) {
        try {
            Timestamp t = LineCodec.parseTimestamp(utc);
            if (t.mono()) {
                throw new IllegalArgumentException("'" + utc + "' is not a UTC time");
            }
            return t.nanos();
        } catch (LineParseException e) {
            throw new IllegalArgumentException("'" + LineCodec.printable(utc) + "' is not a UTC time: "
                    + e.getMessage());
        }
    }

    private static String utc(Map<String, Object> m, String k, boolean nullable) throws BootHistoryException {
        String s = string(m, k, nullable);
        if (s != null) {
            try {
                utcNanosOf(s);
            } catch (IllegalArgumentException e) {
                throw new BootHistoryException("'" + k + "': " + e.getMessage());
            }
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static long number(Map<String, Object> m, String k) throws BootHistoryException {
        Object v = m.get(k);
        if (!(v instanceof Number) || v instanceof Double || v instanceof Float
                || v instanceof java.math.BigDecimal) {
            throw new BootHistoryException("'" + k + "' is not a non-negative whole number");
        }
        if (v instanceof java.math.BigInteger && ((java.math.BigInteger) v).bitLength() > 63) {
            throw new BootHistoryException("'" + k + "' is out of range");
        }
        if (((Number) v).longValue() < 0) {
            throw new BootHistoryException("'" + k + "' is not a non-negative whole number");
        }
        return ((Number) v).longValue();
    }

    static String string(Map<String, Object> m, String k, boolean nullable) throws BootHistoryException {
        Object v = m.get(k);
        if (v == null && nullable) {
            return null;
        }
        if (!(v instanceof String)) {
            throw new BootHistoryException("'" + k + "' is not a string");
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String k) throws BootHistoryException {
        Object v = m.get(k);
        if (!(v instanceof Map)) {
            throw new BootHistoryException("'" + k + "' is not an object");
        }
        return (Map<String, Object>) v;
    }
}
