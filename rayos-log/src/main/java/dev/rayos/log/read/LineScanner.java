package dev.rayos.log.read;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Filters lines as bytes, without decoding the lines that do not match: the reader's hot loop.
 *
 * <p>It splits a line only into its first four space-separated tokens (timestamp, level,
 * component, event), which is all a filter needs; a line whose level token is unreadable is flagged
 * corrupt. Timestamps are parsed by {@link LineCodec#parseTimestamp} (the grammar's own rule) and
 * only for lines that pass the other filters, or when time is needed. Whole-grammar checks are the
 * formatters' business ({@code -o json} parses every line it prints with {@link LineCodec#parse}).
 *
 * <p>Line feeds are found eight bytes at a time (SWAR): this loop touches every byte of a gigabyte.
 */
final class LineScanner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NL = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final Level[] LEVELS = Level.values();
    private static final byte[][] LEVEL_BYTES = new byte[LEVELS.length][];

    /** Per level: its name and the space after it as little-endian bytes of a long, and the mask of those bytes. */
    private static final long[] LEVEL_WORD = new long[LEVELS.length];
    private static final long[] LEVEL_MASK = new long[LEVELS.length];

    static {
        for (Level l : LEVELS) {
            byte[] name = l.name().getBytes(StandardCharsets.US_ASCII);
            LEVEL_BYTES[l.ordinal()] = name;
            if (name.length + 1 > 8) {
                throw new ExceptionInInitializerError("level name longer than 7 bytes: " + l);
            }
            long w = 0;
            for (int k = name.length - 1; k >= 0; k--) {
                w = (w << 8) | (name[k] & 0xFF);
            }
            LEVEL_WORD[l.ordinal()] = w | ((long) ' ' << (8 * name.length));
            LEVEL_MASK[l.ordinal()] = (1L << (8 * (name.length + 1))) - 1;
        }
    }

    private final LogQuery q;
    private final int minLevel;
    private final int maxLevel;
    private final byte[][] components;
    private final boolean needsTime;
    private final long pairMono;
    private final long pairUtc;
    private final boolean hasPair;

    /**
     * False to send every line through the whole loop of {@link #scan}, and every timestamp through
     * the grammar's parser (tests compare the two).
     */
    private final boolean fastPath;
    private final UtcStamps stamps = new UtcStamps();
    /** The query asks nothing of a line but its level (and the time, to order it). */
    private final boolean plain;
    /** The time of the last line placed, and whether it was mono: a corrupt line after it takes its place. */
    private long lastKey = Long.MIN_VALUE;
    private byte lastMono;
    /** What {@link #place} read last. */
    private long placedKey;
    private byte placedFlags;

    LineScanner(LogQuery q, BootRecord.TimeSync pair) {
        this(q, pair, true);
    }

    LineScanner(LogQuery q, BootRecord.TimeSync pair, boolean fastPath) {
        this.q = q;
        this.fastPath = fastPath;
        this.minLevel = q.minLevel() == null ? 0 : q.minLevel().ordinal();
        this.maxLevel = q.maxLevel() == null ? LEVELS.length - 1 : q.maxLevel().ordinal();
        if (q.components() != null) {
            components = q.components().stream().map(c -> c.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        } else {
            components = null;
        }
        this.hasPair = pair != null;
        this.pairMono = hasPair ? pair.monoNanos() : 0;
        this.pairUtc = hasPair ? pair.utcNanos() : 0;
        this.needsTime = q.needsTime();
        this.plain = components == null && q.componentGlob() == null && q.event() == null && q.grep() == null
                && !needsTime;
    }

    /** The index of the first line feed in {@code b[from, end)}, or -1. */
    static int indexOfLf(byte[] b, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NL;
            if (((x - ONES) & ~x & HIGHS) != 0) {
                break; // a line feed in these eight: found below byte by byte (C1 calls numberOfTrailingZeros)
            }
        }
        for (; i < end; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Scans the lines that start in {@code b[from, startLimit)} (they may run on to {@code end}),
     * adding the ones the query lets through to {@code out}.
     *
     * @param base      file offset of {@code b[0]}
     * @param atFileEnd {@code end} is the end of the file: a last line without a line feed is partial
     * @param keepPartial show such a partial line (flagged) instead of leaving it for later
     * @return the index after the last whole line scanned
     */
    int scan(byte[] b, int from, int startLimit, int end, long base, boolean atFileEnd, boolean keepPartial,
             Matches out) {
        int p = from;
        while (p < startLimit) {
            if (fastPath) {
                p = plainLines(b, p, startLimit, end, base, out);
                if (p >= startLimit) {
                    break;
                }
            }
            int lf = indexOfLf(b, p, end);
            boolean partial = false;
            int e;
            if (lf < 0) {
                if (!atFileEnd) {
                    // longer than the window: report what is here as corrupt, go on at the next line feed
                    e = end;
                    out.add(b, p, Math.min(e - p, LineCodec.MAX_LINE_BYTES), lastKey, (byte) (Matches.CORRUPT | lastMono),
                            base + p);
                    return end;
                }
                if (!keepPartial || p == end) {
                    return p;
                }
                e = end;
                partial = true;
            } else {
                e = lf;
            }
            int next = lf < 0 ? end : lf + 1;
            if (e == p) { // an empty line: nothing was written there, skip it
                p = next;
                continue;
            }
            int tsEnd = tsEnd(b, p, e);
            int lvl = tsEnd < 0 ? -1 : level(b, tsEnd + 1, e);
            if (lvl < 0 || partial) {
                if (grepMatches(b, p, e)) {
                    byte f = (byte) ((partial ? Matches.PARTIAL : 0) | (lvl < 0 ? Matches.CORRUPT : 0) | lastMono);
                    out.add(b, p, e - p, lastKey, f, base + p);
                }
                p = next;
                continue;
            }
            if (lvl < minLevel || lvl > maxLevel) {
                p = next;
                continue;
            }
            int compStart = tsEnd + 1 + LEVEL_BYTES[lvl].length + 1;
            if (components != null || q.componentGlob() != null || q.event() != null) {
                int compEnd = indexOfSpace(b, compStart, e);
                if (compEnd < 0) {
                    compEnd = e;
                }
                boolean byName = components != null && anyEquals(b, compStart, compEnd);
                boolean byGlob = q.componentGlob() != null && compEnd > compStart && q.componentGlob()
                        .matcher(new String(b, compStart, compEnd - compStart, StandardCharsets.ISO_8859_1)).matches();
                if ((components != null || q.componentGlob() != null) && !byName && !byGlob) {
                    p = next;
                    continue;
                }
                if (q.event() != null) {
                    int evStart = compEnd + 1;
                    int evEnd = evStart >= e ? e : indexOfSpace(b, evStart, e);
                    if (evEnd < 0) {
                        evEnd = e;
                    }
                    String ev = evStart >= evEnd ? "" : new String(b, evStart, evEnd - evStart, StandardCharsets.ISO_8859_1);
                    if (!q.event().matcher(ev).matches()) {
                        p = next;
                        continue;
                    }
                }
            }
            if (!grepMatches(b, p, e)) {
                p = next;
                continue;
            }
            if (!place(b, p, tsEnd)) {
                if (grepMatches(b, p, e)) {
                    out.add(b, p, e - p, lastKey, (byte) (Matches.CORRUPT | lastMono), base + p);
                }
                p = next;
                continue;
            }
            long key = placedKey;
            byte f = placedFlags;
            lastKey = key;
            lastMono = (byte) (f & Matches.MONO);
            if (needsTime) {
                if ((f & Matches.MONO) != 0 || (q.since() != null && key < q.since())
                        || (q.until() != null && key > q.until())) {
                    p = next;
                    continue;
                }
            }
            out.add(b, p, e - p, key, f, base + p);
            p = next;
        }
        return p;
    }

    /**
     * Reads the timestamp {@code b[p, tsEnd)} into {@link #placedKey} and {@link #placedFlags}
     * (mono time placed through the boot's pair, or left in mono); false when the grammar refuses it.
     */
    private boolean place(byte[] b, int p, int tsEnd) {
        long utc = fastPath ? stamps.read(b, p, tsEnd) : UtcStamps.NONE;
        if (utc != UtcStamps.NONE) {
            placedKey = utc;
            placedFlags = 0;
            return true;
        }
        Timestamp ts;
        try {
            // A String, not a view of the bytes: every other caller passes a String, and a parser that
            // sees one CharSequence class compiles to a third of the code, in a third of the time.
            ts = LineCodec.parseTimestamp(new String(b, p, tsEnd - p, StandardCharsets.ISO_8859_1));
        } catch (LineParseException ex) {
            return false;
        }
        if (!ts.mono()) {
            placedKey = ts.nanos();
            placedFlags = 0;
        } else if (hasPair) {
            placedKey = pairUtc + (ts.nanos() - pairMono);
            placedFlags = Matches.ESTIMATED;
        } else {
            placedKey = ts.nanos();
            placedFlags = Matches.MONO;
        }
        return true;
    }

    /**
     * The fast path: from {@code p}, the whole lines whose fate {@link #scan}'s loop would decide by
     * their level alone, decided here in that loop's own terms and with its results: a timestamp of
     * the shape {@link #tsEnd} reads, then a level below the query's range (skipped) or in it (added
     * with the time {@link UtcStamps} reads, when the query asks nothing more of a line). Returns the
     * start of the first line it cannot decide that way (or the first at or after
     * {@code startLimit}); every other line, whatever it is (corrupt, empty, partial, longer than the
     * window, mono time, one another filter must look at), is left to {@link #scan}, so this decides
     * nothing {@code scan} would not. Kept small on purpose: it runs for nearly every line of a long
     * read and must be compiled early, and in little time.
     */
    private int plainLines(byte[] b, int p, int startLimit, int end, long base, Matches out) {
        while (p < startLimit) {
            int lf = indexOfLf(b, p, end);
            if (lf <= p) {
                return p; // no line feed (partial or overlong) or an empty line
            }
            int ts = tsEnd(b, p, lf);
            if (ts < 0) {
                return p;
            }
            int q = ts + 1;
            if (minLevel > 0 && belowByWord(b, q, lf, minLevel)) {
                p = lf + 1;
                continue;
            }
            int lvl = level(b, q, lf);
            if (lvl < 0) {
                return p;
            }
            if (lvl >= minLevel && lvl <= maxLevel) {
                long key = plain ? stamps.read(b, p, ts) : UtcStamps.NONE;
                if (key == UtcStamps.NONE) {
                    return p;
                }
                lastKey = key;
                lastMono = 0;
                out.add(b, p, lf - p, key, (byte) 0, base + p);
            }
            p = lf + 1;
        }
        return p;
    }

    /**
     * True when the bytes at {@code q} are the name of a level below {@code minLevel} and a space,
     * all before {@code e}: what {@link #level} would find, in one load and a compare per level.
     * False says nothing (ask {@link #level}).
     */
    private static boolean belowByWord(byte[] b, int q, int e, int minLevel) {
        if (q + 8 > e) {
            return false;
        }
        long w = (long) LONGS.get(b, q);
        for (int l = 0; l < minLevel; l++) {
            if ((w & LEVEL_MASK[l]) == LEVEL_WORD[l]) {
                return true; // name and space are q .. q + name.length, all before q + 8 <= e
            }
        }
        return false;
    }

    private boolean grepMatches(byte[] b, int p, int e) {
        if (q.grep() == null) {
            return true;
        }
        return q.grep().matcher(new String(b, p, e - p, StandardCharsets.UTF_8)).find();
    }

    private boolean anyEquals(byte[] b, int from, int to) {
        int n = to - from;
        for (byte[] c : components) {
            if (c.length == n && java.util.Arrays.equals(b, from, to, c, 0, n)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfSpace(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the space after the timestamp token starting at {@code p}, or -1 when the token
     * does not have a timestamp's shape. UTC stamps (6 or 9 fraction digits) are checked at fixed
     * places, so the common case costs a few byte compares.
     */
    static int tsEnd(byte[] b, int p, int e) {
        if (p + 27 < e && b[p + 27] == ' ' && b[p + 26] == 'Z' && b[p + 4] == '-' && b[p + 10] == 'T') {
            return p + 27;
        }
        int s = indexOfSpace(b, p, Math.min(e, p + 40));
        if (s < 0) {
            return -1;
        }
        if (b[p] == 'm' ? s - p > 5 && b[p + 4] == ':' : s - p >= 20 && b[s - 1] == 'Z') { // (a line starting with a space: s == p)
            return s;
        }
        return -1;
    }

    /** The ordinal of the level token at {@code q} (which must end in a space), or -1. */
    static int level(byte[] b, int q, int e) {
        if (q + 5 > e) {
            return -1;
        }
        int l;
        switch (b[q]) {
            case 'T': l = Level.TRACE.ordinal(); break;
            case 'D': l = Level.DEBUG.ordinal(); break;
            case 'I': l = Level.INFO.ordinal(); break;
            case 'N': l = Level.NOTICE.ordinal(); break;
            case 'W': l = Level.WARN.ordinal(); break;
            case 'E': l = b[q + 1] == 'M' ? Level.EMERG.ordinal() : Level.ERROR.ordinal(); break;
            case 'C': l = Level.CRIT.ordinal(); break;
            case 'A': l = Level.ALERT.ordinal(); break;
            default: return -1;
        }
        byte[] name = LEVEL_BYTES[l];
        int n = name.length;
        if (q + n >= e || b[q + n] != ' ') {
            return -1;
        }
        for (int k = 1; k < n; k++) {
            if (b[q + k] != name[k]) {
                return -1;
            }
        }
        return l;
    }
}
