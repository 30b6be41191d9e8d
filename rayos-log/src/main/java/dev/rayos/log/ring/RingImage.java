package dev.rayos.log.ring;

import static dev.rayos.log.ring.RingFormat.*;

import dev.rayos.log.root.BootId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A ring file read back after its writer is gone: the records that never reached a file, the
 * ones that did (still held, for crash reports), and what was damaged. Built for hostile input:
 * every field is checked, a bad record is skipped by resynchronising on the next 8-byte boundary,
 * and nothing throws but {@link RingFormatException} for a header that is not a ring's at all.
 */
public final class RingImage {
    /**
     * One intact record: {@code seq} is its lane's, {@code order} places it among every lane's
     * records of the image (comparable within one image only).
     */
    public record Record(long seq, byte type, int category, int flags, byte[] payload, int lane, long order) {
        public boolean isUrgent() {
            return (flags & FLAG_URGENT) != 0;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        Record withOrder(long o) {
            return new Record(seq, type, category, flags, payload, lane, o);
        }
    }

    /** Where a store pass in progress was writing one category's bytes. */
    public record Intent(int category, long inode, long offset, long length) {}

    /** What one lane of the image holds. */
    private record LaneImage(List<Record> retained, List<Record> pending, long pendingEndSeq, long corrupt,
                             long lost, boolean plausible) {}

    private final BootId boot;
    private final long pid;
    private final String[] categories;
    private final List<Record> retained;
    private final List<Record> pending;
    private final List<Intent> intents;
    private final long[] pendingEndSeq;
    private final long corrupt;
    private final long lost;
    private final boolean headerTrusted;

    private RingImage(BootId boot, long pid, String[] categories, List<Record> retained, List<Record> pending,
                      List<Intent> intents, long[] pendingEndSeq, long corrupt, long lost, boolean headerTrusted) {
        this.boot = boot;
        this.pid = pid;
        this.categories = categories;
        this.retained = retained;
        this.pending = pending;
        this.intents = intents;
        this.pendingEndSeq = pendingEndSeq;
        this.corrupt = corrupt;
        this.lost = lost;
        this.headerTrusted = headerTrusted;
    }

    /** The boot that owned the ring. */
    public BootId boot() {
        return boot;
    }

    public long pid() {
        return pid;
    }

    /** The category name of a record's table index ({@code boot} for unknown or empty entries). */
    public String category(int index) {
        String c = index >= 0 && index < categories.length ? categories[index] : null;
        return c == null ? "boot" : c;
    }

    /** Intact records that had already reached a file, every lane's merged in order of their append. */
    public List<Record> retained() {
        return retained;
    }

    /** Intact records that had not reached a file (or whose write was in progress), every lane's merged in order. */
    public List<Record> pending() {
        return pending;
    }

    /** The file writes of the pass that was in progress, if any. */
    public List<Intent> intents() {
        return intents;
    }

    /** The end (exclusive) of lane 0's part of the pass in progress; 0 when none. */
    public long pendingEndSeq() {
        return pendingEndSeq[0];
    }

    /** True for a pending record the pass in progress covered: it may already be in a file. */
    public boolean inPass(Record r) {
        return r.lane() < pendingEndSeq.length && r.seq() < pendingEndSeq[r.lane()];
    }

    /** Records that were due to be written but are torn or corrupt. */
    public long corrupt() {
        return corrupt;
    }

    /** Records overwritten in the ring (early-boot overflow) before they reached a file. */
    public long lost() {
        return lost;
    }

    /** False when the cursors were implausible and the whole data area was scanned instead. */
    public boolean headerTrusted() {
        return headerTrusted;
    }

