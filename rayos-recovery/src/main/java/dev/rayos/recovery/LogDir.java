package dev.rayos.recovery;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.store.LogFileName;
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
import java.util.Map;
import java.util.TreeMap;

/**
 * One category directory of log files as the logs check reads and changes it: the files on disk
 * ({@link #onDisk}), or in a dry run a model of them ({@link #planned}) that every change is made to
 * instead. Each step of the check (a torn line cut, a rename, a split, the count cap) sees the files
 * the real run's earlier steps would have left, so a dry run lists exactly the changes a real run
 * makes. The model never writes: it reads the files to find line boundaries and records where each
 * planned file's bytes are ({@code backing} from {@code offset}).
 */
abstract class LogDir {
    final Path dir;

    private LogDir(Path dir) {
        this.dir = dir;
    }

    /** The files on disk, changed for real; {@code points} are told each step of a split. */
    static LogDir onDisk(Path dir, LogSplit.Points points) {
        return new Disk(dir, points);
    }

    /** A model of the directory as it is now, for a dry run. */
    static LogDir planned(Path dir) throws IOException {
        return new Planned(dir);
    }

    /** True for the model of a dry run. */
    abstract boolean model();

    /** The log files (the store's names, regular files). */
    abstract List<CategoryFile.Segment> segments() throws IOException;

    /** Where the parts of {@code s} begin ({@link LogSplit#starts}). */
    abstract List<Long> starts(CategoryFile.Segment s, long cap) throws IOException;

    /**
     * How many bytes of {@code s} to keep when its last line is torn (no line feed): up to its last
     * line feed; -1 when it is whole or empty.
     */
    abstract long tornKeep(CategoryFile.Segment s) throws IOException;

    /** Cuts {@code s} to {@code keep} bytes, its time kept; on disk {@code keepCut} first saves the bytes cut. */
    abstract void cut(CategoryFile.Segment s, long keep, RepairContext.Work keepCut) throws IOException;

    abstract void rename(LogFileName from, LogFileName to) throws IOException;

    /** Splits {@code source} so parts n+1 … of its boot take its lines after the first part's ({@link LogSplit#split}). */
    abstract void split(LogFileName source, long cap) throws IOException;

    abstract void delete(CategoryFile.Segment s) throws IOException;

    /** Takes a split temporary a kill left ({@link LogSplit#resume}). */
    abstract void resume(LogSplit.Pending p) throws IOException;

    /** True for a file still on disk that the model says the store's retention has deleted by now. */
    abstract boolean goneByNow(Path file);

    /** Tells the kill tests' points a step was made (on disk only). */
    abstract void at(String what) throws IOException;

    /**
     * The real run's own log has written into {@code boot}'s active file by now (model only): it is
     * there, newest of all, and the store's retention, which every writer runs when it opens a
     * category, has deleted the oldest files beyond {@code maxFiles} (the store's deletions, not
     * repair's changes: neither run lists them).
     */
    abstract void written(String boot, int maxFiles);

    private static final class Disk extends LogDir {
        private final LogSplit.Points points;

        Disk(Path dir, LogSplit.Points points) {
            super(dir);
            this.points = points;
        }

        @Override
        boolean model() {
            return false;
        }

        @Override
        List<CategoryFile.Segment> segments() throws IOException {
            return CategoryFile.segments(dir);
        }

        @Override
        List<Long> starts(CategoryFile.Segment s, long cap) throws IOException {
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return LogSplit.starts(ch, cap);
            }
        }

