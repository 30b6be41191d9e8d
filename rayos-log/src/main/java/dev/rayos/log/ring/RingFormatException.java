package dev.rayos.log.ring;

/** A ring file whose header cannot be trusted at all (wrong magic, version, sizes). */
public final class RingFormatException extends Exception {
    public RingFormatException(String what) {
        super(what);
    }
}
