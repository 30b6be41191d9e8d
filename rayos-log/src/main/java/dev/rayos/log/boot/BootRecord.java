package dev.rayos.log.boot;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One boot as archived in {@code var/rayos/boot/history/<boot_id>.json} ({@code docs/boot-history.md}).
 *
 * @param startUtc RFC 3339 UTC of the start, or null when the boot started without a wall clock
 * @param endMono  CLOCK_MONOTONIC at the end, or -1 while running or when unknown
 */
public record BootRecord(BootId id, long seq, String version, String buildId, BootMode mode, long startMono,
                         String startUtc, boolean wallClock, EndState end, long endMono, String endUtc,
                         String logs, String crash) {
    public static final int SCHEMA = 1;

    public BootRecord withEnd(EndState state, long mono, String utc) {
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, state, mono, utc,
                logs, crash);
    }

    public BootRecord withCrash(String crashPath) {
        return new BootRecord(id, seq, version, buildId, mode, startMono, startUtc, wallClock, end, endMono, endUtc,
                logs, crashPath);
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
        Map<String, Object> endM = new LinkedHashMap<>();
        endM.put("state", end.id());
        endM.put("mono_ns", endMono < 0 ? null : endMono);
        endM.put("utc", endUtc);
        m.put("end", endM);
        m.put("logs", logs);
        m.put("crash", crash);
        try {
            return (JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(m) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("JSON of a map of plain values cannot fail", e);
        }
    }

    /**
     * Reads a history document, checking every field.
     *
     * @throws BootHistoryException naming the first field that is missing or wrong
     */
    public static BootRecord fromJson(byte[] json) throws BootHistoryException {
        Map<String, Object> m;
        try {
            Object o = JSON.std.anyFrom(new String(json, java.nio.charset.StandardCharsets.UTF_8));
            if (!(o instanceof Map)) {
                throw new BootHistoryException("not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = (Map<String, Object>) o;
            m = mm;
        } catch (IOException | RuntimeException e) {
            throw new BootHistoryException("not valid JSON: " + firstLine(e.getMessage()));
        }
        long schema = number(m, "schema");
        if (schema != SCHEMA) {
            throw new BootHistoryException("schema " + schema + " is not " + SCHEMA);
        }
        BootId id;
        try {
            id = BootId.parse(string(m, "boot_id", false));
            BootMode mode = BootMode.parse(string(m, "mode", false));
            Map<String, Object> start = object(m, "start");
            Map<String, Object> end = object(m, "end");
            EndState state = EndState.parse(string(end, "state", false));
            Object endMono = end.get("mono_ns");
            Object wall = m.get("wall_clock");
            if (!(wall instanceof Boolean)) {
                throw new BootHistoryException("'wall_clock' is not true or false");
            }
            return new BootRecord(id, number(m, "seq"), string(m, "version", false), string(m, "build_id", false),
                    mode, number(start, "mono_ns"), string(start, "utc", true), (Boolean) wall, state,
                    endMono == null ? -1 : number(end, "mono_ns"), string(end, "utc", true),
                    string(m, "logs", false), string(m, "crash", true));
        } catch (IllegalArgumentException e) {
            throw new BootHistoryException(e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static long number(Map<String, Object> m, String k) throws BootHistoryException {
        Object v = m.get(k);
        if (!(v instanceof Number) || v instanceof Double || v instanceof Float
                || ((Number) v).longValue() < 0) {
            throw new BootHistoryException("'" + k + "' is not a non-negative whole number");
        }
        if (v instanceof java.math.BigInteger && ((java.math.BigInteger) v).bitLength() > 63) {
            throw new BootHistoryException("'" + k + "' is out of range");
        }
        return ((Number) v).longValue();
    }

    private static String string(Map<String, Object> m, String k, boolean nullable) throws BootHistoryException {
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
