package dev.rayos.log.boot;

import java.util.Locale;

/**
 * How a boot ended. {@code RUNNING} until it ends; a boot still {@code RUNNING} when the next one
 * starts never recorded its end and becomes {@code UNCLEAN}.
 */
public enum EndState {
    RUNNING, CLEAN, CRASH, WATCHDOG, UNCLEAN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EndState parse(String s) {
        for (EndState e : values()) {
            if (e.id().equals(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown end state '" + s + "'");
    }
}
