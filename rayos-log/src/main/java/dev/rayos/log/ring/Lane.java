package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * One lane of a ring: a circular data area with its own lock and cursors, for the producers
 * {@link Ring} assigns to it. Lanes exist for one measured reason: with one area for every thread
 * the lock, the cursors and the record lines moved between the cores on every append, and a line
 * logged from two threads cost 40% more CPU than from one (issue 12, speed round 4). A lane's
 * records carry its own contiguous sequence numbers (what recovery counts damage by) and the
 * process-wide order of their append (what the drainer and recovery merge lanes by).
 *
 * <p>Within the lock a record's bytes are written first, then {@code head}, then {@code next seq},
 * so a record is in the lane exactly when {@code head} covers it. Before the store is
 * {@linkplain Ring#mount mounted} a full lane overwrites its oldest records, counting them lost;
 * afterwards producers wait for the drainer.
 */
final class Lane {
    private final RingFile file;
    private final int base;
    private final int cursors;
    private final long capacity;
    final RingLock lock = new RingLock();
    private final CRC32C crc = new CRC32C();

    // Mirrors of the lane's cursors; the header is the persistent copy. Written under the lock;
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

    private static final VarHandle HEAD;
    private static final VarHandle NEXT_SEQ;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Lane.class, "head", long.class);
            NEXT_SEQ = l.findVarHandle(Lane.class, "nextSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Lane(RingFile file, int lane) {
        this.file = file;
        this.capacity = file.capacity();
        this.base = RingFile.laneBase(lane, capacity);
        this.cursors = laneCursors(lane);
    }

    /**
     * Appends {@code payload} as a record of order {@code orders.next()}; returns that order. For
     * the rare records that come without a frame (crash reports): framed in a copy, then as a line.
     */
    long append(Orders orders, byte type, int category, int flags, byte[] payload, int off, int len) {
        byte[] rec = new byte[recordSize(len) + 8];
        System.arraycopy(payload, off, rec, RECORD_HEADER, len);
        return appendFramed(orders, type, category, flags, rec, 0, len);
    }

    /** {@link #append} for a record framed in place: see {@link Ring#appendFramed}. */
    long appendFramed(Orders orders, byte type, int category, int flags, byte[] rec, int at, int len) {
        int size = recordSize(len);
        boolean interrupted = false;
        lock.lock();
        try {
            interrupted = awaitSpace(size);
            long seq = nextSeq;
            // The order is taken last, under the lock, and published before the lock is let go:
            // whoever holds every lane's lock sees no order below the counter still in flight.
            long order = orders.next();
            frameRecord(rec, at, crc, len, seq, order, type, category, flags);
            file.write(base, head, rec, at, size);
            published(size, seq);
            return order;
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

    /** With the lock held, after the record of {@code size} bytes was written at head: makes it part of the lane. */
    private void published(int size, long seq) {
        long h = head + size;
        // Release stores: the drainer reads these fields without the lock and must then see the
        // record's bytes, which a release store orders before it; a volatile store's full fence
        // (twice per line) bought nothing more. The lock's release publishes the rest.
        HEAD.setRelease(this, h);
        NEXT_SEQ.setRelease(this, seq + 1);
        // Head before next seq: a record is in the lane once head covers it, and a process
        // killed between the two stores must not leave a header that promises a record more
        // than it holds (recovery would count a phantom corrupt record).
        file.header(cursors + LANE_HEAD, h);
        file.header(cursors + LANE_NEXT_SEQ, seq + 1);
    }

    private void advanceTail() {
        int len = file.readInt(base, tail + REC_LENGTH);
        tail += recordSize(len);
        file.header(cursors + LANE_TAIL, tail);
    }

    private void dropOldestUncommitted() {
        advanceTail();
        lost++;
        file.header(cursors + LANE_LOST, lost);
        commitPos = tail;
        commitSeq = tail == head ? nextSeq : file.readLong(base, tail + REC_SEQ);
        file.header(cursors + LANE_COMMIT_SEQ, commitSeq);
        file.header(cursors + LANE_COMMIT_POS, commitPos);
    }

    /** Sets the mount flag under the lock: once set, no producer of this lane overwrites again. */
    void mount() {
        lock.lock();
        try {
            mounted = true;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: where a reader at {@code from} must start (the tail, if it was overwritten past). */
    long readableFrom(long from) {
        return Math.max(from, tail);
    }

    /** With the lock held: the seq of the record at {@code pos} ({@link #head} for none). */
    long seqAt(long pos) {
        return pos >= head ? nextSeq : file.readLong(base, pos + REC_SEQ);
    }

    long head() {
        return head;
    }

    /** The size of the record at {@code pos} (below head: stable as {@link #copyRecords} requires). */
    int recordSizeAt(long pos) {
        return recordSize(file.readInt(base, pos + REC_LENGTH));
    }

    long nextSeq() {
        return nextSeq;
    }

    long commitPos() {
        return commitPos;
    }

    long commitSeq() {
        return commitSeq;
    }

    /** With the lock held: records lost to overwriting. */
    long lostLocked() {
        return lost;
    }

    /**
     * Copies whole records from {@code from} up to {@code upTo} (at most {@code max} bytes, at least
     * one record) to the start of {@code staging}; returns the bytes copied. The range must be
     * stable: under the lock, or mounted and above the commit cursor.
     */
    int copyRecords(long from, long upTo, byte[] staging, int max) {
        // One copy out of the mapping, then the walk over the copy: no wrap arithmetic and no
        // mapped-buffer checks per record (the walk in the mapping was a tenth of the drainer's time).
        int n = (int) Math.min(upTo - from, Math.min(max, staging.length));
        file.copyOut(base, from, staging, n);
        int end = 0;
        while (n - end >= RECORD_HEADER) {
            int size = recordSize(recordLength(staging, end));
            if (size > n - end) {
                break;
            }
            end += size;
        }
        if (end == 0 && upTo > from) {
            // A first record larger than max (a crash report) is a batch on its own.
            end = recordSize(file.readInt(base, from + REC_LENGTH));
            if (end > staging.length) {
                throw new IllegalStateException("staging buffer of " + staging.length + " bytes < record of " + end);
            }
            file.copyOut(base, from, staging, end);
        }
        return end;
    }

    /** Announces this lane's part of a store pass: records up to {@code endPos}/{@code endSeq}. */
    void beginPass(long endPos, long endSeq) {
        file.header(cursors + LANE_PENDING_SEQ, endSeq);
        file.header(cursors + LANE_PENDING_POS, endPos);
    }

    /** Marks every record before {@code endPos} as written to its file; frees their space. */
    void commit(long endPos, long endSeq) {
        lock.lock();
        try {
            if (endPos < commitPos) {
                return; // overtaken by early-boot overwriting; nothing to move
            }
            commitPos = endPos;
            commitSeq = endSeq;
            file.header(cursors + LANE_COMMIT_SEQ, endSeq);
            file.header(cursors + LANE_COMMIT_POS, endPos);
            file.header(cursors + LANE_PENDING_POS, 0);
            file.header(cursors + LANE_PENDING_SEQ, 0);
            lock.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: every record still held (committed or not), oldest first. */
    byte[] heldLocked() {
        int n = (int) (head - tail);
        byte[] out = new byte[n];
        file.copyOut(base, tail, out, n);
        return out;
    }

    /** Wakes producers waiting for space and refuses new appends. */
    void shutdown() {
        lock.lock();
        try {
            closed = true;
            lock.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** As a killed owner would leave it: refuses appends, signals nobody. */
    void abandon() {
        closed = true;
    }
}
