package dev.rayos.log.read;

/**
 * A question to the log reader that cannot be answered as asked: an unknown boot, an offset out of
 * range, a bad time or pattern. The message is one line that says what and why, for the user.
 */
public final class ReadQueryException extends Exception {
    public ReadQueryException(String what) {
        super(what);
    }
}
