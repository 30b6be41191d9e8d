package dev.rayos.machine.agent;

/** How the agent's process ends, for the image's {@code /init} (which reboots or powers off). */
public final class AgentExit {
    /** Reboot: the boot failed (a component failed before ready) or a reboot was asked. */
    public static final int REBOOT = 20;
    /** Power off. */
    public static final int POWEROFF = 21;
    // (20 and 21, not 10 and 11: those are the rayos command's own codes, one table in docs/reading-logs.md)

    private AgentExit() {}
}
