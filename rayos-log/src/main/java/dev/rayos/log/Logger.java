package dev.rayos.log;

import dev.rayos.log.line.Level;
import java.nio.charset.StandardCharsets;

/**
 * What a RayOS component logs through: one per component, made by {@link LogSystem#logger}.
 * Thread-safe. {@code log.info("RAYOS_READY").kv("mode", "bicameral").log();}
 */
public final class Logger {
    private final LogSystem system;
    private final String component;
    private final byte[] componentBytes;
    private final String category;
    private final int categoryIndex;
    private final boolean redacted;
    private final Level minLevel;

    Logger(LogSystem system, String component, String category, int categoryIndex, boolean redacted, Level minLevel) {
        this.system = system;
        this.component = component;
        this.componentBytes = component.getBytes(StandardCharsets.US_ASCII);
        this.category = category;
        this.categoryIndex = categoryIndex;
        this.redacted = redacted;
        this.minLevel = minLevel;
    }

    public String component() {
        return component;
    }

    /** The category (directory under {@code logs/}) this component's lines go to. */
    public String category() {
        return category;
    }

    /** True when this component's values are replaced by {@code [redacted]} (privacy policy). */
    public boolean redacted() {
        return redacted;
    }

    public boolean isEnabled(Level level) {
        return level.compareTo(minLevel) >= 0;
    }

    /**
     * Starts an event; add fields with {@code kv} and finish with {@link EventBuilder#log()}.
     *
     * @throws IllegalArgumentException when {@code event} is not a valid event name
     */
    public EventBuilder at(Level level, String event) {
        if (!isEnabled(level)) {
            return EventBuilder.DISABLED;
        }
        return system.event().start(this, level, event, system.wallClockKnown(), system.clock());
    }

    public EventBuilder trace(String event) {
        return at(Level.TRACE, event);
    }

    public EventBuilder debug(String event) {
        return at(Level.DEBUG, event);
    }

    public EventBuilder info(String event) {
        return at(Level.INFO, event);
    }

    public EventBuilder notice(String event) {
        return at(Level.NOTICE, event);
    }

    public EventBuilder warn(String event) {
        return at(Level.WARN, event);
    }

    public EventBuilder error(String event) {
        return at(Level.ERROR, event);
    }

    public EventBuilder crit(String event) {
        return at(Level.CRIT, event);
    }

    int categoryIndex() {
        return categoryIndex;
    }

    byte[] componentBytes() {
        return componentBytes;
    }

    byte[] levelBytes(Level level) {
        return level.ascii();
    }
}
