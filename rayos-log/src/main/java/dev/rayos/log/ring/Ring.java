package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

import dev.rayos.log.root.ProcessId;
import dev.rayos.log.root.BootId;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final long capacity;
    private final RingLock lock = new RingLock();
    private final CRC32C crc = new CRC32C();
    private final byte[] hdr = new byte[RECORD_HEADER];
    private final ByteBuffer hdrView = le(ByteBuffer.wrap(hdr));
    private final String[] categories = new String[MAX_CATEGORIES];

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

    private Ring(Path path, FileChannel channel, MappedByteBuffer map, long capacity) {
        this.path = path;
        this.channel = channel;
        this.map = map;
        this.capacity = capacity;
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
        Files.createDirectories(path.getParent());
        return build(path, RingFile.openLocked(path), capacity, boot);
    }

    private static Ring build(Path path, FileChannel ch, long capacity, BootId boot) throws IOException {
        try {
            ch.truncate(0);
            try {
                RingFile.allocate(ch, HEADER + capacity);
            } catch (IOException full) {
                ch.close();
                Files.deleteIfExists(path); // ours and no ring yet: the next start would set it aside as corrupt
                throw new java.nio.file.FileSystemException(path.toString(), null, full.getMessage());
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER + capacity);
            le(m);
            Ring r = new Ring(path, ch, m, capacity);
            r.initHeader(boot);
            return r;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void initHeader(BootId boot) {
        map.putLong(OFF_CAPACITY, capacity);
        map.put(OFF_BOOT, boot.toBytes());
        map.putLong(OFF_PID, ProcessId.current());
        map.putLong(OFF_HEAD, 0);
        map.putLong(OFF_TAIL, 0);
        map.putLong(OFF_NEXT_SEQ, 0);
        map.putLong(OFF_COMMIT_POS, 0);
        map.putLong(OFF_COMMIT_SEQ, 0);
        map.putLong(OFF_LOST, 0);
        map.putLong(OFF_PENDING_POS, 0);
        map.putLong(OFF_PENDING_SEQ, 0);
        categoryIndex("boot");
        map.putInt(OFF_VERSION, VERSION);
        map.putInt(OFF_HEADER_SIZE, HEADER);
        // The magic last: a file with it is a complete header.
        map.putLong(OFF_MAGIC, MAGIC);
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
        lock.lock();
        try {
            for (int i = 0; i < MAX_CATEGORIES; i++) {
                if (categories[i] == null) {
                    byte[] name = category.getBytes(StandardCharsets.US_ASCII);
                    if (name.length > CATEGORY_NAME_BYTES) {
                        throw new IllegalArgumentException("category name over 32 bytes");
                    }
                    map.put(OFF_CATEGORIES + i * CATEGORY_NAME_BYTES, name);
                    categories[i] = category;
                    return i;
                }
                if (categories[i].equals(category)) {
                    return i;
                }
            }
            throw new IllegalStateException("more than " + MAX_CATEGORIES + " categories in one ring");
        } finally {
            lock.unlock();
        }
    }

    /** The category name at a table index. */
    public String category(int index) {
        String c = index >= 0 && index < MAX_CATEGORIES ? categories[index] : null;
        return c == null ? "boot" : c;
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
            write(head, hdr, 0, RECORD_HEADER);
            write(head + RECORD_HEADER, payload, off, len);
            int pad = size - RECORD_HEADER - len;
            if (pad > 0) {
                write(head + RECORD_HEADER + len, ZEROS, 0, pad);
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
            write(head, rec, at, size);
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
        map.putLong(OFF_HEAD, h);
        map.putLong(OFF_NEXT_SEQ, seq + 1);
        return seq;
    }

    private static final byte[] ZEROS = new byte[8];

    private void advanceTail() {
        int len = readInt(tail + REC_LENGTH);
        tail += recordSize(len);
        map.putLong(OFF_TAIL, tail);
    }

    private void dropOldestUncommitted() {
        advanceTail();
        lost++;
        map.putLong(OFF_LOST, lost);
        commitPos = tail;
        commitSeq = tail == head ? nextSeq : readLong(tail + REC_SEQ);
        map.putLong(OFF_COMMIT_SEQ, commitSeq);
        map.putLong(OFF_COMMIT_POS, commitPos);
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
                long tailSeq = readLong(tail + REC_SEQ);
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
        long end = from;
        long seq = fromSeq;
        int limit = Math.min(max, staging.length);
        while (end < upTo) {
            int size = recordSize(readInt(end + REC_LENGTH));
            if (end - from + size > limit && end > from) {
                break;
            }
            end += size;
            seq++;
        }
        int n = (int) (end - from);
        if (n > staging.length) {
            throw new IllegalStateException("staging buffer of " + staging.length + " bytes < record of " + n);
        }
        copyOut(from, staging, n);
        return new Batch(from, end, fromSeq, seq, n, 0);
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
        for (int i = 0; i < MAX_CATEGORIES; i++) {
            map.putLong(OFF_INTENTS + i * INTENT_BYTES + INTENT_LENGTH, 0);
        }
        map.putLong(OFF_PENDING_SEQ, endSeq);
        map.putLong(OFF_PENDING_POS, endPos);
    }

    /** Records, before the write, where a category's bytes of the current pass are going. */
    public void intent(int category, long inode, long offset, long length) {
        int at = OFF_INTENTS + category * INTENT_BYTES;
        map.putLong(at + INTENT_INODE, inode);
        map.putLong(at + INTENT_OFFSET, offset);
        // Length last: an entry with a length is complete.
        map.putLong(at + INTENT_LENGTH, length);
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
            map.putLong(OFF_COMMIT_SEQ, endSeq);
            map.putLong(OFF_COMMIT_POS, endPos);
            map.putLong(OFF_PENDING_POS, 0);
            map.putLong(OFF_PENDING_SEQ, 0);
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
            copyOut(tail, out, n);
            return out;
        } finally {
            lock.unlock();
        }
    }

    // Header fields are read where records start, 8-aligned, and the capacity is a multiple of 8:
    // a field never straddles the end of the data area, so no wrap is needed here.
    private int readInt(long pos) {
        return map.getInt((int) (HEADER + pos % capacity));
    }

    private long readLong(long pos) {
        return map.getLong((int) (HEADER + pos % capacity));
    }

    private void write(long pos, byte[] src, int off, int len) {
        int p = (int) (pos % capacity);
        int first = (int) Math.min(len, capacity - p);
        map.put(HEADER + p, src, off, first);
        if (first < len) {
            map.put(HEADER, src, off + first, len - first);
        }
    }

    private void copyOut(long pos, byte[] dst, int len) {
        int p = (int) (pos % capacity);
        int first = (int) Math.min(len, capacity - p);
        map.get(HEADER + p, dst, 0, first);
        if (first < len) {
            map.get(HEADER, dst, first, len - first);
        }
    }

    /**
     * Lets go of the file exactly as a killed owner would: the lock is released, nothing in the file
     * is touched. For tests of recovery that need a dead owner at a chosen moment.
     */
    void abandon() throws IOException {
        closed = true;
        channel.close();
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
        // Closing the channel releases the file's lock with it.
        try (FileChannel ch = channel) {
            if (drained) {
                Files.deleteIfExists(path);
            } else {
                map.force();
            }
        }
    }
}
