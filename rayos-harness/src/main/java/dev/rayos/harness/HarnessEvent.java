package dev.rayos.harness;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.line.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One thing the harness itself reports (boot started, marker seen, watchdog action, summary),
 * kept structured so that the caller formats it in the project's line format (component
 * {@code harness}) and tests can assert on fields rather than on text.
 *
 * @param level  severity
 * @param event  the event name, for example {@code RAYOS_HOST_WATCHDOG}
 * @param fields ordered key/value pairs
 */
public record HarnessEvent(Level level, String event, List<Map.Entry<String, String>> fields) {
    public HarnessEvent {
        fields = List.copyOf(fields);
    }

    /** The value of the first field named {@code key}, or {@code null}. */
    public String field(String key) {
        for (Map.Entry<String, String> f : fields) {
            if (f.getKey().equals(key)) {
                return f.getValue();
            }
        }
        return null;
    }

    /** Builds an event from alternating keys and values. */
    public static HarnessEvent of(Level level, String event, String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("odd key/value list");
        }
        ArrayList<Map.Entry<String, String>> f = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.add(Map.entry(kv[i], kv[i + 1]));
        }
        return new HarnessEvent(level, event, f);
    }

    /** The component of every line the harness writes. */
    public static final String COMPONENT = "harness";

    /** This event as a line of the project's format, stamped {@code ts}. */
    public LogLine toLogLine(Timestamp ts) {
        List<LogLine.Field> f = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> e : fields) {
            f.add(new LogLine.Field(e.getKey(), e.getValue()));
        }
        return new LogLine(ts, level, COMPONENT, event, f);
    }
}
