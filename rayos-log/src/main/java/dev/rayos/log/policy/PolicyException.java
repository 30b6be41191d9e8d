package dev.rayos.log.policy;

/** A policy file that cannot be used; the message names the file line. */
public final class PolicyException extends Exception {
    private final int line;

    public PolicyException(int line, String what) {
        super("line " + line + ": " + what);
        this.line = line;
    }

    /** 1-based line number of the offending line. */
    public int line() {
        return line;
    }
}
