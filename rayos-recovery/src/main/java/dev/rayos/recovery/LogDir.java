package dev.rayos.recovery;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.root.LogFileName;
import dev.rayos.log.store.RemovedFiles;
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
import java.util.List;

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

    LogDir(Path dir) {
        this.dir = dir;
    }

    /** The files on disk, changed for real; {@code points} are told each step of a split. */
    static LogDir onDisk(RootLayout layout, Path dir, LogSplit.Points points) {
        return new Disk(layout, dir, points);
    }

    /** A model of the directory as it is now, for a dry run. */
    static LogDir planned(Path dir) throws IOException {
        return new PlannedLogDir(dir);
    }

    /** True for the model of a dry run. */
    abstract boolean model();

    /** The log files (the store's names, regular files). */
    abstract List<LogFiles.Segment> segments() throws IOException;

    /** Where the parts of {@code s} begin ({@link LogSplit#starts}). */
    abstract List<Long> starts(LogFiles.Segment s, long cap) throws IOException;

    /**
     * How many bytes of {@code s} to keep when its last line is torn (no line feed): up to its last
     * line feed; -1 when it is whole or empty.
     */
    abstract long tornKeep(LogFiles.Segment s) throws IOException;

    /** Cuts {@code s} to {@code keep} bytes, its time kept; on disk {@code keepCut} first saves the bytes cut. */
    abstract void cut(LogFiles.Segment s, long keep, RepairContext.Work keepCut) throws IOException;

    abstract void rename(LogFileName from, LogFileName to) throws IOException;

    /** Splits {@code source} so parts n+1 … of its boot take its lines after the first part's ({@link LogSplit#split}). */
    abstract void split(LogFileName source, long cap) throws IOException;

    abstract void delete(LogFiles.Segment s) throws IOException;

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
        private final RootLayout layout;
        private final LogSplit.Points points;

        Disk(RootLayout layout, Path dir, LogSplit.Points points) {
            super(dir);
            this.layout = layout;
            this.points = points;
        }

        @Override
        boolean model() {
            return false;
        }

        @Override
        List<LogFiles.Segment> segments() throws IOException {
            return LogFiles.segments(dir);
        }

        @Override
        List<Long> starts(LogFiles.Segment s, long cap) throws IOException {
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return LogSplit.starts(ch, cap);
            }
        }

        @Override
        long tornKeep(LogFiles.Segment s) throws IOException {
            try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                return LogDir.tornKeep(ch, 0, ch.size());
            }
        }

        @Override
        void cut(LogFiles.Segment s, long keep, RepairContext.Work keepCut) throws IOException {
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
        void delete(LogFiles.Segment s) throws IOException {
            // as the store's retention removes: recorded first while a forwarder follows the category
            RemovedFiles.remove(layout, dir.getFileName().toString(), s);
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

    /** The bytes to keep of {@code size} bytes at {@code offset} whose last line is torn; -1 when whole or empty. */
    static long tornKeep(FileChannel ch, long offset, long size) throws IOException {
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
