package dev.rayos.cli;

import dev.rayos.log.root.IoFailures;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What failed in the environment, in words a person reads: the path and why ("permission denied",
 * "disk full"), never an exception class name. Exit code {@link ExitCodes#ENVIRONMENT}.
 */
final class EnvironmentError {
    private EnvironmentError() {}

    /**
     * The exit code of an exception that is not a {@link UserError}: {@link ExitCodes#ENVIRONMENT} when
     * an I/O failure is behind it, else {@link ExitCodes#INTERNAL} (a bug).
     */
    static int exitCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return ExitCodes.ENVIRONMENT;
            }
        }
        return ExitCodes.INTERNAL;
    }

    /** One line saying what failed, for an exception that is not a {@link UserError}. */
    static String describe(Throwable t) {
        if (System.getenv("RAYOS_DEBUG") != null) {
            t.printStackTrace(); // for a developer: where it failed
        }
        Throwable c = t;
        while (c instanceof UncheckedIOException || (c.getCause() instanceof IOException && !(c instanceof IOException))) {
            c = c.getCause();
        }
        if (c instanceof IOException) {
            return IoFailures.inWords((IOException) c, null);
        }
        // not the environment: a bug; still one line, and say so
        return "internal error (" + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage())
                + "); please report it";
    }
}
