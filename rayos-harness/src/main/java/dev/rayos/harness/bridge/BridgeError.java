package dev.rayos.harness.bridge;

import java.util.Locale;

/**
 * Why the host refused a guest's event. The lower-case name is the {@code detail} of the
 * {@code err} ack, so a guest can branch on it; see {@code docs/host-bridge.md}.
 */
public enum BridgeError {
    /** The payload (or the console line carrying it) is longer than the protocol allows. */
    TOO_LONG,
    /** The op is missing or not {@code [a-z][a-z0-9_]{0,23}}. */
    MALFORMED,
    /** The argument has characters outside the allowed set, or the op refused its value. */
    BAD_ARG,
    /** No handler for this op. */
    UNKNOWN_OP,
    /** More events than the per-second budget. */
    RATE_LIMITED,
    /** The handler failed; the harness logged why and carries on. */
    HANDLER_FAILED;

    /** The ack detail for this error, for example {@code unknown_op}. */
    public String detail() {
        return name().toLowerCase(Locale.ROOT);
    }
}
