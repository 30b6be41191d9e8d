package dev.rayos.machine.entries;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The EFI system partition, seen as a small tree of files: a mounted ESP ({@link DirectoryEsp}, in
 * the guest at {@code /efi}) or the ESP inside an image file on the host ({@link ImageEsp}, through
 * mtools). Paths are relative, {@code /}-separated, and every segment is checked, so nothing outside
 * the partition can be named.
 */
public interface Esp {
    /** Where boot entries live on the ESP. */
    String ENTRIES = "loader/entries";
    /** The boot manager's configuration. */
    String LOADER_CONF = "loader/loader.conf";

    /** The file names in a directory of the ESP, sorted; empty when the directory is absent. */
    List<String> list(String dir) throws EntryException;

    /** A file's bytes, or empty when absent. */
    Optional<byte[]> read(String path) throws EntryException;

    /** Replaces or creates a file as one step: readers see the old bytes or the new, never a mix. */
    void write(String path, byte[] data) throws EntryException;

    /** Renames a file; the target must not exist. */
    void rename(String from, String to) throws EntryException;

    /** Removes a file if present. */
    void delete(String path) throws EntryException;

    /** Creates a directory and its parents. */
    void mkdirs(String dir) throws EntryException;

    /** What to call this ESP in messages. */
    String describe();

    /** Checks a relative ESP path: segments of [A-Za-z0-9._+-], no {@code .} or {@code ..}. */
    static String checkPath(String path) throws EntryException {
        if (path == null || path.isEmpty() || path.length() > 255 || path.startsWith("/") || path.endsWith("/")) {
            throw new EntryException("'" + BootEntry.printable(String.valueOf(path)) + "' is not a path on the ESP");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..") || !SEGMENT.matcher(seg).matches()) {
                throw new EntryException("'" + BootEntry.printable(path) + "' is not a path on the ESP");
            }
        }
        return path;
    }

    /** The characters a path segment on the ESP may hold. */
    Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+-]{1,128}");
}
