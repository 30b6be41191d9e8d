package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.ProcessId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring's file as memory: opened and locked by its owner (waiting for a start that recovers an
 * orphan of the same name), written whole, then mapped; here are its header's words and the
 * addressing of its lanes' circular data areas, where absolute offset {@code o} of the lane whose
 * area starts at byte {@code base} lives at byte {@code base + o mod capacity}. Beyond the file's
 * lock, nothing here orders or guards: {@link Ring} and {@link Lane} say who may touch what, and when.
 */
final class RingFile {
    /** How long a start waits for a ring file's lock that another start holds while recovering it. */
    private static final long LOCK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Entry 0 of every ring's category table. */
    private static final byte[] BOOT_CATEGORY = {'b', 'o', 'o', 't'};

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final long capacity;
    private final int lanes;

    private RingFile(FileChannel channel, MappedByteBuffer map, long capacity, int lanes) {
        this.channel = channel;
        this.map = map;
        this.capacity = capacity;
        this.lanes = lanes;
    }

    /**
     * Creates (or replaces) the file at {@code path} with {@code lanes} data areas of {@code capacity}
     * bytes each and a header naming {@code boot}, locked. A disk too full for it is an exception here, and the
     * half-made file is deleted (ours, and no ring yet: the next start would set it aside as corrupt).
     */
    static RingFile create(Path path, long capacity, int lanes, BootId boot) throws IOException {
        Files.createDirectories(path.getParent());
        FileChannel ch = openLocked(path);
        try {
            ch.truncate(0);
            try {
                allocate(ch, HEADER + capacity * lanes);
            } catch (IOException full) {
                ch.close();
                Files.deleteIfExists(path);
                throw new FileSystemException(path.toString(), null, full.getMessage());
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER + capacity * lanes);
            le(m);
            RingFile f = new RingFile(ch, m, capacity, lanes);
            f.initHeader(boot);
            return f;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void initHeader(BootId boot) {
        map.putLong(OFF_CAPACITY, capacity);
        map.put(OFF_BOOT, boot.toBytes());
        map.putLong(OFF_PID, ProcessId.current());
        map.putInt(OFF_LANES, lanes);
        for (int lane = 0; lane < lanes; lane++) {
            for (int off = 0; off < LANE_CURSOR_BYTES; off += 8) {
                map.putLong(laneCursors(lane) + off, 0);
            }
        }
        categoryName(0, BOOT_CATEGORY);
        map.putInt(OFF_VERSION, VERSION);
        map.putInt(OFF_HEADER_SIZE, HEADER);
        // The magic last: a file with it is a complete header.
        map.putLong(OFF_MAGIC, MAGIC);
    }

    long capacity() {
        return capacity;
    }

    int lanes() {
        return lanes;
    }

    /** Where lane {@code lane}'s data area starts in the file. */
    static int laneBase(int lane, long capacity) {
        return (int) (HEADER + lane * capacity);
    }

    /** Stores one of the header's 64-bit fields ({@code RingFormat.OFF_*}). */
    void header(int offset, long value) {
        map.putLong(offset, value);
    }

    /** Names category table entry {@code index} (at most {@link RingFormat#CATEGORY_NAME_BYTES} bytes). */
    void categoryName(int index, byte[] name) {
        map.put(OFF_CATEGORIES + index * CATEGORY_NAME_BYTES, name);
    }

    /** Clears the intents of the last pass: a new one is about to be announced. */
    void clearIntents() {
        for (int i = 0; i < MAX_CATEGORIES; i++) {
            map.putLong(OFF_INTENTS + i * INTENT_BYTES + INTENT_LENGTH, 0);
        }
    }

    /** Records where a category's bytes of the current pass are going. */
    void intent(int category, long inode, long offset, long length) {
        int at = OFF_INTENTS + category * INTENT_BYTES;
        map.putLong(at + INTENT_INODE, inode);
        map.putLong(at + INTENT_OFFSET, offset);
        // Length last: an entry with a length is complete.
        map.putLong(at + INTENT_LENGTH, length);
    }

    // Record header fields are read where records start, 8-aligned, and the capacity is a multiple
    // of 8: a field never straddles the end of a data area, so no wrap is needed here.
    int readInt(int base, long pos) {
        return map.getInt((int) (base + pos % capacity));
    }

    long readLong(int base, long pos) {
        return map.getLong((int) (base + pos % capacity));
    }

    /** Copies {@code len} bytes of {@code src} to absolute offset {@code pos} of the area at {@code base}, wrapping. */
    void write(int base, long pos, byte[] src, int off, int len) {
        int p = (int) (pos % capacity);
        int first = (int) Math.min(len, capacity - p);
        map.put(base + p, src, off, first);
        if (first < len) {
            map.put(base, src, off + first, len - first);
        }
    }

    /** Copies {@code len} bytes from absolute offset {@code pos} of the area at {@code base}, wrapping, to {@code dst}. */
    void copyOut(int base, long pos, byte[] dst, int len) {
        int p = (int) (pos % capacity);
        int first = (int) Math.min(len, capacity - p);
        map.get(base + p, dst, 0, first);
        if (first < len) {
            map.get(base, dst, first, len - first);
        }
    }

    /** Writes the mapping's pages back (a ring left for the next start). */
    void force() {
        map.force();
    }

    /** Closes the file, which lets go of its lock. */
    void close() throws IOException {
        channel.close();
    }

    /** The file at {@code path}, opened and locked, waiting up to 2 s for a lock another start holds. */
    static FileChannel openLocked(Path path) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
        while (true) {
            FileChannel ch = lockedAt(path, () -> { });
            if (ch != null) {
                return ch;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("ring " + path + " is in use by another process");
            }
            LockSupport.parkNanos(LOCK_RETRY_NANOS);
        }
    }

    /**
     * Opens the file at {@code path} and takes its lock; null when the lock is held or the file
     * left {@code path} before the lock was taken. Another process's start may be recovering an
     * orphan that had this name (a pid is reused, above all from one boot to the next): it holds
     * the lock for a moment, then deletes the file. Locking a file no longer at {@code path} would
     * run this process's ring in a file no start can find, so the file at the path is checked to
     * be the one opened both before and after the lock: recovery removes a ring only under its lock.
     * {@code beforeLock} runs between the open and the lock (tests stand in for that other start).
     */
    static FileChannel lockedAt(Path path, Runnable beforeLock) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            Object opened = LogFiles.fileKeyOf(path);
            beforeLock.run(); // tests: another start removing the file here
            FileLock fl = ch.tryLock();
            if (fl != null && opened != null && opened.equals(LogFiles.fileKeyOf(path))) {
                return ch;
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        ch.close();
        return null;
    }

    /**
     * Writes the file's every block before it is mapped. A mapping of a sparse file gets its blocks
     * only when a page is first written, and on a full disk that write is a SIGBUS: the JVM throws
     * an InternalError at some later log call, into the application. Written through the channel, a
     * full disk is an IOException here, at start ("disk full"), and never later.
     */
    static void allocate(FileChannel ch, long size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 256 * 1024));
        long at = 0;
        while (at < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            while (zeros.hasRemaining()) {
                at += ch.write(zeros, at);
            }
        }
    }

}
