package dev.rayos.recovery;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.LogFileName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits one log part over the size cap into parts at line boundaries, safe against a kill at any
 * point without a journal: the parts are cut off the file's end, last first. Each is written to
 * {@code <part name>.split-<source n>-<offset>}, fsync'd, then the source is truncated to
 * {@code offset}, then the part is renamed to its name. The source's size tells a rerun where a kill
 * struck: longer than {@code offset}, the temporary is incomplete or redundant and is deleted (its
 * lines are still in the source); exactly {@code offset}, the temporary holds the only copy of its
 * lines, complete, and is given its name. Every line is therefore in exactly one log file whenever
 * no temporary is left.
 *
 * <p>Every part keeps the source's modification time, so retention (oldest by time, then by boot
 * and part number) still sees them in their age order.
 */
final class LogSplit {
    /** Told after each step on disk; the kill tests stop the process there. */
    @FunctionalInterface
    interface Points {
        Points NONE = what -> { };

        void at(String what) throws IOException;
    }

    private static final String SPLIT = ".split-";
    private static final long CHUNK = 64 * 1024;
    private static final Pattern PENDING = Pattern.compile("(.+)\\.split-([0-9]{1,9})-([0-9]{1,18})");

    /** A temporary left by a split that was stopped: {@code part} was cut from {@code source} at {@code offset}. */
    record Pending(LogFileName part, LogFileName source, long offset) {}

    private LogSplit() {}

    /** The split temporary a file name is, or empty (also for any name that is not one exactly). */
    static Optional<Pending> pending(String fileName) {
        Matcher m = PENDING.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<LogFileName> part = LogFileName.parse(m.group(1));
        int source = Integer.parseInt(m.group(2));
        if (part.isEmpty() || part.get().number() == 0 || source < 1 || source >= part.get().number()
                || !part.get().fileName().equals(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(new Pending(part.get(), part.get().part(source), Long.parseLong(m.group(3))));
    }

    static String pendingName(LogFileName part, LogFileName source, long offset) {
        return part.fileName() + SPLIT + source.number() + "-" + offset;
    }

    /**
     * Where the parts of a file begin: 0, then each cut, greedily, so each part is the longest run
     * of whole lines within {@code cap} bytes; a line longer than the cap is a part by itself.
     * Bytes after the last line feed (a torn line; repair cuts those first) count as one more line.
     */
    static List<Long> starts(FileChannel ch, long cap) throws IOException {
        return starts(ch, 0, ch.size(), cap);
    }

    /** {@link #starts(FileChannel, long)} of the bytes {@code [from, to)} of {@code ch}, relative to {@code from}. */
    static List<Long> starts(FileChannel ch, long from, long to, long cap) throws IOException {
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        long size = to - from;
        long start = 0;
        long prev = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (long pos = 0; pos < size; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
            int n = ch.read(buf, from + pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != '\n') {
                    continue;
                }
                long end = pos + i + 1;
                if (end - start > cap && prev > start) {
                    starts.add(prev);
                    start = prev;
                }
                if (end - start > cap && end < size) {
                    starts.add(end); // the line alone is over the cap: a part by itself
                    start = end;
                }
                prev = end;
            }
            pos += n;
        }
        if (size > prev && size - start > cap && prev > start) {
            starts.add(prev); // bytes after the last line feed (a torn line) are a part of their own
        }
        return starts;
    }

    /**
     * Splits {@code source} (part number n &ge; 1 of its boot) so parts n+1 … n+k-1 take its lines
     * after the first part's; those names must be free.
     *
     * @return the names of the parts made, first to last (the source itself not included)
     */
    static List<LogFileName> split(Path source, long cap, Points points) throws IOException {
        LogFileName name = LogFileName.parse(source.getFileName().toString()).orElseThrow();
        Path dir = source.getParent();
        List<LogFileName> made = new ArrayList<>();
        try (FileChannel src = FileChannel.open(source, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            FileTime time = Files.getLastModifiedTime(source, LinkOption.NOFOLLOW_LINKS);
            List<Long> starts = starts(src, cap);
            for (int i = starts.size() - 1; i >= 1; i--) {
                LogFileName part = name.part(name.number() + i);
                long offset = starts.get(i);
                Path tmp = dir.resolve(pendingName(part, name, offset));
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    long end = src.size();
                    for (long pos = offset; pos < end; ) {
                        pos += src.transferTo(pos, Math.min(CHUNK, end - pos), out);
                        if (pos < end) {
                            points.at("copying " + tmp.getFileName() + " at " + pos);
                        }
                    }
                    out.force(true);
                }
                Files.setLastModifiedTime(tmp, time);
                points.at("written " + tmp.getFileName());
                src.truncate(offset);
                src.force(true);
                points.at("cut " + name + " at " + offset);
                finish(dir, new Pending(part, name, offset), tmp);
                points.at("named " + part);
                made.add(0, part);
            }
        }
        return made;
    }

    /**
     * Takes a temporary a stopped split left: gives it its name when the source was cut (it holds
     * the only copy of its lines), deletes it when the source still has its lines.
     *
     * @return true when it was named, false when deleted
     * @throws IOException when neither is certain (the source is gone or shorter): the caller keeps it
     */
    static boolean resume(Path dir, Pending p) throws IOException {
        Path tmp = dir.resolve(pendingName(p.part(), p.source(), p.offset()));
        Path source = dir.resolve(p.source().fileName());
        long size = Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS) ? Files.size(source) : -1;
        if (size > p.offset()) {
            Files.delete(tmp);
            AtomicFiles.syncDirectory(dir);
            return false;
        }
        if (size < p.offset()) {
            throw new IOException(size < 0 ? p.source() + " is gone" : p.source() + " is shorter than the cut at "
                    + p.offset());
        }
        finish(dir, p, tmp);
        return true;
    }

    private static void finish(Path dir, Pending p, Path tmp) throws IOException {
        Path source = dir.resolve(p.source().fileName());
        Path target = dir.resolve(p.part().fileName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "the part's name is taken");
        }
        // the truncation gave the source a new time; the part kept the old one
        Files.setLastModifiedTime(source, Files.getLastModifiedTime(tmp, LinkOption.NOFOLLOW_LINKS));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(dir);
    }
}
