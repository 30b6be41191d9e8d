package dev.rayos.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What failed in the environment, in words a person reads: the path and why ("permission denied",
 * "disk full"), never an exception class name. Exit code {@link ExitCodes#ENVIRONMENT}.
 */
final class EnvironmentError {
    private EnvironmentError() {}

    /** One line saying what failed, for an exception that is not a {@link UserError}. */
    static String describe(Throwable t) {
        if (System.getenv("RAYOS_DEBUG") != null) {
            t.printStackTrace(); // for a developer: where it failed
        }
        Throwable c = t;
        while (c instanceof UncheckedIOException || (c.getCause() instanceof IOException && !(c instanceof IOException))) {
            c = c.getCause();
        }
        if (c instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) c;
            String path = f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
            return (path.isEmpty() ? "" : path + ": ") + why(f);
        }
        if (c instanceof IOException) {
            return words(c.getMessage() == null ? "input/output error" : c.getMessage());
        }
        // not the environment: a bug; still one line, and say so
        return "internal error (" + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage())
                + "); please report it";
    }

    private static String why(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return f.getReason() == null ? "input/output error" : words(f.getReason());
    }

    /** The operating system's reasons, as a person says them. */
    static String words(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("no space left")) {
            return "disk full (no space left on device)";
        }
        if (r.contains("read-only file system")) {
            return "read-only file system";
        }
        if (r.contains("disk quota")) {
            return "disk quota exceeded";
        }
        if (r.contains("permission denied")) {
            return reason.replace("(Permission denied)", ": permission denied").replace(" :", ":");
        }
        return reason;
    }
}
