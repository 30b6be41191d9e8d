package dev.rayos.machine.agent;

/** How the agent's process ends, for the image's {@code /init} (which reboots or powers off). */
public final class AgentExit {
    /** Reboot: the boot failed (a component failed before ready) or a reboot was asked. */
    public static final int REBOOT = 10;
    /** Power off. */
    public static final int POWEROFF = 11;

    private AgentExit() {}
}
