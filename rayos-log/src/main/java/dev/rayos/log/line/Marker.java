package dev.rayos.log.line;

import java.util.List;

/**
 * Markers (spec §3): events whose name starts with {@code RAYOS_}. The console carries them
 * deterministically, the store makes them durable before the log call returns, and the line
 * grammar keeps the text {@code RAYOS_} out of every value so only an event can be one.
 */
public final class Marker {
    public static final String PREFIX = "RAYOS_";
    public static final String BOOTLOADER_START = "RAYOS_BOOTLOADER_START";
    public static final String KERNEL_START = "RAYOS_KERNEL_START";
    public static final String READY = "RAYOS_READY";
    public static final String LINUX_VM_READY = "RAYOS_LINUX_VM_READY";
    public static final String WINDOWS_VM_READY = "RAYOS_WINDOWS_VM_READY";
    public static final String PRESENTATION_ON = "RAYOS_PRESENTATION:on";
    public static final String PRESENTATION_OFF = "RAYOS_PRESENTATION:off";
    public static final String TIME_SYNC = "RAYOS_TIME_SYNC";
    public static final String LOG_DROPPED = "RAYOS_LOG_DROPPED";
    public static final String LOG_CORRUPT = "RAYOS_LOG_CORRUPT";
    public static final String LOG_RECOVERED = "RAYOS_LOG_RECOVERED";
    public static final String POLICY_INVALID = "RAYOS_POLICY_INVALID";
    /** A RayOS component panicked (issue 4; {@code docs/crash-report.md}): where its report is. */
    public static final String PANIC = "RAYOS_PANIC";

    /** The readiness markers of spec §3, in boot order. */
    public static final List<String> READINESS = List.of(BOOTLOADER_START, KERNEL_START, READY, LINUX_VM_READY,
            WINDOWS_VM_READY, PRESENTATION_ON, PRESENTATION_OFF);

    private Marker() {}

    public static boolean isMarker(CharSequence event) {
        int n = PREFIX.length();
        if (event.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (event.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
