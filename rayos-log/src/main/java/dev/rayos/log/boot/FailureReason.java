package dev.rayos.log.boot;

import java.util.Locale;

/**
 * Why a boot failed, as the next boot judged it ({@code docs/boot-history.md}, schema 3).
 *
 * <ul>
 *   <li>{@code PANIC}: a crash report exists for the boot (a kernel panic read back from pstore, or
 *       a RayOS panic);</li>
 *   <li>{@code WATCHDOG}: the boot watchdog expired before {@code RAYOS_READY} (the boot logged the
 *       expiry, or it armed a watchdog and ended unclean without being ready);</li>
 *   <li>{@code NO_READY}: the boot ended without reaching {@code RAYOS_READY} for another reason (a
 *       component failed and the agent rebooted).</li>
 * </ul>
 */
public enum FailureReason {
    WATCHDOG, PANIC, NO_READY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureReason parse(String s) {
        for (FailureReason f : values()) {
            if (f.id().equals(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown failure reason '" + s + "'");
    }
}
