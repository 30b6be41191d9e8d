package dev.rayos.log.line;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A reusable byte buffer that one line is encoded into, with the grammar's encoding rules
 * (value quoting, escaping, timestamps) as append operations. Owned by one thread at a time;
 * reused for every line so the logging hot path makes no garbage.
 *
 * <p>Appends never write past {@link #capacity()}: a value that does not fit is cut at a character
 * boundary (the quotes stay balanced) and the append reports it.
 */
public final class LineBuffer {
    private final byte[] buf;
    /** Where the line starts in {@link #buf} and where it must end. */
    private final int base;
    private final int limit;
    private int pos;

    /** A buffer for lines of at most {@code capacity} bytes. */
    public LineBuffer(int capacity) {
        this(capacity, 0, 0);
    }

    /**
     * A buffer for lines of at most {@code capacity} bytes with {@code before} bytes of room in the
     * array before the line and {@code after} after its longest form: the ring frames a line as a
     * record (header before, padding after) in the caller's array and copies it once.
     */
    public LineBuffer(int capacity, int before, int after) {
        this.buf = new byte[before + capacity + after];
        this.base = before;
        this.limit = before + capacity;
        this.pos = base;
    }

    /** A buffer for the longest line the grammar allows. */
    public LineBuffer() {
        this(LineCodec.MAX_LINE_BYTES);
    }

    public int capacity() {
        return limit - base;
    }

    public int length() {
        return pos - base;
    }

    public int remaining() {
        return limit - pos;
    }

    /** The backing array; bytes {@code [offset(), offset() + length())} are the line. */
    public byte[] array() {
        return buf;
    }

    /** Where the line starts in {@link #array()} (0 unless room was asked for before it). */
    public int offset() {
        return base;
    }

    public void clear() {
        pos = base;
    }

    /** Cuts the line back to {@code length} bytes (used to undo a partial append). */
    public void truncate(int length) {
        if (length < 0 || length > pos - base) {
            throw new IllegalArgumentException("truncate to " + length + " of " + (pos - base));
        }
        pos = base + length;
    }

    public LineBuffer put(byte b) {
        buf[pos++] = b;
        return this;
    }

    /** Appends bytes as they are (callers pass grammar-checked ASCII). */
    public LineBuffer put(byte[] bytes) {
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    /**
     * Appends a string already known to be ASCII (checked against the grammar) as one block copy.
     * {@code String.getBytes(int, int, byte[], int)} is deprecated because it drops the high byte
     * of each char, which is exactly right for ASCII and is the JDK's fastest copy of a string.
     */
    @SuppressWarnings("deprecation")
    public LineBuffer putKnownAscii(String s) {
        int n = s.length();
        s.getBytes(0, n, buf, pos);
        pos += n;
        return this;
    }

    /** Appends the first {@code len} bytes of {@code bytes}. */
    public LineBuffer put(byte[] bytes, int len) {
        return put(bytes, 0, len);
    }

    /** Appends {@code len} bytes of {@code bytes} from {@code off}. */
    public LineBuffer put(byte[] bytes, int off, int len) {
        System.arraycopy(bytes, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** Appends a string known to be ASCII (names checked against the grammar). */
    public LineBuffer putAscii(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends a non-negative decimal number without allocating. */
    public LineBuffer putDecimal(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return putAscii("-9223372036854775808");
            }
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        if (v <= Integer.MAX_VALUE) {
            for (int t = (int) v; t >= 10; t /= 10) {
                digits++;
            }
            putPadded((int) v, digits);
            return this;
        }
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        putPadded(v, digits);
        return this;
    }

    /** Appends non-negative {@code v} zero-padded to exactly {@code width} digits (higher digits dropped). */
    public void putPadded(long v, int width) {
        if (v <= Integer.MAX_VALUE) {
            putPadded((int) v, width); // int division by a constant is cheaper: the common case
            return;
        }
        int i = pos + width - 1;
        // Two digits per division: the timestamp's microseconds are on every line.
        while (i > pos) {
            int d = (int) (v % 100);
            v /= 100;
            buf[i--] = DIGIT_ONES[d];
            buf[i--] = DIGIT_TENS[d];
        }
        if (i == pos) {
            buf[i] = (byte) ('0' + (v % 10));
        }
        pos += width;
    }

    private void putPadded(int v, int width) {
        int i = pos + width - 1;
        while (i > pos) {
            int q = v / 100;
            int d = v - q * 100;
            v = q;
            buf[i--] = DIGIT_ONES[d];
            buf[i--] = DIGIT_TENS[d];
        }
        if (i == pos) {
            buf[i] = (byte) ('0' + (v % 10));
        }
        pos += width;
    }

    private static final byte[] DIGIT_TENS = new byte[100];
    private static final byte[] DIGIT_ONES = new byte[100];

    static {
        for (int d = 0; d < 100; d++) {
            DIGIT_TENS[d] = (byte) ('0' + d / 10);
            DIGIT_ONES[d] = (byte) ('0' + d % 10);
        }
    }

    /**
     * Appends {@code value} in its line form: bare when every character allows it, else quoted
     * and escaped. Returns false when the value was cut to fit the buffer (minus {@code reserve}
     * bytes kept free for what the caller appends after it).
     */
    public boolean putValue(CharSequence value, int reserve) {
        int limit = this.limit - reserve;
        if (LineCodec.isBare(value)) {
            int n = value.length();
            int room = limit - pos;
            if (n <= room) {
                putAscii(value);
                return true;
            }
            // A cut bare value is still bare (all ASCII); at least keep it non-empty.
            putAscii(value.subSequence(0, Math.max(room, 0)));
            return false;
        }
        return putQuoted(value, limit);
    }

    private boolean putQuoted(CharSequence v, int limit) {
        // Room for the closing quote is kept back throughout.
        int max = limit - 1;
        if (pos + 1 > max) {
            return false;
        }
        buf[pos++] = '"';
        int n = v.length();
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            int need;
            if (c < 0x80) {
                int e = LineCodec.ASCII_ESCAPE[c];
                if (e == 0) {
                    if (pos + 1 > max) {
                        return closeCut();
                    }
                    buf[pos++] = (byte) c;
                } else if (e > 0) {
                    if (pos + 2 > max) {
                        return closeCut();
                    }
                    buf[pos++] = '\\';
                    buf[pos++] = (byte) e;
                } else if (c == '_' && LineCodec.followsRayos(v, i)) {
                    // "RAYOS_" never appears in a value, so no value can pass for a marker.
                    if (pos + 4 > max) {
                        return closeCut();
                    }
                    putHexEscape(c);
                } else if (c == '_') {
                    if (pos + 1 > max) {
                        return closeCut();
                    }
                    buf[pos++] = '_';
                } else {
                    if (pos + 4 > max) {
                        return closeCut();
                    }
                    putHexEscape(c);
                }
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(v.charAt(i + 1))) {
                if (pos + 4 > max) {
                    return closeCut();
                }
                int cp = Character.toCodePoint(c, v.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (cp & 0x3F));
            } else if (LineCodec.mustEscapeNonAscii(c)) {
                need = 6;
                if (pos + need > max) {
                    return closeCut();
                }
                buf[pos++] = '\\';
                buf[pos++] = 'u';
                putHex4(c);
            } else if (c < 0x800) {
                if (pos + 2 > max) {
                    return closeCut();
                }
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else {
                if (pos + 3 > max) {
                    return closeCut();
                }
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buf[pos++] = '"';
        return true;
    }

    private boolean closeCut() {
        buf[pos++] = '"';
        return false;
    }

    private void putHexEscape(char c) {
        buf[pos++] = '\\';
        buf[pos++] = 'x';
        buf[pos++] = HEX[(c >> 4) & 0xF];
        buf[pos++] = HEX[c & 0xF];
    }

    private void putHex4(char c) {
        buf[pos++] = HEX[(c >> 12) & 0xF];
        buf[pos++] = HEX[(c >> 8) & 0xF];
        buf[pos++] = HEX[(c >> 4) & 0xF];
        buf[pos++] = HEX[c & 0xF];
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Copies the line into {@code dst}. */
    public void copyTo(ByteBuffer dst) {
        dst.put(buf, base, pos - base);
    }

    /** The line decoded as UTF-8 (allocates; not for the hot path). */
    @Override
    public String toString() {
        return new String(buf, base, pos - base, StandardCharsets.UTF_8);
    }
}
