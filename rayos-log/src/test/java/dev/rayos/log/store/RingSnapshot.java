package dev.rayos.log.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A ring file's bytes at one moment, read by the layout of docs/ring-format.md alone (offsets
 * written out here, not taken from the writer's code): the header's cursors, its pass and intents,
 * and the record at an absolute offset when one is there intact. Lane 0's only: the runs read here
 * log from one thread.
 */
final class RingSnapshot {
    static final int HEADER = 4096;
    static final int RECORD_HEADER = 24;

    /** One intact record. */
    record Rec(long pos, int size, long seq, int type, int category, byte[] payload) {}

    /** A pass's file write for one category, as the header announces it. */
    record Intent(int category, long inode, long offset, long length) {}

    private final ByteBuffer b;
    final long capacity;

    RingSnapshot(byte[] file) {
        this.b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        this.capacity = b.getLong(16);
    }

    boolean isRing() {
        return b.getLong(0) == 0x474E52534F594152L && capacity >= 4096 && capacity % 8 == 0
                && HEADER + capacity <= b.capacity();
    }

    long head() {
        return b.getLong(48);
    }

    long tail() {
        return b.getLong(56);
    }

    long nextSeq() {
        return b.getLong(64);
    }

    long commitPos() {
        return b.getLong(72);
    }

    long commitSeq() {
        return b.getLong(80);
    }

    long pendingPos() {
        return b.getLong(96);
    }

    long pendingSeq() {
        return b.getLong(104);
    }

    Intent intent(int category) {
        int at = 1024 + category * 24;
        return new Intent(category, b.getLong(at), b.getLong(at + 8), b.getLong(at + 16));
    }

    /** The record starting at absolute offset {@code pos}, or null when none is there intact. */
    Rec at(long pos) {
        byte[] hdr = copy(pos, RECORD_HEADER);
        ByteBuffer h = ByteBuffer.wrap(hdr).order(ByteOrder.LITTLE_ENDIAN);
        int len = h.getInt(0);
        // Word 20 is the record's order (version 2); version 1 reserved it as zero.
        boolean v1 = b.getInt(8) == 1;
        if (pos % 8 != 0 || len < 0 || len > capacity - RECORD_HEADER || (v1 && h.getInt(20) != 0)) {
            return null;
        }
        byte[] payload = copy(pos + RECORD_HEADER, len);
        CRC32C crc = new CRC32C();
        crc.update(hdr, 8, 16);
        crc.update(payload);
        if ((int) crc.getValue() != h.getInt(4)) {
            return null;
        }
        return new Rec(pos, (RECORD_HEADER + len + 7) & ~7, h.getLong(8), hdr[16], hdr[17] & 0xFF, payload);
    }

    private byte[] copy(long pos, int len) {
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            out[i] = b.get(HEADER + (int) ((pos + i) % capacity));
        }
        return out;
    }
}
