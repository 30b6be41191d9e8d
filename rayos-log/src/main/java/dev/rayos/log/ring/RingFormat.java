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
 *   0  u64 magic "RAYOSRNG"        48 u64 head      (absolute offset of the next record)
 *   8  u32 version = 1             56 u64 tail      (absolute offset of the oldest record kept)
 *  12  u32 header size = 4096      64 u64 next seq
 *  16  u64 data capacity           72 u64 commit pos (records before it are in files)
 *  24  16B owning boot id          80 u64 commit seq (seq of the record at commit pos)
 *  40  u64 owner pid               88 u64 lost      (records overwritten before reaching a file)
 *  96  u64 pending end pos        104 u64 pending end seq  (a store pass in progress)
 * 512  16 x 32B category names (NUL-padded; entry 0 is "boot")
 * 1024 16 x {u64 inode, u64 offset, u64 length}: per category, the file write of the pass
 * record (8-aligned; absolute offset o lives at byte 4096 + o mod capacity, wrapping)
 *   0 u32 payload length   4 u32 CRC32C of bytes 8..24+length   8 u64 seq
 *  16 u8 type (1 line, 2 crash report)  17 u8 category  18 u16 flags (bit 0 urgent)  20 u32 0
 *  24 payload, then zero padding to a multiple of 8
 * </pre>
 */
public final class RingFormat {
    public static final long MAGIC = 0x474E52534F594152L; // "RAYOSRNG" read little-endian
    public static final int VERSION = 1;
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
    static final int OFF_HEAD = 48;
    static final int OFF_TAIL = 56;
    static final int OFF_NEXT_SEQ = 64;
    static final int OFF_COMMIT_POS = 72;
    static final int OFF_COMMIT_SEQ = 80;
    static final int OFF_LOST = 88;
    static final int OFF_PENDING_POS = 96;
    static final int OFF_PENDING_SEQ = 104;
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
    static final int REC_RESERVED = 20;
    /** The CRC covers the header from here (seq, type, category, flags, reserved), then the payload. */
    static final int REC_CRC_FROM = REC_SEQ;

    public static final byte TYPE_LINE = 1;
    public static final byte TYPE_CRASH = 2;
    public static final int FLAG_URGENT = 1;

    /** Smallest data area the format allows (the policy asks for at least 256 KiB in use). */
    public static final long MIN_CAPACITY = 4096;
    public static final long MAX_CAPACITY = 1L << 30;
    /** The largest payload one record may hold. */
    public static final int MAX_PAYLOAD = 1 << 20;

    private RingFormat() {}

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

    /**
     * Encodes a record's header into {@code hdr} (viewed little-endian by {@code view}), CRC
     * included. No allocation: the producer's hot path calls it under the ring's lock.
     */
    static void encodeRecordHeader(ByteBuffer view, byte[] hdr, CRC32C crc, int len, long seq, byte type,
                                   int category, int flags, byte[] payload, int off) {
        view.putInt(REC_LENGTH, len);
        view.putLong(REC_SEQ, seq);
        hdr[REC_TYPE] = type;
        hdr[REC_CATEGORY] = (byte) category;
        view.putShort(REC_FLAGS, (short) flags);
        view.putInt(REC_RESERVED, 0);
        view.putInt(REC_CRC, crc(crc, hdr, payload, off, len));
    }

    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Frames a payload as a whole record in place: the payload is at {@code at + RECORD_HEADER} of
     * {@code rec}; the header (CRC included) is encoded at {@code at} and the padding after the
     * payload zeroed, so the record is bytes {@code [at, at + recordSize(len))} and the CRC one
     * pass over bytes 8.. of it. The same bytes as {@link #encodeRecordHeader} followed by the
     * payload and padding; no allocation (the producer's hot path, under the ring's lock).
     */
    static void frameRecord(byte[] rec, int at, CRC32C crc, int len, long seq, byte type, int category, int flags) {
        LE_INT.set(rec, at + REC_LENGTH, len);
        LE_LONG.set(rec, at + REC_SEQ, seq);
        rec[at + REC_TYPE] = type;
        rec[at + REC_CATEGORY] = (byte) category;
        LE_SHORT.set(rec, at + REC_FLAGS, (short) flags);
        LE_INT.set(rec, at + REC_RESERVED, 0);
        int end = at + recordSize(len);
        for (int i = at + RECORD_HEADER + len; i < end; i++) {
            rec[i] = 0;
        }
        crc.reset();
        crc.update(rec, at + REC_CRC_FROM, RECORD_HEADER - REC_CRC_FROM + len);
        LE_INT.set(rec, at + REC_CRC, (int) crc.getValue());
    }

    /** The payload length of the record at {@code at} in a little-endian buffer of whole records. */
    public static int recordLength(ByteBuffer le, int at) {
        return le.getInt(at + REC_LENGTH);
    }

    /** The payload length of the record at {@code at} in an array of whole records. */
    public static int recordLength(byte[] records, int at) {
        return (int) LE_INT.get(records, at + REC_LENGTH);
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

    /** The reserved word of the record at {@code at}: zero in every valid record. */
    static int recordReserved(ByteBuffer le, int at) {
        return le.getInt(at + REC_RESERVED);
    }

    /** Where the payload of the record at {@code at} starts. */
    public static int payloadAt(int at) {
        return at + RECORD_HEADER;
    }
}
