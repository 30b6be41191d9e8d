package dev.rayos.harness;

import java.util.List;
import java.util.Map;

/**
 * One thing the harness itself reports (boot started, marker seen, watchdog action, summary),
 * kept structured so that the caller formats it in the project's line format (component
 * {@code harness}) and tests can assert on fields rather than on text.
 *
 * @param level  a level name of the project's line format ({@code INFO}, {@code WARN}, ...)
 * @param event  the event name, for example {@code RAYOS_HOST_WATCHDOG}
 * @param fields ordered key/value pairs
 */
public record HarnessEvent(String level, String event, List<Map.Entry<String, String>> fields) {
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
    public static HarnessEvent of(String level, String event, String... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("odd key/value list");
        }
        java.util.ArrayList<Map.Entry<String, String>> f = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.add(Map.entry(kv[i], kv[i + 1]));
        }
        return new HarnessEvent(level, event, f);
    }
}
