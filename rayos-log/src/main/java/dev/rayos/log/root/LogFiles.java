package dev.rayos.log.root;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log files of a category directory as {@link LogFileName} reads them: the one listing that
 * the store (rotation, retention), the reader, the forwarder and repair share, so a file is a log
 * part for all of them or for none. Only regular files count: a link named like a log is not one.
 */
public final class LogFiles {
    private LogFiles() {}

    /** One log file of a category directory. */
    public record Segment(Path path, String boot, int number, long modified, long size) {
        /** Sorts segments of a boot oldest first: numbered ones ascending, then the active file. */
        public String order() {
            // zero-padded to 10 digits by hand: String.format loads the locale data, which costs a
            // short command's start more than the whole sort (docs/PERFORMANCE.md)
            String n = Integer.toString(number == 0 ? Integer.MAX_VALUE : number);
            return boot + "0000000000".substring(n.length()) + n;
        }

        /** Oldest first by modification time, then by {@link #order()}. */
        public static int byAge(Segment a, Segment b) {
            int c = Long.compare(a.modified, b.modified);
            return c != 0 ? c : a.order().compareTo(b.order());
        }
    }

    /** The log files in a category directory (regular files named like logs, links excluded). */
    public static List<Segment> segments(Path dir) throws IOException {
        return segments(dir, "");
    }

    /**
     * The log files of {@link #segments(Path)} whose names start with {@code prefix} (a boot id):
     * the others' names are read but not parsed or looked at, so listing one boot's files costs little
     * more than the directory's names.
     */
    public static List<Segment> segments(Path dir, String prefix) throws IOException {
        List<Segment> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String fileName = p.getFileName().toString();
                if (!fileName.startsWith(prefix)) {
                    continue;
                }
                Optional<LogFileName> name = LogFileName.parse(fileName);
                if (name.isEmpty()) {
                    continue;
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (!a.isRegularFile()) {
                    continue;
                }
                out.add(new Segment(p, name.get().boot(), name.get().number(), a.lastModifiedTime().toMillis(),
                        a.size()));
            }
        } catch (NoSuchFileException none) {
            return out;
        }
        return out;
    }

    /** The name the next rotation of {@code boot} gives its active file: one above its highest part. */
    public static LogFileName nextPart(List<Segment> segments, String boot) {
        int next = 1;
        for (Segment s : segments) {
            if (s.boot().equals(boot) && s.number() >= next) {
                next = s.number() + 1;
            }
        }
        return new LogFileName(boot, 0).part(next);
    }

    /** Where the next rotation of {@code boot} in {@code dir} moves its active file. */
    public static Path nextPart(Path dir, BootId boot) throws IOException {
        return dir.resolve(nextPart(segments(dir), boot.hex()).fileName());
    }

    /**
     * A file's identity, (device, inode), from one {@code lstat}: equal keys are the same file; null
     * when nothing is at {@code p}. Cheaper than {@link #inodeOf}, for checks made on every pass.
     */
    public static Object fileKeyOf(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The inode of a file, or -1 when it does not exist. */
    public static long inodeOf(Path p) throws IOException {
        try {
            Object ino = Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            return ((Number) ino).longValue();
        } catch (NoSuchFileException e) {
            return -1;
        }
    }
}
