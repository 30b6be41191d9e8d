package dev.rayos.log.crash;

/**
 * Text given to a crash reader is not what it claims to be (not a crash report, not a JVM
 * fatal error log, a damaged line). Carries the 1-based line where reading stopped, so that
 * a command can say what and where in one line.
 */
public final class CrashParseException extends Exception {
    private final long line;

    public CrashParseException(String message, long line) {
        super(message);
        this.line = line;
    }

    /** 1-based line of the input at fault; 0 when the fault is the input as a whole. */
    public long line() {
        return line;
    }

    /** {@code "line N: message"}, or the bare message when no line is at fault. */
    @Override
    public String getMessage() {
        return line > 0 ? "line " + line + ": " + super.getMessage() : super.getMessage();
    }
}
