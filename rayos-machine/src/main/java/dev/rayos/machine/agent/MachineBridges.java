package dev.rayos.machine.agent;

import dev.rayos.bridges.forward.ForwardConfig;
import dev.rayos.bridges.forward.ForwardLoop;
import dev.rayos.bridges.syslog.SyslogListener;
import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.util.Optional;

/**
 * The logging bridges the agent runs for the boot's lifetime ({@code docs/bridges.md}): the syslog
 * socket, and forwarding to the policy's {@code forward.target} when it names one, in the agent's
 * JVM. Each is optional: the boot goes on without the one that cannot start, saying why.
 */
final class MachineBridges {
    private final AutoCloseable syslog;
    private final ForwardLoop forwarding;

    private MachineBridges(AutoCloseable syslog, ForwardLoop forwarding) {
        this.syslog = syslog;
        this.forwarding = forwarding;
    }

    static MachineBridges start(LogSystem sys, RootLayout layout, Logger log) {
        AutoCloseable syslog = null;
        try {
            syslog = SyslogListener.start(sys, layout, sys.policy());
        } catch (IOException | RuntimeException e) {
            log.warn("RAYOS_SYSLOG_UNAVAILABLE").kv("error", String.valueOf(e.getMessage())).log();
        }
        ForwardLoop forwarding = null;
        try {
            Optional<ForwardConfig> c = ForwardConfig.of(layout, sys.policy().bridges(), null);
            if (c.isPresent()) {
                forwarding = ForwardLoop.start(layout, c.get(), sys.logger("forward"), "agent", 200);
            }
        } catch (RuntimeException e) {
            log.warn("RAYOS_FORWARD_UNAVAILABLE").kv("error", String.valueOf(e.getMessage())).log();
        }
        return new MachineBridges(syslog, forwarding);
    }

    /** Stops taking syslog messages (what clients sent is logged first); forwarding goes on. */
    void stopListening() {
        if (syslog != null) {
            try {
                syslog.close();
            } catch (Exception e) {
                // the socket goes with the process
            }
        }
    }

    /**
     * Stops forwarding cleanly: a last pass sends what the files hold by now (the boot's last lines),
     * for a few seconds at most; the cursor stands after the last batch sent, for the next boot.
     */
    void stopForwarding() {
        if (forwarding != null) {
            forwarding.close();
        }
    }
}
