package dev.rayos.harness.qmp;

import java.io.IOException;

/**
 * A QMP exchange that did not give an answer: the connection failed, the greeting was not
 * QMP, the reply was an {@code error}, or no reply came before the deadline.
 */
public final class QmpException extends IOException {
    /** What went wrong, so callers (the watchdog) can tell a hung QEMU from a refused command. */
    public enum Kind { CONNECT, PROTOCOL, ERROR_REPLY, TIMEOUT, CLOSED }

    private final Kind kind;

    public QmpException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public QmpException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