        @Override
        long tornKeep(CategoryFile.Segment s) throws IOException {
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return LogDir.tornKeep(ch, 0, ch.size());
            }
        }

        @Override
        void cut(CategoryFile.Segment s, long keep, RepairContext.Work keepCut) throws IOException {
            FileTime time = Files.getLastModifiedTime(s.path(), LinkOption.NOFOLLOW_LINKS);
            keepCut.run();
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.truncate(keep);
                ch.force(true);
            }
            // a cut is no new writing: retention still sees the file at its age
            Files.setLastModifiedTime(s.path(), time);
        }

        @Override
        void rename(LogFileName from, LogFileName to) throws IOException {
            Path t = dir.resolve(to.fileName());
            if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(to + " exists");
            }
            Files.move(dir.resolve(from.fileName()), t, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(dir);
            points.at("renamed " + from + " to " + to);
        }

        @Override
        void split(LogFileName source, long cap) throws IOException {
            LogSplit.split(dir.resolve(source.fileName()), cap, points);
        }

        @Override
        void delete(CategoryFile.Segment s) throws IOException {
            Files.deleteIfExists(s.path());
        }

        @Override
        void resume(LogSplit.Pending p) throws IOException {
            LogSplit.resume(dir, p);
        }

        @Override
        void written(String boot, int maxFiles) {
            // on disk the log wrote it
        }

        @Override
        void at(String what) throws IOException {
            points.at(what);
        }

        @Override
        boolean goneByNow(Path file) {
            return false;
        }
    }

    /** One planned file: its bytes are {@code size} bytes of {@code backing} from {@code offset}. */
    private record File(LogFileName name, long size, long modified, Path backing, long offset) {
        File sized(long s) {
            return new File(name, s, modified, backing, offset);
        }
    }

    private static final class Planned extends LogDir {
        private final Map<String, File> files = new TreeMap<>();
        private final java.util.Set<String> retired = new java.util.HashSet<>();

        Planned(Path dir) throws IOException {
            super(dir);
            for (CategoryFile.Segment s : CategoryFile.segments(dir)) {
                LogFileName n = new LogFileName(s.boot(), s.number());
                files.put(n.fileName(), new File(n, s.size(), s.modified(), s.path(), 0));
            }
        }

        @Override
        boolean model() {
            return true;
        }

        @Override
        List<CategoryFile.Segment> segments() {
            List<CategoryFile.Segment> out = new ArrayList<>();
            for (File f : files.values()) {
                out.add(new CategoryFile.Segment(dir.resolve(f.name().fileName()), f.name().boot(), f.name().number(),
                        f.modified(), f.size()));
            }
            return out;
        }

        private File file(CategoryFile.Segment s) throws IOException {
            File f = files.get(s.path().getFileName().toString());
            if (f == null) {
                throw new IOException(s.path().getFileName() + " is not there");
            }
            return f;
        }

        @Override
        List<Long> starts(CategoryFile.Segment s, long cap) throws IOException {
            File f = file(s);
            try (FileChannel ch = FileChannel.open(f.backing(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return LogSplit.starts(ch, f.offset(), f.offset() + f.size(), cap);
            }
        }

        @Override
        long tornKeep(CategoryFile.Segment s) throws IOException {
            File f = file(s);
            try (FileChannel ch = FileChannel.open(f.backing(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return LogDir.tornKeep(ch, f.offset(), f.size());
            }
        }

        @Override
        void cut(CategoryFile.Segment s, long keep, RepairContext.Work keepCut) throws IOException {
            File f = file(s);
            files.put(f.name().fileName(), f.sized(keep));
        }

        @Override
        void rename(LogFileName from, LogFileName to) throws IOException {
            if (files.containsKey(to.fileName())) {
                throw new FileAlreadyExistsException(to + " exists");
            }
            File f = files.remove(from.fileName());
            if (f == null) {
                throw new IOException(from + " is not there");
            }
            files.put(to.fileName(), new File(to, f.size(), f.modified(), f.backing(), f.offset()));
        }

        @Override
        void split(LogFileName source, long cap) throws IOException {
            File f = files.get(source.fileName());
            if (f == null) {
                throw new IOException(source + " is not there");
            }
            List<Long> starts;
            try (FileChannel ch = FileChannel.open(f.backing(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                starts = LogSplit.starts(ch, f.offset(), f.offset() + f.size(), cap);
            }
            long end = f.size();
            for (int i = starts.size() - 1; i >= 1; i--) { // as the split: the last part first
                LogFileName part = source.part(source.number() + i);
                if (files.containsKey(part.fileName())) {
                    throw new FileAlreadyExistsException(part + " exists");
                }
                long at = starts.get(i);
                files.put(part.fileName(), new File(part, end - at, f.modified(), f.backing(), f.offset() + at));
                end = at;
            }
            files.put(source.fileName(), f.sized(end));
        }

        @Override
        void delete(CategoryFile.Segment s) {
            files.remove(s.path().getFileName().toString());
        }

        @Override
        void resume(LogSplit.Pending p) throws IOException {
            Path tmp = dir.resolve(LogSplit.pendingName(p.part(), p.source(), p.offset()));
            File source = files.get(p.source().fileName());
            long size = source == null ? -1 : source.size();
            if (size > p.offset()) {
                return; // the temporary is deleted; its lines are still in the source
            }
            if (size < p.offset()) {
                throw new IOException(size < 0 ? p.source() + " is gone" : p.source() + " is shorter than the cut at "
                        + p.offset());
            }
            if (files.containsKey(p.part().fileName())) {
                throw new FileAlreadyExistsException(p.part() + " exists");
            }
            long time = Files.getLastModifiedTime(tmp, LinkOption.NOFOLLOW_LINKS).toMillis();
            files.put(p.part().fileName(), new File(p.part(), Files.size(tmp), time, tmp, 0));
            files.put(source.name().fileName(), new File(source.name(), source.size(), time, source.backing(),
                    source.offset()));
        }

        @Override
        void at(String what) {
            // nothing happened
        }

        @Override
        void written(String boot, int maxFiles) {
            LogFileName active = new LogFileName(boot, 0);
            File f = files.get(active.fileName());
            long now = System.currentTimeMillis();
            files.put(active.fileName(), f == null ? new File(active, 0, now, dir.resolve(active.fileName()), 0)
                    : new File(active, f.size(), now, f.backing(), f.offset()));
            for (CategoryFile.Segment s : CategoryFile.overCap(segments(), maxFiles, dir.resolve(active.fileName()))) {
                delete(s);
                retired.add(s.path().getFileName().toString());
            }
        }

        @Override
        boolean goneByNow(Path file) {
            return retired.contains(file.getFileName().toString());
        }
    }

    /** The bytes to keep of {@code size} bytes at {@code offset} whose last line is torn; -1 when whole or empty. */
    private static long tornKeep(FileChannel ch, long offset, long size) throws IOException {
        if (size == 0) {
            return -1;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, offset + size - 1);
        if (one.get(0) == '\n') {
            return -1;
        }
        return Math.max(0, CategoryFile.lastLineEnd(ch, offset + size) - offset);
    }
}
