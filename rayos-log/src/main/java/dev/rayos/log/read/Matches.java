package dev.rayos.log.read;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of one piece of one log file that passed a query, copied out together: their bytes
 * (each with its line feed), where each starts, its place in time and its flags. Made by the
 * scanner; read by formatters. Flagged lines (corrupt, partial) pass every filter they cannot be
 * judged by, so they are never silently lost.
 */
public final class Matches {
    /** The line carried mono time and was placed in UTC through the boot's pair: an estimate. */
    public static final byte ESTIMATED = 1;
    /** The line does not follow the grammar (its timestamp or level is not readable). */
    public static final byte CORRUPT = 2;
    /** The file ends inside this line: a writer is writing it, or died while writing it. */
    public static final byte PARTIAL = 4;
    /** The line carries mono time and the boot has no pair: its key is mono nanoseconds. */
    public static final byte MONO = 8;

    final String category;
    final Path file;
    byte[] data;
    int dataLen;
    int count;
    int[] start;
    int[] length; // without the line feed
    long[] key;
    byte[] flags;
    long[] offset;
    int flagged;
    /** File offset after the last whole line scanned (where a follower goes on). */
    long consumedEnd;

    Matches(String category, Path file, int dataCapacity, int lineCapacity) {
        this.category = category;
        this.file = file;
        this.data = new byte[Math.max(16, dataCapacity)];
        int n = Math.max(4, lineCapacity);
        start = new int[n];
        length = new int[n];
        key = new long[n];
        flags = new byte[n];
        offset = new long[n];
    }

    void add(byte[] src, int from, int len, long k, byte f, long fileOffset) {
        if (count == start.length) {
            int n = count * 2;
            start = Arrays.copyOf(start, n);
            length = Arrays.copyOf(length, n);
            key = Arrays.copyOf(key, n);
            flags = Arrays.copyOf(flags, n);
            offset = Arrays.copyOf(offset, n);
        }
        if (dataLen + len + 1 > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLen + len + 1));
        }
        System.arraycopy(src, from, data, dataLen, len);
        start[count] = dataLen;
        length[count] = len;
        key[count] = k;
        flags[count] = f;
        offset[count] = fileOffset;
        dataLen += len;
        data[dataLen++] = '\n';
        if ((f & (CORRUPT | PARTIAL)) != 0) {
            flagged++;
        }
        count++;
    }

    public String category() {
        return category;
    }

    /** The file the lines came from. */
    public Path file() {
        return file;
    }

    public int count() {
        return count;
    }

    /** The bytes of all lines, each followed by its line feed; line {@code i} is at {@link #start}. */
    public byte[] data() {
        return data;
    }

    /** Where line {@code i} starts in {@link #data()}. */
    public int start(int i) {
        return start[i];
    }

    /** The length of line {@code i}, without its line feed. */
    public int length(int i) {
        return length[i];
    }

    /** UTC epoch nanoseconds of line {@code i} (mono nanoseconds when flagged {@link #MONO}). */
    public long key(int i) {
        return key[i];
    }

    public byte flags(int i) {
        return flags[i];
    }

    /** Byte offset of line {@code i} in its file. */
    public long offset(int i) {
        return offset[i];
    }

    /** How many lines are {@link #CORRUPT} or {@link #PARTIAL}. */
    public int flagged() {
        return flagged;
    }

    /** Orders lines of one boot: unplaced mono time after UTC (as {@code Timestamp} does), then by time. */
    static int compare(Matches a, int i, Matches b, int j) {
        boolean ma = (a.flags[i] & MONO) != 0;
        boolean mb = (b.flags[j] & MONO) != 0;
        if (ma != mb) {
            return ma ? 1 : -1;
        }
        return Long.compare(a.key[i], b.key[j]);
    }
}
