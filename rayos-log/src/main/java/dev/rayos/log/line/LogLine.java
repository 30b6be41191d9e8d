package dev.rayos.log.line;

import java.util.List;
import java.util.Objects;

/**
 * One event as a value: {@code <ts> <level> <component> <event> <k=v ...>}. Built by readers
 * (from {@link LineCodec#parse}) and by code that is not on a hot path; the logger formats
 * straight into a reused buffer instead.
 */
public record LogLine(Timestamp ts, Level level, String component, String event, List<Field> fields) {

    /** One {@code key=value} pair. The value is the decoded text, whatever its quoting on the line. */
    public record Field(String key, String value) {
        public Field {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public LogLine {
        Objects.requireNonNull(ts, "ts");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(event, "event");
        fields = List.copyOf(fields);
    }

    /** The value of the first field with this key, or {@code null}. */
    public String get(String key) {
        for (Field f : fields) {
            if (f.key().equals(key)) {
                return f.value();
            }
        }
        return null;
    }

    /** The line as written to files and consoles, without the line feed. */
    @Override
    public String toString() {
        return LineCodec.format(this);
    }
}
