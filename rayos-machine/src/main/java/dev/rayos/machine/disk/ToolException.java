package dev.rayos.machine.disk;

/** A disk tool failed or could not be run; the message says which and why, on one line. */
public final class ToolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
