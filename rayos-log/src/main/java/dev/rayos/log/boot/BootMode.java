package dev.rayos.log.boot;

import java.util.Locale;

/** How a boot was started (spec §5): normal, safe mode (subsystems off), or recovery. */
public enum BootMode {
    NORMAL, SAFE, RECOVERY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BootMode parse(String s) {
        for (BootMode m : values()) {
            if (m.id().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown boot mode '" + s + "' (normal, safe or recovery)");
    }
}