    /**
     * Reads a ring image.
     *
     * @throws RingFormatException when the header is not a ring header (magic, version, sizes, boot id)
     */
    public static RingImage read(byte[] file) throws RingFormatException {
        if (file.length < HEADER) {
            throw new RingFormatException("file of " + file.length + " bytes is shorter than the ring header");
        }
        ByteBuffer h = le(ByteBuffer.wrap(file));
        if (h.getLong(OFF_MAGIC) != MAGIC) {
            throw new RingFormatException("not a ring (bad magic)");
        }
        int version = h.getInt(OFF_VERSION);
        if (version != VERSION && version != VERSION_ONE_LANE) {
            throw new RingFormatException("ring version " + Integer.toUnsignedString(version)
                    + " is not " + VERSION_ONE_LANE + " or " + VERSION);
        }
        if (h.getInt(OFF_HEADER_SIZE) != HEADER) {
            throw new RingFormatException("ring header size is not " + HEADER);
        }
        int lanes = version == VERSION_ONE_LANE ? 1 : h.getInt(OFF_LANES);
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new RingFormatException("ring lanes " + Integer.toUnsignedString(lanes) + " outside 1.." + MAX_LANES);
        }
        long capacity = h.getLong(OFF_CAPACITY);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY / lanes || capacity % 8 != 0) {
            throw new RingFormatException("ring capacity " + capacity + " is not a valid size");
        }
        byte[] bootBytes = Arrays.copyOfRange(file, OFF_BOOT, OFF_BOOT + 16);
        BootId boot = BootId.fromBytes(bootBytes);
        long pid = h.getLong(OFF_PID);
        String[] cats = new String[MAX_CATEGORIES];
        for (int i = 0; i < MAX_CATEGORIES; i++) {
            int at = OFF_CATEGORIES + i * CATEGORY_NAME_BYTES;
            int len = 0;
            while (len < CATEGORY_NAME_BYTES && file[at + len] != 0) {
                len++;
            }
            String name = new String(file, at, len, StandardCharsets.US_ASCII);
            cats[i] = dev.rayos.log.root.RootLayout.isCategory(name) ? name : null;
        }
        List<Record> retained = new ArrayList<>();
        List<Record> pending = new ArrayList<>();
        long[] pendingEnd = new long[lanes];
        long corrupt = 0;
        long lost = 0;
        boolean trusted = true;
        boolean passInProgress = false;
        for (int lane = 0; lane < lanes; lane++) {
            LaneImage li = readLane(file, h, lane, capacity, version == VERSION_ONE_LANE);
            retained.addAll(li.retained());
            pending.addAll(li.pending());
            pendingEnd[lane] = li.pendingEndSeq();
            passInProgress |= li.pendingEndSeq() > 0;
            corrupt += li.corrupt();
            lost += li.lost();
            trusted &= li.plausible();
        }
        // Orders as signed distances from one record's: every record a ring holds lies within 2^31
        // orders of every other, so the distances compare right across the 32-bit word's wrap.
        // Each lane's records are in order already; a stable sort by order merges the lanes.
        long ref = !retained.isEmpty() ? retained.get(0).order() : pending.isEmpty() ? 0 : pending.get(0).order();
        Comparator<Record> byOrder = Comparator.comparingLong(rec -> (int) (rec.order() - ref));
        retained.sort(byOrder);
        pending.sort(byOrder);
        retained.replaceAll(rec -> rec.withOrder((int) (rec.order() - ref)));
        pending.replaceAll(rec -> rec.withOrder((int) (rec.order() - ref)));
        List<Intent> intents = new ArrayList<>();
        if (passInProgress) {
            for (int i = 0; i < MAX_CATEGORIES; i++) {
                int at = OFF_INTENTS + i * INTENT_BYTES;
                long len = h.getLong(at + INTENT_LENGTH);
                long off = h.getLong(at + INTENT_OFFSET);
                if (len > 0 && off >= 0 && len <= capacity * lanes) {
                    intents.add(new Intent(i, h.getLong(at + INTENT_INODE), off, len));
                }
            }
        }
        return new RingImage(boot, pid, cats, List.copyOf(retained), List.copyOf(pending), List.copyOf(intents),
                pendingEnd, corrupt, lost, trusted);
    }

    /** One lane's records and cursors, checked as a ring of one lane is. */
    private static LaneImage readLane(byte[] file, ByteBuffer h, int lane, long capacity, boolean oneLane) {
        // A truncated file reads as zeros past its end: those records fail their CRC.
        long base = HEADER + lane * capacity;
        byte[] data = new byte[(int) capacity];
        System.arraycopy(file, (int) Math.min(base, file.length), data, 0,
                (int) Math.min(capacity, Math.max(0, file.length - base)));
        int c = laneCursors(lane);
        long head = h.getLong(c + LANE_HEAD);
        long tail = h.getLong(c + LANE_TAIL);
        long nextSeq = h.getLong(c + LANE_NEXT_SEQ);
        long commitPos = h.getLong(c + LANE_COMMIT_POS);
        long commitSeq = h.getLong(c + LANE_COMMIT_SEQ);
        long lost = Math.max(0, h.getLong(c + LANE_LOST));
        long pendingPos = h.getLong(c + LANE_PENDING_POS);
        long pendingSeq = h.getLong(c + LANE_PENDING_SEQ);

        boolean plausible = tail >= 0 && tail <= commitPos && commitPos <= head && head - tail <= capacity
                && tail % 8 == 0 && commitPos % 8 == 0 && head % 8 == 0 && commitSeq >= 0 && nextSeq >= commitSeq
                && nextSeq - commitSeq <= capacity / RECORD_HEADER;
        Reader r = new Reader(data, capacity, lane, oneLane);
        List<Record> all = plausible ? r.walk(tail, head) : r.scanAll();
        List<Record> retained = new ArrayList<>();
        List<Record> pending = new ArrayList<>();
        for (Record rec : all) {
            (rec.seq() >= commitSeq ? pending : retained).add(rec);
        }
        long corrupt;
        if (plausible) {
            // A record beyond next seq is one whose writer died between the head and next-seq
            // stores: intact, recovered, but not part of what the header promised.
            long promised = pending.stream().filter(rec -> rec.seq() < nextSeq).count();
            corrupt = Math.max(0, (nextSeq - commitSeq) - promised);
        } else {
            corrupt = r.badRegions;
        }
        long pendingEnd = 0;
        if (plausible && pendingPos > commitPos && pendingPos <= head && pendingSeq > commitSeq && pendingSeq <= nextSeq) {
            pendingEnd = pendingSeq;
        }
        return new LaneImage(retained, pending, pendingEnd, corrupt, lost, plausible);
    }

    /** Walks records over the circular data area. */
    private static final class Reader {
        final byte[] data;
        final long capacity;
        final CRC32C crc = new CRC32C();
        final byte[] hdr = new byte[RECORD_HEADER];
        final ByteBuffer hv = le(ByteBuffer.wrap(hdr));
        final int lane;
        final boolean oneLane;
        long badRegions;

        Reader(byte[] data, long capacity, int lane, boolean oneLane) {
            this.data = data;
            this.capacity = capacity;
            this.lane = lane;
            this.oneLane = oneLane;
        }

        void copy(long pos, byte[] dst, int len) {
            int p = (int) (pos % capacity);
            int first = (int) Math.min(len, capacity - p);
            System.arraycopy(data, p, dst, 0, first);
            if (first < len) {
                System.arraycopy(data, 0, dst, first, len - first);
            }
        }

        /** The record at pos if it is intact and fits within {@code limit} bytes, else null. */
        Record at(long pos, long limit) {
            if (limit < RECORD_HEADER) {
                return null;
            }
            copy(pos, hdr, RECORD_HEADER);
            int len = recordLength(hv, 0);
            if (len < 0 || len > MAX_PAYLOAD || recordSize(len) > limit || recordSize(len) > capacity) {
                return null;
            }
            byte type = recordType(hdr, 0);
            int cat = recordCategory(hdr, 0);
            // Version 1 had no order: the word was reserved, zero in every valid record.
            if ((type != TYPE_LINE && type != TYPE_CRASH) || cat >= MAX_CATEGORIES || (oneLane && recordOrder(hv, 0) != 0)) {
                return null;
            }
            byte[] payload = new byte[len];
            copy(pos + RECORD_HEADER, payload, len);
            if (RingFormat.crc(crc, hdr, payload, 0, len) != recordCrc(hv, 0)) {
                return null;
            }
            return new Record(recordSeq(hv, 0), type, cat, recordFlags(hv, 0), payload, lane, recordOrder(hv, 0));
        }

        /**
         * The intact records from {@code from} to {@code to}, each above the last. Nothing is
         * counted here: with trusted cursors the damage is what the sequence numbers miss.
         */
        List<Record> walk(long from, long to) {
            List<Record> out = new ArrayList<>();
            long p = from;
            long lastSeq = -1;
            while (p < to) {
                Record rec = at(p, to - p);
                if (rec != null && rec.seq() > lastSeq) {
                    out.add(rec);
                    lastSeq = rec.seq();
                    p += recordSize(rec.payload().length);
                } else {
                    p += 8;
                }
            }
            return out;
        }

        /** When the cursors lie: every intact record anywhere, by sequence number. */
        List<Record> scanAll() {
            TreeMap<Long, Record> bySeq = new TreeMap<>();
            boolean inBad = false;
            for (long p = 0; p < capacity; p += 8) {
                Record rec = at(p, capacity);
                if (rec != null) {
                    bySeq.putIfAbsent(rec.seq(), rec);
                    inBad = false;
                    p += recordSize(rec.payload().length) - 8;
                } else if (!inBad && !zero(p)) {
                    badRegions++;
                    inBad = true;
                }
            }
            return new ArrayList<>(bySeq.values());
        }

        boolean zero(long p) {
            int i = (int) (p % capacity);
            for (int k = 0; k < 8; k++) {
                if (data[i + k] != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
