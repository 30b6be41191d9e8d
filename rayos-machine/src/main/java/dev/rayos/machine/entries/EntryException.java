package dev.rayos.machine.entries;

/** Boot entries could not be read or changed as asked; the message is one line for a person. */
public final class EntryException extends Exception {
    private static final long serialVersionUID = 1L;

    public EntryException(String message) {
        super(message);
    }

    public EntryException(String message, Throwable cause) {
        super(message, cause);
    }
}
