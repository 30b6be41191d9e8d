package dev.rayos.log.store;

import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.LogFiles.Segment;
import dev.rayos.log.root.RootLayout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The files of one boot in one category directory: {@code <boot_id>.log} being written, older
 * segments {@code <boot_id>.<n>.log} (n ascending with age order: 1 is the oldest), rotation at the
 * size cap and retention to the file cap, shared safely by every process logging under the root.
 *
 * <p>Processes take turns through an exclusive lock on {@code <category>/.lock} (and a lock per
 * JVM, since Java's file locks are per process). Each turn checks that the active file is still
 * the one this process has open (another may have rotated it), cuts a torn last line left by a
 * writer that died mid-write, rotates when the batch would cross the cap, then appends the whole
 * batch: lines of different processes never interleave, and a crash leaves whole lines only.
 */
public final class CategoryFile implements Closeable {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final RootLayout layout;
    private final String category;
    private final BootId boot;
    private final Policy.Retention retention;
    private final Path dir;
    private final Path active;
    private final ReentrantLock jvmLock;
    private FileChannel lockChannel;
    private FileLock held;
    private FileChannel channel;
    private long inode = -1;
    /** The active file's (device, inode) as this process opened it: what each turn compares. */
    private Object fileKey;
    private long writePos;
    /** Where this process's last whole write to the open file ended, or -1. */
    private long ourEnd = -1;
    /** What happens to a file rotated away (or rotated by another process): fsync'd and closed. */
    private final Retirer retirer;

    /** Takes a channel this file is done with; must fsync it, then close it. */
    @FunctionalInterface
    public interface Retirer {
        void retire(FileChannel ch) throws IOException;
    }

    /** Opens a log file's channel. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path path, java.nio.file.OpenOption... options) throws IOException;
    }

    /**
     * How every log file is opened: the one seam the power-loss test needs
     * ({@code PowerLossReplayTest} records each write and fsync through a channel of its own).
     * Read once per file opened, never per write.
     */
    static volatile Opener opener = FileChannel::open;

    /** The default: fsync and close at once, on the caller's thread. */
    public static final Retirer INLINE = ch -> {
        try {
            ch.force(false);
        } finally {
            ch.close();
        }
    };

    public CategoryFile(RootLayout layout, String category, BootId boot, Policy.Retention retention) throws IOException {
        this(layout, category, boot, retention, INLINE);
    }

    /**
     * A category file whose rotated-away files go to {@code retirer} (a log system hands them to its
     * {@link Syncer} so the drainer does not wait for their fsync).
     */
    public CategoryFile(RootLayout layout, String category, BootId boot, Policy.Retention retention,
                        Retirer retirer) throws IOException {
        this.retirer = retirer;
        this.layout = layout;
        this.category = RootLayout.requireCategory(category);
        this.boot = boot;
        this.retention = retention;
        this.dir = layout.categoryDir(category);
        this.active = layout.logFile(category, boot);
        Files.createDirectories(dir);
        layout.requireInside(dir);
        this.jvmLock = JVM_LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), k -> new ReentrantLock());
    }

    public String category() {
        return category;
    }

    public Path activePath() {
        return active;
    }

    /** Takes this category's lock (both in this JVM and across processes). */
    public void lock() throws IOException {
        jvmLock.lock();
        try {
            if (lockChannel == null || !lockChannel.isOpen()) {
                lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
            held = lockChannel.lock();
        } catch (IOException | RuntimeException e) {
            jvmLock.unlock();
            throw e;
        }
    }

    public void unlock() {
        try {
            if (held != null) {
                held.release();
            }
        } catch (IOException ignored) {
            // The lock goes with the channel at close at the latest.
        } finally {
            held = null;
            jvmLock.unlock();
        }
    }

    /**
     * With the lock held: makes the active file ready for {@code bytes} more (reopen after another
     * process's rotation, cut a torn tail, rotate at the cap) and returns the offset the bytes will
     * be written at.
     */
    public long prepare(int bytes) throws IOException {
        long size = ensureCurrent();
        if (size > 0 && size + bytes > retention.maxFileBytes()) {
            size = rotate();
        }
        writePos = size;
        return size;
    }

    /** The inode of the active file (valid after {@link #prepare}). */
    public long inode() {
        return inode;
    }

    /** With the lock held, after {@link #prepare}: appends all of {@code data}. */
    public void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            writePos += channel.write(data, writePos);
        }
        ourEnd = writePos;
    }

    /** The active file's channel (valid after {@link #prepare}); the syncer fsyncs it. */
    public FileChannel channel() {
        return channel;
    }

    /** fsync of the active file's data. */
    public void force() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    /** Returns the active file's size, a torn tail cut. */
    private long ensureCurrent() throws IOException {
        if (channel == null || !java.util.Objects.equals(LogFiles.fileKeyOf(active), fileKey)) {
            if (channel != null) {
                // Another process rotated our file: what we wrote there is still owed an fsync.
                retirer.retire(channel);
            }
            // Positional writes at the size read under the lock serve as O_APPEND (which Java will
            // not combine with READ, and the tail repair must read).
            channel = opener.open(active, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            inode = LogFiles.inodeOf(active);
            fileKey = LogFiles.fileKeyOf(active);
            ourEnd = -1;
            // A new active file may take the directory over its cap (a new boot, a rotation, a
            // rotation by a process killed before its clean-up): hold the cap now.
            enforceRetention();
        }
        return repairTail();
    }

    /**
     * Cuts a last line that has no line feed (the torn write of a writer that died) and returns the
     * size. A file that ends where this process's last whole write ended needs no look: files only
     * grow by whole batches under the lock, so nobody wrote after it.
     */
    private long repairTail() throws IOException {
        long size = channel.size();
        if (size == 0 || size == ourEnd) {
            return size;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        if (one.get(0) == '\n') {
            return size;
        }
        long keep = lastLineEnd(channel, size);
        channel.truncate(keep);
        return keep;
    }

    /** The length of the longest prefix of the file that ends with a line feed. */
    public static long lastLineEnd(FileChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                // fill
            }
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /** Returns the new active file's size. */
    private long rotate() throws IOException {
        Path target = LogFiles.nextPart(dir, boot);
        Files.move(active, target, StandardCopyOption.ATOMIC_MOVE);
        // Lines written since the last sync must not lose their fsync to the rename: the retirer
        // fsyncs the file under its new name, then closes it.
        retirer.retire(channel);
        channel = null;
        return ensureCurrent();
    }

    /**
     * Deletes the oldest log files of the directory until at most {@code maxFiles} remain, never the
     * active file (through {@link RemovedFiles}, which records them while a forwarder follows). Run after each rotation and when a writer opens, so a process killed between a
     * rotation and its clean-up leaves a state the next one repairs.
     */
    public void enforceRetention() throws IOException {
        for (Segment s : overCap(LogFiles.segments(dir), retention.maxFiles(), active)) {
            RemovedFiles.remove(layout, category, s); // a link itself, never its target; recorded when forwarded
        }
    }

    /**
     * The segments retention deletes to bring {@code all} down to {@code maxFiles}: the oldest
     * first (by modification time, then boot and number), never {@code keep} (an active file).
     */
    public static List<Segment> overCap(List<Segment> all, int maxFiles, Path keep) {
        List<Segment> sorted = new ArrayList<>(all);
        // one comparator of ours: Comparator.comparingLong(…).thenComparing(…) spins three lambda
        // classes of the JDK's at each start, which the start-up archive does not hold
        sorted.sort(Segment::byAge);
        List<Segment> out = new ArrayList<>();
        int excess = all.size() - maxFiles;
        for (Segment s : sorted) {
            if (excess <= 0) {
                break;
            }
            if (!s.path().equals(keep)) {
                out.add(s);
                excess--;
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            if (lockChannel != null) {
                lockChannel.close();
            }
        }
    }
}
