package dev.rayos.log.boot;

/** A boot history file that cannot be read as one; the message says which file and why. */
public final class BootHistoryException extends Exception {
    public BootHistoryException(String what) {
        super(what);
    }
}
