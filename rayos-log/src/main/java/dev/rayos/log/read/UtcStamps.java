package dev.rayos.log.read;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.nio.charset.StandardCharsets;

/**
 * The timestamps the store writes, read straight from a line's bytes: {@code YYYY-MM-DDTHH:MM:SS}
 * with 6 or 9 fraction digits and {@code Z}. The date is read by {@link LineCodec#parseTimestamp}
 * (the grammar's own rule: month lengths, leap years, the year range) once per day seen and kept;
 * the time of day is checked and added here. Anything else (mono time, other fraction widths, a
 * date or time the grammar refuses) answers {@link #NONE}, and the caller asks the grammar, so a
 * timestamp read here is always the one the grammar reads ({@code UtcStampsTest} compares them).
 *
 * <p>Why: the scanner reads the timestamp of every line that passes its filters. Making a
 * {@code String} of each one for the general parser cost more than the rest of such a line's
 * work, and that parser was the largest method C2 compiled during a scan (docs/PERFORMANCE.md).
 * One instance per scanning thread: it keeps the last date.
 */
final class UtcStamps {
    /** Not read here: ask the grammar. */
    static final long NONE = -1;

    private long dateWord = -1; // the bytes "YYYY-MM-" of the date kept, little-endian
    private int dayWord = -1; // the bytes "DD" of it
    private long dayNanos = NONE; // its midnight in epoch nanoseconds

    /** The epoch nanoseconds of the UTC timestamp in {@code b[p, end)}, or {@link #NONE}. */
    long read(byte[] b, int p, int end) {
        int len = end - p;
        if ((len != 27 && len != 30) || b[end - 1] != 'Z' || b[p + 10] != 'T' || b[p + 13] != ':'
                || b[p + 16] != ':' || b[p + 19] != '.') {
            return NONE;
        }
        long day = day(b, p);
        if (day == NONE) {
            return NONE;
        }
        int h = two(b, p + 11);
        int m = two(b, p + 14);
        int s = two(b, p + 17);
        if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) {
            return NONE;
        }
        long frac = 0;
        for (int i = p + 20; i < end - 1; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NONE;
            }
            frac = frac * 10 + d;
        }
        if (len == 27) {
            frac *= 1000;
        }
        return day + ((h * 3600L + m * 60L + s) * 1_000_000_000L) + frac;
    }

    /** Midnight of the date at {@code p} (the kept one when it is the same), or {@link #NONE}. */
    private long day(byte[] b, int p) {
        long w = 0;
        for (int k = 7; k >= 0; k--) {
            w = (w << 8) | (b[p + k] & 0xFF);
        }
        int dd = (b[p + 8] & 0xFF) | (b[p + 9] & 0xFF) << 8;
        if (w == dateWord && dd == dayWord) {
            return dayNanos;
        }
        long nanos;
        try {
            Timestamp t = LineCodec.parseTimestamp(new String(b, p, 10, StandardCharsets.ISO_8859_1) + "T00:00:00Z");
            nanos = t.nanos();
        } catch (LineParseException e) {
            return NONE;
        }
        dateWord = w;
        dayWord = dd;
        dayNanos = nanos;
        return nanos;
    }

    /** Two decimal digits at {@code i}, or -1. */
    private static int two(byte[] b, int i) {
        int a = b[i] - '0';
        int c = b[i + 1] - '0';
        if (a < 0 || a > 9 || c < 0 || c > 9) {
            return -1;
        }
        return a * 10 + c;
    }
}
