package dev.rayos.bridges.forward;

/** A cursor file that cannot be read: damaged, torn, or not a cursor ({@code docs/bridges.md}, "Cursor"). */
public final class CursorException extends Exception {
    CursorException(String message) {
        super(message);
    }
}
