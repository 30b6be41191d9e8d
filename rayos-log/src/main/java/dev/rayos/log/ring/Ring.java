package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

import dev.rayos.log.root.BootId;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live ring of one process: a memory-mapped file of CRC'd, sequence-numbered records that
 * every line passes through on its way to the files (the spec's early-boot buffer, pstore's idea
 * and the async queue in one). Because it is a mapped file, a process killed with SIGKILL leaves
 * it behind intact, and the next writer to start writes out what never reached a file.
 *
 * <p>Concurrency: the file holds one or more {@link Lane lanes}, each a circular area with its own
 * short lock; a logging thread keeps to the lane it was given ({@link #laneFor}), so two threads
 * logging at once share nothing but the order counter ({@link Orders}) that every record carries.
 * One drainer thread takes a cut (every lane's lock for a moment: no order below the counter is
 * then still being written), copies the lanes' records out, merges them by order, writes them,
 * then {@linkplain #commit commits}. Before the store is {@linkplain #mount mounted} a lane only
 * fills and overwrites its oldest records, counting them as lost; once mounted, producers wait for
 * the drainer instead of overwriting, so no line is lost to a slow disk. The owning process holds
 * an exclusive lock on the file for its life: a ring whose lock can be taken is an orphan.
 */
public final class Ring implements Closeable {
    private final Path path;
    private final RingFile file;
    private final long capacity;
    private final Lane[] lanes;
    private final Orders orders = new Orders();
    private final AtomicInteger laneTurn = new AtomicInteger();
    private final RingCategories categories;
    private volatile boolean mounted;
    // The drainer's copies of each lane's records, merged into its staging array.
    private byte[][] laneCopies;

    private Ring(Path path, RingFile file) {
        this.path = path;
        this.file = file;
        this.capacity = file.capacity();
        this.lanes = new Lane[file.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(file, i);
        }
        this.categories = new RingCategories(file);
    }

    /** {@link #create(Path, long, int, BootId)} with one lane. */
    public static Ring create(Path path, long capacity, BootId boot) throws IOException {
        return create(path, capacity, 1, boot);
    }

    /**
     * Creates (or replaces) the ring file at {@code path} with {@code lanes} data areas of
     * {@code capacity} bytes each, owned by {@code boot}, and takes its lock. The caller must have
     * recovered any orphan that lived at this path first; a lock that another start holds while it
     * recovers the same file is waited for, up to 2 s, before the ring is "in use by another process".
     */
    public static Ring create(Path path, long capacity, int lanes, BootId boot) throws IOException {
        if (capacity < MIN_CAPACITY || capacity * lanes > MAX_CAPACITY || capacity % 8 != 0) {
            throw new IllegalArgumentException("ring capacity " + capacity + " outside "
                    + MIN_CAPACITY + ".." + MAX_CAPACITY + " or not a multiple of 8");
        }
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("ring lanes " + lanes + " outside 1.." + MAX_LANES);
        }
        return new Ring(path, RingFile.create(path, capacity, lanes, boot));
    }

    public Path path() {
        return path;
    }

    /** The data capacity of each lane: the largest record a ring holds is a quarter of it. */
    public long capacity() {
        return capacity;
    }

    public int lanes() {
        return lanes.length;
    }

    /** The lane for a new logging thread: the lanes in turn. */
    public int laneFor() {
        return Math.floorMod(laneTurn.getAndIncrement(), lanes.length);
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
        for (Lane l : lanes) {
            l.mount();
        }
        mounted = true;
    }

    public boolean isMounted() {
        return mounted;
    }

    /**
     * Appends one record to lane 0 and returns its order.
     *
     * Waiting for the drainer is not interruptible (a log line is not abandoned half way); an
     * interrupt that arrives meanwhile is kept for the caller.
     *
     * @throws IllegalStateException when the ring is closed
     */
    public long append(byte type, int category, int flags, byte[] payload, int off, int len) {
        if (len > MAX_PAYLOAD || recordSize(len) > capacity) {
            throw new IllegalArgumentException("record of " + len + " bytes does not fit the ring");
        }
        return lanes[0].append(orders, type, category, flags, payload, off, len);
    }

    /** {@link #appendFramed(int, byte, int, int, byte[], int, int)} to lane 0. */
    public long appendFramed(byte type, int category, int flags, byte[] rec, int payloadAt, int len) {
        return appendFramed(0, type, category, flags, rec, payloadAt, len);
    }

    /**
     * {@link #append} to {@code lane} for a payload the caller holds at {@code payloadAt} of
     * {@code rec} with room for the record's header before it ({@link RingFormat#RECORD_HEADER}
     * bytes) and its padding after it (7 bytes): the record is framed in place and copied into the
     * ring in one piece. The bytes in the ring are the same as {@link #append}'s. {@code rec}'s
     * room is overwritten.
     */
    public long appendFramed(int lane, byte type, int category, int flags, byte[] rec, int payloadAt, int len) {
        int size = recordSize(len);
        int at = payloadAt - RECORD_HEADER;
        if (len > MAX_PAYLOAD || size > capacity || at < 0 || at + size > rec.length) {
            throw new IllegalArgumentException("record of " + len + " bytes does not fit the ring or its frame");
        }
        return lanes[lane].appendFramed(orders, type, category, flags, rec, at, len);
    }

    /** A batch of lane 0's records copied out of the ring: bytes {@code [0, length)} of the staging array. */
    public record Batch(long startPos, long endPos, long startSeq, long endSeq, int length, long skipped) {
        public boolean isEmpty() {
            return endPos == startPos;
        }
    }

    /**
     * Copies whole records of lane 0 (the only lane of a ring created with one) from {@code from}
     * (at most {@code max} bytes, at least one record) into {@code staging}. When {@code from} was
     * overwritten meanwhile (early boot), reading resumes at the oldest record and the batch says
     * how many records were skipped.
     */
    public Batch read(long from, long fromSeq, byte[] staging, int max) {
        Lane lane = lanes[0];
        lane.lock.lock();
        try {
            long skipped = 0;
            long start = lane.readableFrom(from);
            if (start > from) {
                long tailSeq = lane.seqAt(start);
                skipped = Math.max(0, tailSeq - fromSeq);
                fromSeq = tailSeq;
            }
            int n = lane.copyRecords(start, lane.head(), staging, max);
            long seq = fromSeq;
            for (int at = 0; at < n; at += recordSize(recordLength(staging, at))) {
                seq++;
            }
            return new Batch(start, start + n, fromSeq, seq, n, skipped);
        } finally {
            lane.lock.unlock();
        }
    }

    /**
     * What one store pass takes: bytes {@code [0, length)} of the staging array, whole records of
     * every lane merged by order, and where each lane's part of them ends. Every record below
     * {@code endOrder} that the ring held is in it or was already taken.
     */
    public record Pass(long[] endPos, long[] endSeq, long endOrder, int length) {
        public boolean isEmpty() {
            return length == 0;
        }
    }

    /**
     * Copies the records every lane holds from the commit cursors (or, when {@code from} is given,
     * from those positions: the console's reading before the store is mounted) into
     * {@code staging}, merged by order: at most {@code max} bytes, at least one record.
     */
    public Pass read(long[] from, byte[] staging, int max) {
        return Merge.read(this, lanes, orders, from, staging, max);
    }

    /** The merge's copy buffer for lane {@code i}, kept between passes (the drainer's thread only). */
    byte[] laneCopy(int i, int size) {
        if (laneCopies == null) {
            laneCopies = new byte[lanes.length][];
        }
        if (laneCopies[i] == null || laneCopies[i].length < size) {
            laneCopies[i] = new byte[size];
        }
        return laneCopies[i];
    }

    /** Bytes appended to {@code lane} but not yet committed (a hint: read without its lock). */
    public long pendingBytes(int lane) {
        return lanes[lane].head() - lanes[lane].commitPos();
    }

    /** Bytes appended but not yet committed (a hint: read without the locks). */
    public long pendingBytes() {
        long n = 0;
        for (Lane l : lanes) {
            n += l.head() - l.commitPos();
        }
        return n;
    }

    /** The order the next record will get: every record appended so far is below it. */
    public long nextOrder() {
        return orders.current();
    }

    /** Lane 0's next sequence number. */
    public long nextSeq() {
        return lanes[0].nextSeq();
    }

    /** Lane 0's commit cursor. */
    public long commitPos() {
        return lanes[0].commitPos();
    }

    /** The sequence number of the record at lane 0's commit cursor. */
    public long commitSeq() {
        return lanes[0].commitSeq();
    }

    /** Records lost to overwriting before they reached a file. */
    public long lost() {
        long n = 0;
        for (Lane l : lanes) {
            l.lock.lock();
            try {
                n += l.lostLocked();
            } finally {
                l.lock.unlock();
            }
        }
        return n;
    }

    /** True when every record is committed. */
    public boolean isDrained() {
        for (Lane l : lanes) {
            l.lock.lock();
            try {
                if (l.commitPos() != l.head()) {
                    return false;
                }
            } finally {
                l.lock.unlock();
            }
        }
        return true;
    }

    /** Announces a store pass over lane 0's records up to {@code endPos}/{@code endSeq} (see the format doc). */
    public void beginPass(long endPos, long endSeq) {
        file.clearIntents();
        lanes[0].beginPass(endPos, endSeq);
    }

    /** Announces a store pass over what {@code p} took (see the format doc). */
    public void beginPass(Pass p) {
        file.clearIntents();
        for (int i = 0; i < lanes.length; i++) {
            if (p.endPos()[i] > lanes[i].commitPos()) {
                lanes[i].beginPass(p.endPos()[i], p.endSeq()[i]);
            }
        }
    }

    /** Records, before the write, where a category's bytes of the current pass are going. */
    public void intent(int category, long inode, long offset, long length) {
        file.intent(category, inode, offset, length);
    }

    /** Marks every record of lane 0 before {@code endPos} as written to its file; frees their space. */
    public void commit(long endPos, long endSeq) {
        lanes[0].commit(endPos, endSeq);
    }

    /** Marks every record {@code p} took as written to its file; frees their space. */
    public void commit(Pass p) {
        for (int i = 0; i < lanes.length; i++) {
            if (p.endPos()[i] != lanes[i].commitPos()) { // a lane the pass took nothing from has nothing to clear
                lanes[i].commit(p.endPos()[i], p.endSeq()[i]);
            }
        }
    }

    /**
     * Copies the last records (committed or not) still held, oldest first by order, into a new
     * array of whole records; crash reports use it for their last lines.
     */
    public byte[] snapshot() {
        return Merge.snapshot(lanes, orders);
    }

    /**
     * Lets go of the file exactly as a killed owner would: the lock is released, nothing in the file
     * is touched. For tests of recovery that need a dead owner at a chosen moment.
     */
    void abandon() throws IOException {
        for (Lane l : lanes) {
            l.abandon();
        }
        file.close();
    }

    /** Wakes producers waiting for space and refuses new appends. */
    public void shutdown() {
        for (Lane l : lanes) {
            l.shutdown();
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
