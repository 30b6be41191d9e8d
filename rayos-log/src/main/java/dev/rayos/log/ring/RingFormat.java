package dev.rayos.log.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The byte layout of a ring file ({@code docs/ring-format.md}), in one place for the writer
 * ({@link Ring}), the reader ({@link RingImage}), the store's drainer and the crash report's last
 * lines: every offset of the header and of a record is named here, and a record's header is
 * encoded and decoded only by the methods below. Little-endian throughout.
 *
 * <pre>
 * header (4096 bytes)
 *   0  u64 magic "RAYOSRNG"        48 lane 0's cursors (64 bytes, below)
 *   8  u32 version = 2 (1: one lane, order 0)
 *  12  u32 header size = 4096     112 u32 lanes (1..16; version 1: absent, one)
 *  16  u64 capacity of each lane's data area
 *  24  16B owning boot id
 *  40  u64 owner pid
 * 512  16 x 32B category names (NUL-padded; entry 0 is "boot")
 * 1024 16 x {u64 inode, u64 offset, u64 length}: per category, the file write of the pass
 * 2048 lanes 1.. cursors, 64 bytes each
 * lane cursors: 0 head, 8 tail, 16 next seq, 24 commit pos, 32 commit seq, 40 lost,
 *               48 pending end pos, 56 pending end seq (each u64)
 * lane k's data area: capacity bytes from 4096 + k * capacity
 * record (8-aligned; absolute offset o of a lane lives at o mod capacity in its area, wrapping)
 *   0 u32 payload length   4 u32 CRC32C of bytes 8..24+length   8 u64 seq (the lane's, 0, 1, 2, ...)
 *  16 u8 type (1 line, 2 crash report)  17 u8 category  18 u16 flags (bit 0 urgent)
 *  20 u32 order: low 32 bits of the process-wide order of the append (version 1: 0)
 *  24 payload, then zero padding to a multiple of 8
 * </pre>
 */
public final class RingFormat {
    public static final long MAGIC = 0x474E52534F594152L; // "RAYOSRNG" read little-endian
    public static final int VERSION = 2;
    /** The version before lanes: one lane, whose record's order word is 0. Still read. */
    public static final int VERSION_ONE_LANE = 1;
    public static final int HEADER = 4096;
    public static final int RECORD_HEADER = 24;
    public static final int MAX_CATEGORIES = 16;
    public static final int CATEGORY_NAME_BYTES = 32;

    static final int OFF_MAGIC = 0;
    static final int OFF_VERSION = 8;
    static final int OFF_HEADER_SIZE = 12;
    static final int OFF_CAPACITY = 16;
    static final int OFF_BOOT = 24;
    static final int OFF_PID = 40;
    // Lane 0's cursors, where version 1 kept the one lane's.
    static final int OFF_HEAD = 48;
    static final int OFF_TAIL = 56;
    static final int OFF_NEXT_SEQ = 64;
    static final int OFF_COMMIT_POS = 72;
    static final int OFF_COMMIT_SEQ = 80;
    static final int OFF_LOST = 88;
    static final int OFF_PENDING_POS = 96;
    static final int OFF_PENDING_SEQ = 104;
    static final int OFF_LANES = 112;
    /** Lanes 1.. keep their cursors here, {@link #LANE_CURSOR_BYTES} each. */
    static final int OFF_LANE_TABLE = 2048;
    static final int LANE_CURSOR_BYTES = 64;
    public static final int MAX_LANES = 16;
    // A lane's cursors, relative to its block.
    static final int LANE_HEAD = 0;
    static final int LANE_TAIL = 8;
    static final int LANE_NEXT_SEQ = 16;
    static final int LANE_COMMIT_POS = 24;
    static final int LANE_COMMIT_SEQ = 32;
    static final int LANE_LOST = 40;
    static final int LANE_PENDING_POS = 48;
    static final int LANE_PENDING_SEQ = 56;
    static final int OFF_CATEGORIES = 512;
    static final int OFF_INTENTS = 1024;
    static final int INTENT_BYTES = 24;
    static final int INTENT_INODE = 0;
    static final int INTENT_OFFSET = 8;
    static final int INTENT_LENGTH = 16;

    // A record's header, relative to the record's start.
    static final int REC_LENGTH = 0;
    static final int REC_CRC = 4;
    static final int REC_SEQ = 8;
    static final int REC_TYPE = 16;
    static final int REC_CATEGORY = 17;
    static final int REC_FLAGS = 18;
    static final int REC_ORDER = 20;
    /** The CRC covers the header from here (seq, type, category, flags, order), then the payload. */
    static final int REC_CRC_FROM = REC_SEQ;

    public static final byte TYPE_LINE = 1;
    public static final byte TYPE_CRASH = 2;
    public static final int FLAG_URGENT = 1;

    /** Smallest data area of a lane the format allows (the policy asks for at least 256 KiB in use). */
    public static final long MIN_CAPACITY = 4096;
    /** The most data all lanes of a ring hold together. */
    public static final long MAX_CAPACITY = 1L << 30;
    /** The largest payload one record may hold. */
    public static final int MAX_PAYLOAD = 1 << 20;

    private RingFormat() {}

    /** Where lane {@code lane}'s cursor block starts in the header. */
    static int laneCursors(int lane) {
        return lane == 0 ? OFF_HEAD : OFF_LANE_TABLE + (lane - 1) * LANE_CURSOR_BYTES;
    }

    /**
     * The full order of a record's 32-bit order word, given an order {@code after} known to be
     * above it and less than 2^32 ahead of it: every record a ring holds was appended within
     * fewer orders than that of the next one.
     */
    static long fullOrder(int word, long after) {
        return after - (((int) after - word) & 0xFFFFFFFFL);
    }

    /** The space a record with this payload takes, header and padding included. */
    public static int recordSize(int payloadLength) {
        return (RECORD_HEADER + payloadLength + 7) & ~7;
    }

    static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** CRC32C over a record's bytes 8..24 (given in {@code hdr}) and its payload. */
    static int crc(CRC32C crc, byte[] hdr, byte[] payload, int off, int len) {
        crc.reset();
        crc.update(hdr, REC_CRC_FROM, RECORD_HEADER - REC_CRC_FROM);
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Frames a payload as a whole record in place: the payload is at {@code at + RECORD_HEADER} of
     * {@code rec}; the header (CRC included) is encoded at {@code at} and the padding after the
     * payload zeroed, so the record is bytes {@code [at, at + recordSize(len))} and the CRC one
     * pass over bytes 8.. of it. The one place a record is encoded; no allocation (the producer's
     * hot path, under its lane's lock).
     */
    static void frameRecord(byte[] rec, int at, CRC32C crc, int len, long seq, long order, byte type, int category,
                            int flags) {
        LE_INT.set(rec, at + REC_LENGTH, len);
        LE_LONG.set(rec, at + REC_SEQ, seq);
        rec[at + REC_TYPE] = type;
        rec[at + REC_CATEGORY] = (byte) category;
        LE_SHORT.set(rec, at + REC_FLAGS, (short) flags);
        LE_INT.set(rec, at + REC_ORDER, (int) order);
        int end = at + recordSize(len);
        for (int i = at + RECORD_HEADER + len; i < end; i++) {
            rec[i] = 0;
        }
        crc.reset();
        crc.update(rec, at + REC_CRC_FROM, RECORD_HEADER - REC_CRC_FROM + len);
        LE_INT.set(rec, at + REC_CRC, (int) crc.getValue());
    }

    /**
     * A little-endian int of an array, byte by byte: the drainer reads two per record, deep in its
     * loop, where the JIT left a VarHandle's read a call through its checks (a fifth of the merge).
     */
    private static int leInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
    }

    /** The payload length of the record at {@code at} in a little-endian buffer of whole records. */
    public static int recordLength(ByteBuffer le, int at) {
        return le.getInt(at + REC_LENGTH);
    }

    /** The payload length of the record at {@code at} in an array of whole records. */
    public static int recordLength(byte[] records, int at) {
        return leInt(records, at + REC_LENGTH);
    }

    /** The CRC32C the record at {@code at} carries. */
    public static int recordCrc(ByteBuffer le, int at) {
        return le.getInt(at + REC_CRC);
    }

    /** The sequence number of the record at {@code at}. */
    public static long recordSeq(ByteBuffer le, int at) {
        return le.getLong(at + REC_SEQ);
    }

    /** The type of the record at {@code at} ({@link #TYPE_LINE}, {@link #TYPE_CRASH}). */
    public static byte recordType(byte[] records, int at) {
        return records[at + REC_TYPE];
    }

    /** The category table index of the record at {@code at}. */
    public static int recordCategory(byte[] records, int at) {
        return records[at + REC_CATEGORY] & 0xFF;
    }

    /** The flags of the record at {@code at} ({@link #FLAG_URGENT}). */
    public static int recordFlags(ByteBuffer le, int at) {
        return le.getShort(at + REC_FLAGS) & 0xFFFF;
    }

    /** The order word of the record at {@code at} (zero in version 1). */
    static int recordOrder(ByteBuffer le, int at) {
        return le.getInt(at + REC_ORDER);
    }

    /**
     * The process-wide order of the record at {@code at} in an array of whole records, given an
     * order {@code after} above it (a pass's end order): within 2^32 of it, as every held record is.
     */
    public static long recordOrder(byte[] records, int at, long after) {
        return fullOrder(recordOrder(records, at), after);
    }

    /** The order word of the record at {@code at} in an array of whole records. */
    static int recordOrder(byte[] records, int at) {
        return leInt(records, at + REC_ORDER);
    }

    /** Where the payload of the record at {@code at} starts. */
    public static int payloadAt(int at) {
        return at + RECORD_HEADER;
    }
}
