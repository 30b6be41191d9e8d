package dev.rayos.log.root;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An I/O failure as a person reads it: the path and why ("permission denied", "disk full (no space
 * left on device)"), never an exception's class name. The library's store failures and the CLI's
 * environment errors both say it this way.
 */
public final class IoFailures {
    private IoFailures() {}

    /** {@code /root/var/rayos/logs/boot: permission denied}; {@code where} names the place when the failure does not. */
    public static String inWords(IOException e, Path where) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String file = f.getFile() != null ? f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
                    : where != null ? where.toString() : null;
            return (file == null ? "" : file + ": ") + why(f);
        }
        String why = words(e.getMessage() == null ? "input/output error" : e.getMessage());
        return where == null ? why : where + ": " + why;
    }

    private static String why(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof NotDirectoryException) {
            // listing a file in a directory's place says the same as creating one there
            return fileInADirectorysPlace(f) ? "exists and is not a directory" : "not a directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            // mostly createDirectories finding a file in a directory's place
            return fileInADirectorysPlace(f) ? "exists and is not a directory" : "already exists";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return f.getReason() == null ? "input/output error" : words(f.getReason());
    }

    private static boolean fileInADirectorysPlace(FileSystemException f) {
        return f.getFile() != null && java.nio.file.Files.exists(Path.of(f.getFile()))
                && !java.nio.file.Files.isDirectory(Path.of(f.getFile()));
    }

    /** The operating system's reasons, as a person says them. */
    public static String words(String reason) {
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
            return "permission denied";
        }
        // Any other phrase of the system's (strerror: "Not a directory") in our lower case, an
        // acronym's capitals kept.
        if (reason.length() > 1 && Character.isUpperCase(reason.charAt(0)) && Character.isLowerCase(reason.charAt(1))) {
            return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
        }
        return reason;
    }
}
