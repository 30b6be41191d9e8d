package dev.rayos.log.ring;

import dev.rayos.log.root.LogFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring's file before it is a ring: opened and locked by its owner (waiting for a start that
 * recovers an orphan of the same name), and written whole before it is mapped.
 */
final class RingFile {
    /** How long a start waits for a ring file's lock that another start holds while recovering it. */
    private static final long LOCK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LOCK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private RingFile() {}

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
