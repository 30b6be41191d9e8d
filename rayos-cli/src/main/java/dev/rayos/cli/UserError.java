package dev.rayos.cli;

/**
 * A failure the user can act on: printed as one line ({@code rayos: <message>}) with its exit code,
 * 2 (bad input) unless said otherwise.
 */
final class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
        this(message, RayosCommand.EXIT_USAGE);
    }

    public UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
