package dev.rayos.log.read;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.nio.charset.StandardCharsets;

/**
 * The times of the lines that start in one chunk of a log file, as a time window judges them: the
 * least and greatest UTC time, the least and greatest mono time, and whether a line there has no
 * time a window can judge (corrupt, partial, longer than a line may be), which {@link LineScanner}
 * shows whatever the window. A range with {@code min > max} is empty.
 *
 * <p>Why minimum and maximum, not the first and last line's times: the wall clock can step back
 * inside a boot (a time sync, a wrong RTC), so a file's first and last lines do not bound the
 * lines between them. Mono times are kept as written: the boot's clock pair, which places them in
 * UTC, may be learnt after the index was made, so it is applied when the index is used.
 */
record ChunkTimes(long utcMin, long utcMax, long monoMin, long monoMax, boolean unplaced) {
    /** No line at all. */
    static final ChunkTimes EMPTY = new ChunkTimes(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, false);

    boolean hasUtc() {
        return utcMin <= utcMax;
    }

    boolean hasMono() {
        return monoMin <= monoMax;
    }

    /** Both chunks' lines. */
    ChunkTimes union(ChunkTimes o) {
        return new ChunkTimes(Math.min(utcMin, o.utcMin), Math.max(utcMax, o.utcMax), Math.min(monoMin, o.monoMin),
                Math.max(monoMax, o.monoMax), unplaced || o.unplaced);
    }

    /**
     * False only when no line of the chunk can be shown by a window of {@code since} to {@code until}
     * (either null: open), placing mono times through {@code pair} as {@link LineScanner} does (no
     * pair: mono lines are never in a window).
     */
    boolean mayHold(Long since, Long until, BootRecord.TimeSync pair) {
        long lo = since == null ? Long.MIN_VALUE : since;
        long hi = until == null ? Long.MAX_VALUE : until;
        if (unplaced || (hasUtc() && utcMin <= hi && utcMax >= lo)) {
            return true;
        }
        if (!hasMono() || pair == null) {
            return false;
        }
        try {
            long a = Math.addExact(pair.utcNanos(), Math.subtractExact(monoMin, pair.monoNanos()));
            long b = Math.addExact(pair.utcNanos(), Math.subtractExact(monoMax, pair.monoNanos()));
            return a <= hi && b >= lo;
        } catch (ArithmeticException wraps) {
            return true; // the scanner's sum would wrap: no bound can be promised
        }
    }

    /**
     * The times of the lines starting in {@code b[from, startLimit)} (running on to {@code end} at
     * most), each line judged as {@link LineScanner#scan} judges it: the same line feeds, the same
     * timestamp shape and level checks, the same timestamp readers. Any line it cannot place is
     * counted unplaced, which only ever widens what the chunk may hold.
     */
    static ChunkTimes measure(byte[] b, int from, int startLimit, int end, UtcStamps stamps) {
        long uMin = Long.MAX_VALUE;
        long uMax = Long.MIN_VALUE;
        long mMin = Long.MAX_VALUE;
        long mMax = Long.MIN_VALUE;
        boolean unplaced = false;
        int p = from;
        while (p < startLimit) {
            int lf = LineScanner.indexOfLf(b, p, end);
            if (lf < 0) {
                unplaced = true; // a partial line (at the file's end) or an overlong one (before it)
                break;
            }
            if (lf == p) {
                p = lf + 1; // an empty line: never shown
                continue;
            }
            int ts = LineScanner.tsEnd(b, p, lf);
            if (ts < 0 || LineScanner.level(b, ts + 1, lf) < 0) {
                unplaced = true;
                p = lf + 1;
                continue;
            }
            long utc = stamps.read(b, p, ts);
            if (utc != UtcStamps.NONE) {
                uMin = Math.min(uMin, utc);
                uMax = Math.max(uMax, utc);
            } else {
                try {
                    Timestamp t = LineCodec.parseTimestamp(new String(b, p, ts - p, StandardCharsets.ISO_8859_1));
                    if (t.mono()) {
                        mMin = Math.min(mMin, t.nanos());
                        mMax = Math.max(mMax, t.nanos());
                    } else {
                        uMin = Math.min(uMin, t.nanos());
                        uMax = Math.max(uMax, t.nanos());
                    }
                } catch (LineParseException bad) {
                    unplaced = true;
                }
            }
            p = lf + 1;
        }
        return new ChunkTimes(uMin, uMax, mMin, mMax, unplaced);
    }
}
