package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

import dev.rayos.log.root.BootId;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The live ring of one process: a memory-mapped file of CRC'd, sequence-numbered records that
 * every line passes through on its way to the files (the spec's early-boot buffer, pstore's idea
 * and the async queue in one). Because it is a mapped file, a process killed with SIGKILL leaves
 * it behind intact, and the next writer to start writes out what never reached a file.
 *
 * <p>Concurrency: producers append under one short lock (the line is already formatted; the lock
 * covers the CRC and a copy of about a hundred bytes), a {@link RingLock} released without a full
 * fence. One drainer thread reads batches under the same lock, writes them outside it, then
 * {@linkplain #commit commits}. Before the store is
 * {@linkplain #mount mounted} the ring only fills and overwrites its oldest records, counting
 * them as lost; once mounted, producers wait for the drainer instead of overwriting, so no line
 * is lost to a slow disk. The owning process holds an exclusive lock on the file for its life:
 * a ring whose lock can be taken is an orphan.
 */
public final class Ring implements Closeable {
    private final Path path;
    private final RingFile file;
    private final long capacity;
    private final RingLock lock = new RingLock();
    private final CRC32C crc = new CRC32C();
    private final byte[] hdr = new byte[RECORD_HEADER];
    private final ByteBuffer hdrView = le(ByteBuffer.wrap(hdr));
    private final RingCategories categories;

    // Mirrors of the header fields; the header is the persistent copy. Written under the lock;
    // head, next seq and the commit cursor are volatile so the drainer reads them without it
    // (head and next seq are written with release stores: see published).
    private volatile long head;
    private long tail;
    private volatile long nextSeq;
    private volatile long commitPos;
    private volatile long commitSeq;
    private long lost;
    private volatile boolean mounted;
    private volatile boolean closed;

    private static final java.lang.invoke.VarHandle HEAD;
    private static final java.lang.invoke.VarHandle NEXT_SEQ;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            HEAD = l.findVarHandle(Ring.class, "head", long.class);
            NEXT_SEQ = l.findVarHandle(Ring.class, "nextSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Ring(Path path, RingFile file) {
        this.path = path;
        this.file = file;
        this.capacity = file.capacity();
        this.categories = new RingCategories(file);
    }

    /**
     * Creates (or replaces) the ring file at {@code path} with a data area of {@code capacity}
     * bytes, owned by {@code boot}, and takes its lock. The caller must have recovered any orphan
     * that lived at this path first; a lock that another start holds while it recovers the same
     * file is waited for, up to 2 s, before the ring is "in use by another process".
     */
    public static Ring create(Path path, long capacity, BootId boot) throws IOException {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || capacity % 8 != 0) {
            throw new IllegalArgumentException("ring capacity " + capacity + " outside "
                    + MIN_CAPACITY + ".." + MAX_CAPACITY + " or not a multiple of 8");
        }
        return new Ring(path, RingFile.create(path, capacity, boot));
    }

    public Path path() {
        return path;
    }

    public long capacity() {
        return capacity;
    }

    /**
     * The index of a category in this ring's table, adding it when new.
     *
     * @throws IllegalStateException when the table's 16 entries are taken
     */
    public int categoryIndex(String category) {
        return categories.indexOf(category);
    }

    /** The category name at a table index ({@code boot} for one not in the table). */
    public String category(int index) {
        return categories.name(index);
    }

    /** From now on the store drains the ring: producers wait rather than overwrite. */
    public void mount() {
        mounted = true;
    }

    public boolean isMounted() {
        return mounted;
    }

    /**
     * Appends one record and returns its sequence number.
     *
     * Waiting for the drainer is not interruptible (a log line is not abandoned half way); an
     * interrupt that arrives meanwhile is kept for the caller.
     *
     * @throws IllegalStateException when the ring is closed
     */
    public long append(byte type, int category, int flags, byte[] payload, int off, int len) {
        int size = recordSize(len);
        if (len > MAX_PAYLOAD || size > capacity) {
            throw new IllegalArgumentException("record of " + len + " bytes does not fit the ring");
        }
        boolean interrupted = false;
        lock.lock();
        try {
            interrupted = awaitSpace(size);
            long seq = nextSeq;
            encodeRecordHeader(hdrView, hdr, crc, len, seq, type, category, flags, payload, off);
            file.write(head, hdr, 0, RECORD_HEADER);
            file.write(head + RECORD_HEADER, payload, off, len);
            int pad = size - RECORD_HEADER - len;
            if (pad > 0) {
                file.write(head + RECORD_HEADER + len, ZEROS, 0, pad);
            }
            return published(size, seq);
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@link #append} for a payload the caller holds at {@code payloadAt} of {@code rec} with room
     * for the record's header before it ({@link RingFormat#RECORD_HEADER} bytes) and its padding
     * after it (7 bytes): the record is framed in place and copied into the ring in one piece. The
     * bytes in the ring are the same as {@link #append}'s. {@code rec}'s room is overwritten.
     */
    public long appendFramed(byte type, int category, int flags, byte[] rec, int payloadAt, int len) {
        int size = recordSize(len);
        int at = payloadAt - RECORD_HEADER;
        if (len > MAX_PAYLOAD || size > capacity || at < 0 || at + size > rec.length) {
            throw new IllegalArgumentException("record of " + len + " bytes does not fit the ring or its frame");
        }
        boolean interrupted = false;
        lock.lock();
        try {
            interrupted = awaitSpace(size);
            long seq = nextSeq;
            frameRecord(rec, at, crc, len, seq, type, category, flags);
            file.write(head, rec, at, size);
            return published(size, seq);
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** With the lock held: makes room for {@code size} bytes; returns whether an interrupt came meanwhile. */
    private boolean awaitSpace(int size) {
        boolean interrupted = false;
        if (closed) {
            throw new IllegalStateException("ring closed");
        }
        while (head + size - tail > capacity) {
            if (tail < commitPos) {
                advanceTail();
            } else if (mounted) {
                interrupted |= lock.await(TimeUnit.MILLISECONDS.toNanos(100));
                if (closed) {
                    throw new IllegalStateException("ring closed");
                }
            } else {
                dropOldestUncommitted();
            }
        }
        return interrupted;
    }

    /** With the lock held, after the record of {@code size} bytes was written at head: makes it part of the ring. */
    private long published(int size, long seq) {
        long h = head + size;
        // Release stores: the drainer reads these fields without the lock and must then see the
        // record's bytes, which a release store orders before it; a volatile store's full fence
        // (twice per line) bought nothing more. The lock's release publishes the rest.
        HEAD.setRelease(this, h);
        NEXT_SEQ.setRelease(this, seq + 1);
        // Head before next seq: a record is in the ring once head covers it, and a process
        // killed between the two stores must not leave a header that promises a record more
        // than it holds (recovery would count a phantom corrupt record).
        file.header(OFF_HEAD, h);
        file.header(OFF_NEXT_SEQ, seq + 1);
        return seq;
    }

    private static final byte[] ZEROS = new byte[8];

    private void advanceTail() {
        int len = file.readInt(tail + REC_LENGTH);
        tail += recordSize(len);
        file.header(OFF_TAIL, tail);
    }

    private void dropOldestUncommitted() {
        advanceTail();
        lost++;
        file.header(OFF_LOST, lost);
        commitPos = tail;
        commitSeq = tail == head ? nextSeq : file.readLong(tail + REC_SEQ);
        file.header(OFF_COMMIT_SEQ, commitSeq);
        file.header(OFF_COMMIT_POS, commitPos);
    }

    /** A batch of records copied out of the ring: bytes {@code [0, length)} of the staging array. */
    public record Batch(long startPos, long endPos, long startSeq, long endSeq, int length, long skipped) {
        public boolean isEmpty() {
            return endPos == startPos;
        }
    }

    /**
     * Copies whole records from {@code from} (at most {@code max} bytes, at least one record) into
     * {@code staging}. When {@code from} was overwritten meanwhile (early boot), reading resumes at
     * the oldest record and the batch says how many records were skipped.
     */
    public Batch read(long from, long fromSeq, byte[] staging, int max) {
        if (mounted && from == commitPos) {
            // Once mounted nobody but the drainer moves the commit cursor and producers never
            // write below head into uncommitted space, so the batch is stable without the lock
            // (which the producers then have to themselves). If the cursor moved meanwhile, an
            // early-boot producer that had not yet seen the mount overwrote: read again, locked.
            Batch b = readRange(from, fromSeq, staging, max, head);
            if (commitPos == from) {
                return b;
            }
        }
        lock.lock();
        try {
            long skipped = 0;
            if (from < tail) {
                long tailSeq = file.readLong(tail + REC_SEQ);
                skipped = Math.max(0, tailSeq - fromSeq);
                from = tail;
                fromSeq = tailSeq;
            }
            Batch b = readRange(from, fromSeq, staging, max, head);
            return new Batch(b.startPos(), b.endPos(), b.startSeq(), b.endSeq(), b.length(), skipped);
        } finally {
            lock.unlock();
        }
    }

    private Batch readRange(long from, long fromSeq, byte[] staging, int max, long upTo) {
        // One copy out of the mapping, then the walk over the copy: no wrap arithmetic and no
        // mapped-buffer checks per record (the walk in the mapping was a tenth of the drainer's time).
        int n = (int) Math.min(upTo - from, Math.min(max, staging.length));
        file.copyOut(from, staging, n);
        int end = 0;
        long seq = fromSeq;
        while (n - end >= RECORD_HEADER) {
            int size = recordSize(recordLength(staging, end));
            if (size > n - end) {
                break;
            }
            end += size;
            seq++;
        }
        if (end == 0 && upTo > from) {
            // A first record larger than max (a crash report) is a batch on its own.
            end = recordSize(file.readInt(from + REC_LENGTH));
            if (end > staging.length) {
                throw new IllegalStateException("staging buffer of " + staging.length + " bytes < record of " + end);
            }
            file.copyOut(from, staging, end);
            seq++;
        }
        return new Batch(from, from + end, fromSeq, seq, end, 0);
    }

    /** Bytes appended but not yet committed (a hint: read without the lock). */
    public long pendingBytes() {
        return head - commitPos;
    }

    /** The sequence number the next record will get. */
    public long nextSeq() {
        return nextSeq;
    }

    public long commitPos() {
        return commitPos;
    }

    public long commitSeq() {
        return commitSeq;
    }

    /** Records lost to overwriting before they reached a file. */
    public long lost() {
        lock.lock();
        try {
            return lost;
        } finally {
            lock.unlock();
        }
    }

    /** True when every record is committed. */
    public boolean isDrained() {
        lock.lock();
        try {
            return commitPos == head;
        } finally {
            lock.unlock();
        }
    }

    /** Announces a store pass over records up to {@code endPos}/{@code endSeq} (see the format doc). */
    public void beginPass(long endPos, long endSeq) {
        file.beginPass(endPos, endSeq);
    }

    /** Records, before the write, where a category's bytes of the current pass are going. */
    public void intent(int category, long inode, long offset, long length) {
        file.intent(category, inode, offset, length);
    }

    /** Marks every record before {@code endPos} as written to its file; frees their space. */
    public void commit(long endPos, long endSeq) {
        lock.lock();
        try {
            if (endPos < commitPos) {
                return; // overtaken by early-boot overwriting; nothing to move
            }
            commitPos = endPos;
            commitSeq = endSeq;
            file.header(OFF_COMMIT_SEQ, endSeq);
            file.header(OFF_COMMIT_POS, endPos);
            file.header(OFF_PENDING_POS, 0);
            file.header(OFF_PENDING_SEQ, 0);
            lock.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Copies the last records (committed or not) still held, oldest first, into a new array of
     * whole records; crash reports use it for their last lines.
     */
    public byte[] snapshot() {
        lock.lock();
        try {
            int n = (int) (head - tail);
            byte[] out = new byte[n];
            file.copyOut(tail, out, n);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets go of the file exactly as a killed owner would: the lock is released, nothing in the file
     * is touched. For tests of recovery that need a dead owner at a chosen moment.
     */
    void abandon() throws IOException {
        closed = true;
        file.close();
    }

    /** Wakes producers waiting for space and refuses new appends. */
    public void shutdown() {
        lock.lock();
        try {
            closed = true;
            lock.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the file. A fully drained ring is deleted; one still holding records stays for the
     * next writer to recover, as a killed process's would.
     */
    @Override
    public void close() throws IOException {
        shutdown();
        boolean drained = isDrained();
        // Closing the file releases its lock with it.
        try {
            if (drained) {
                Files.deleteIfExists(path);
            } else {
                file.force();
            }
        } finally {
            file.close();
        }
    }
}
