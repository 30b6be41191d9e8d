package dev.rayos.log;

import dev.rayos.log.line.Marker;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;

/**
 * One event being built: {@code log.at(Level.INFO, "EVENT").kv("k", v).log()}. Each thread reuses
 * its own instance and its buffer, and the line is formatted as the calls come, so a log call in
 * steady state allocates nothing. An event is used for exactly one line: nothing is written until
 * {@link #log()}, and an event abandoned without it is simply overwritten by the next.
 */
public final class EventBuilder {
    /** Bytes kept free for {@code " _truncated=true"} when a value does not fit. */
    private static final int RESERVE = 24;
    private static final byte[] TRUNCATED = " _truncated=true".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] REDACTED = dev.rayos.log.policy.Policy.REDACTED.getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    static final EventBuilder DISABLED = new EventBuilder(null);

    private final LogSystem system;
    /** The line, with room around it for the ring to frame it as a record in place. */
    final LineBuffer buf = new LineBuffer(LineCodec.MAX_LINE_BYTES, dev.rayos.log.ring.RingFormat.RECORD_HEADER, 8);
    final TimestampCache tsCache = new TimestampCache();
    private final Checked checked = new Checked();
    /*
     * What was last found valid at each kv position of an event, by identity: the key, and the
     * string value when it was bare; and the last event name. Call sites mostly pass constants,
     * so a reference compare replaces a scan or an identity hash (nine of those per line were a
     * good part of a call); a name or value that changes per call costs one compare more before
     * the check it always had.
     *
     * Each position also keeps the bytes it last wrote, " key=" and, once the same bare value came
     * twice in a row, " key=value": a constant pair is then one block copy instead of five appends
     * (keys and values were a quarter of a call). The bytes live in one array made up front, so a
     * value that changes per call never makes garbage.
     */
    private static final int SLOTS = 16;
    /** Room for " key=" of the longest key the grammar allows, and a short value after it. */
    private static final int SLOT_BYTES = 2 * LineCodec.MAX_KEY;
    private final String[] keyAt = new String[SLOTS];
    private final String[] bareAt = new String[SLOTS];
    private final byte[] slotBytes = new byte[SLOTS * SLOT_BYTES];
    /** Length of " key=" in the slot. */
    private final int[] keyLenAt = new int[SLOTS];
    /** Length of " key=value" in the slot (0: no pair kept), and the room a pair needs to be written whole. */
    private final int[] pairLenAt = new int[SLOTS];
    private final int[] pairNeedAt = new int[SLOTS];
    private int kvIndex;
    /*
     * The line's head after its timestamp, " LEVEL component EVENT", kept for the logger, level
     * and event it was made for (call sites repeat all three): one block copy per line.
     */
    private final LineBuffer headBuf = new LineBuffer(3 + 8 + LineCodec.MAX_COMPONENT + LineCodec.MAX_EVENT);
    private String headEvent;
    private Logger headLogger;
    private dev.rayos.log.line.Level headLevel;
    /** Whether the head's event waits until fsync'd (ERROR and worse, markers), and which readiness marker it is, or null. */
    private boolean urgent;
    private String readiness;
    private Logger logger;
    private boolean truncated;
    boolean active;
    /** The ring lane this thread's lines go to: threads in turn, so two threads share no lane. */
    final int lane;

    EventBuilder(LogSystem system) {
        this.system = system;
        this.lane = system == null ? 0 : system.laneFor();
    }

    EventBuilder start(Logger logger, dev.rayos.log.line.Level level, String event, boolean wallKnown,
                dev.rayos.log.time.LogClock clock) {
        if (event != headEvent || logger != headLogger || level != headLevel) {
            newHead(logger, level, event);
        }
        this.logger = logger;
        this.active = true;
        this.truncated = false;
        this.kvIndex = -1;
        buf.clear();
        if (wallKnown) {
            tsCache.appendUtc(buf, clock.utcNanos());
        } else {
            buf.putAscii("mono:").putDecimal(clock.monoNanos());
        }
        buf.put(headBuf.array(), headBuf.length());
        return this;
    }

    /** Checks a new event name and keeps " LEVEL component EVENT" and what the event is for the calls that repeat it. */
    private void newHead(Logger logger, dev.rayos.log.line.Level level, String event) {
        if (event != headEvent && !checked.event(event)) {
            throw new IllegalArgumentException(LineCodec.requireEvent(event)); // throws with the reason
        }
        boolean marker = Marker.isMarker(event);
        urgent = level.isUrgent() || marker;
        readiness = marker && Marker.READINESS.contains(event) ? event : null;
        LineBuffer h = headBuf;
        h.clear();
        h.put((byte) ' ').put(logger.levelBytes(level)).put((byte) ' ').put(logger.componentBytes())
                .put((byte) ' ').putKnownAscii(event);
        headEvent = event;
        headLogger = logger;
        headLevel = level;
    }

    /** Adds {@code key=value}; the value is quoted and escaped as the grammar requires. */
    public EventBuilder kv(String key, CharSequence value) {
        if (this == DISABLED) {
            return this;
        }
        int i = (kvIndex + 1) & (SLOTS - 1);
        if (value == bareAt[i] && key == keyAt[i] && pairLenAt[i] != 0 && !truncated
                && buf.remaining() - RESERVE >= pairNeedAt[i] && !logger.redacted()) {
            // The same constant pair as this position's last: what the slow path would write.
            kvIndex++;
            buf.put(slotBytes, i * SLOT_BYTES, pairLenAt[i]);
            return this;
        }
        int mark = keyPrefix(key);
        if (mark < 0) {
            return this;
        }
        if (logger.redacted()) {
            buf.put(REDACTED);
        } else if (value instanceof String && buf.remaining() - RESERVE >= ((String) value).length()
                && bareAt((String) value)) {
            buf.putKnownAscii((String) value); // one block copy
        } else if (!buf.putValue(value == null ? "null" : value, RESERVE)) {
            truncated = true;
        }
        return this;
    }

    /** Whether {@code value} is bare; a bare value seen twice in a row at this position is kept as a pair. */
    private boolean bareAt(String value) {
        int i = kvIndex & (SLOTS - 1);
        if (bareAt[i] == value) {
            if (pairLenAt[i] == 0) {
                keepPair(i, value);
            }
            return true;
        }
        if (!LineCodec.isBare(value)) {
            return false;
        }
        bareAt[i] = value;
        pairLenAt[i] = 0;
        return true;
    }

    private void keepPair(int i, String value) {
        int keyLen = keyLenAt[i];
        int len = keyLen + value.length();
        if (len > SLOT_BYTES) {
            return;
        }
        keepAscii(value, i * SLOT_BYTES + keyLen);
        pairLenAt[i] = len;
        // keyPrefix's room (the key and 24) and the value's after it, as the slow path checks them.
        pairNeedAt[i] = Math.max(keyLen - 2 + 24, len);
    }

    @SuppressWarnings("deprecation") // ASCII: see LineBuffer.putKnownAscii
    private void keepAscii(String s, int at) {
        s.getBytes(0, s.length(), slotBytes, at);
    }

    /** Adds {@code key=value} for a number, without allocating. */
    public EventBuilder kv(String key, long value) {
        if (this == DISABLED) {
            return this;
        }
        if (keyPrefix(key) < 0) {
            return this;
        }
        if (logger.redacted()) {
            buf.put(REDACTED);
        } else {
            buf.putDecimal(value);
        }
        return this;
    }

    /** Adds {@code key=true|false}. */
    public EventBuilder kv(String key, boolean value) {
        return kv(key, value ? "true" : "false");
    }

    /** Writes the key and '=' and returns the position, or -1 when nothing more fits. */
    private int keyPrefix(String key) {
        int i = ++kvIndex & (SLOTS - 1);
        if (keyAt[i] != key) {
            if (!checked.key(key)) {
                active = false; // the event is abandoned: this thread's builder serves the next one
                throw new IllegalArgumentException(LineCodec.requireKey(key));
            }
            keepKey(i, key);
        }
        if (truncated || buf.remaining() - RESERVE < key.length() + 24) {
            truncated = true;
            return -1;
        }
        int mark = buf.length();
        buf.put(slotBytes, i * SLOT_BYTES, keyLenAt[i]);
        return mark;
    }

    /** Makes {@code key} this position's key: its " key=" kept, the pair kept before it forgotten. */
    private void keepKey(int i, String key) {
        keyAt[i] = key;
        pairLenAt[i] = 0;
        int len = key.length() + 2; // at most MAX_KEY + 2: always fits
        int at = i * SLOT_BYTES;
        slotBytes[at] = ' ';
        keepAscii(key, at + 1);
        slotBytes[at + len - 1] = '=';
        keyLenAt[i] = len;
    }

    /**
     * Sends the line through the pipeline. Returns once the line is in the ring; for markers and
     * ERROR and worse, once it is also fsync'd in its file (when the store is mounted).
     */
    public void log() {
        if (this == DISABLED) {
            return;
        }
        if (truncated) {
            buf.put(TRUNCATED);
        }
        active = false;
        system.write(lane, logger, buf, urgent);
        if (readiness != null) {
            system.markerReached(readiness);
        }
    }

    /**
     * Names this thread has already checked against the grammar, remembered by identity
     * (strings are immutable, so a check holds for the object). Keys and event names are nearly
     * always constants, and checking them char by char on every call was a good part of a log
     * call's time.
     * Direct-mapped on the identity hash: a collision only costs a fresh check.
     */
    static final class Checked {
        private static final int SLOTS = 256;
        private final String[] keys = new String[SLOTS];
        private final String[] events = new String[SLOTS];

        private static int slot(String s) {
            return System.identityHashCode(s) & (SLOTS - 1);
        }

        boolean key(String k) {
            int i = slot(k);
            // Two ways (i and its neighbour) so that two keys of one call sharing a slot do not
            // evict each other on every line.
            if (keys[i] == k || keys[i ^ 1] == k) {
                return true;
            }
            if (!LineCodec.isKey(k)) {
                return false;
            }
            keys[keys[i] == null ? i : i ^ 1] = k;
            return true;
        }

        boolean event(String e) {
            int i = slot(e);
            if (events[i] == e) {
                return true;
            }
            if (!LineCodec.isEvent(e)) {
                return false;
            }
            events[i] = e;
            return true;
        }
    }

    /** Caches the date-and-second prefix of UTC timestamps: only the microseconds change per line. */
    static final class TimestampCache {
        private long second = Long.MIN_VALUE;
        private final LineBuffer prefix = new LineBuffer(32);

        void appendUtc(LineBuffer b, long utcNanos) {
            long sec = Math.floorDiv(utcNanos, 1_000_000_000L);
            if (sec != second) {
                prefix.clear();
                LineCodec.appendUtc(prefix, sec * 1_000_000_000L);
                prefix.truncate(20); // "YYYY-MM-DDTHH:MM:SS."
                second = sec;
            }
            b.put(prefix.array(), 20);
            b.putPadded(Math.floorMod(utcNanos, 1_000_000_000L) / 1000, 6);
            b.put((byte) 'Z');
        }
    }
}
