package dev.rayos.harness;

import java.io.IOException;

/** QEMU did not start or did not open its sockets; carries what it printed on stderr. */
public final class MachineStartException extends IOException {
    private final String qemuStderr;

    public MachineStartException(String message, String qemuStderr, Throwable cause) {
        super(message, cause);
        this.qemuStderr = qemuStderr == null ? "" : qemuStderr;
    }

    /** QEMU's stderr (bounded), for the user to see why. */
    public String qemuStderr() {
        return qemuStderr;
    }
}
