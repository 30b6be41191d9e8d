package dev.rayos.log.read;

/** A time index file that is not the form {@code docs/log-times.md} describes: it is ignored, never fixed. */
final class TimeIndexException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The line the fault is on (1 = the first; 0: the file as a whole). */
    final int line;

    TimeIndexException(String message, int line) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }
}
