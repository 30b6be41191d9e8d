package dev.rayos.bridges.forward;

import dev.rayos.log.line.Level;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One stored log line as an RFC 5424 message framed by octet counting (RFC 6587 §3.4.1):
 * {@code LEN SP <PRI>1 TIMESTAMP HOST APP - MSGID [rayos@32473 stream="…" seq="…" cat="…" boot="…"] LINE}.
 * The MSG is the line exactly as stored, so a collector keeps RayOS's own text; the header carries
 * what a syslog collector sorts by ({@code docs/bridges.md}, "Forwarding").
 *
 * <p>Garbage-free per line: the header is assembled from the line's bytes in a reused array, the
 * fixed parts (host, stream, category, the last boot) are encoded once, numbers are written as
 * digits in place; a line costs no allocation once the output buffer has grown to a batch.
 */
final class Rfc5424Frames {
    /** The structured-data id: 32473 is the private enterprise number RFC 5612 reserves for examples. */
    static final String SD_ID = "rayos@32473";
    private static final int FACILITY_USER = 1;
    private static final int APP_MAX = 48;
    private static final int MSGID_MAX = 32;
    private static final byte[] VERSION = ascii(">1 ");
    private static final byte[] NIL_TS = ascii("- ");
    private static final byte[] CORRUPT_APP = ascii(" rayos - -");
    private static final byte[] PROCID = ascii(" - ");
    private static final byte[] SEQ = ascii("\" seq=\"");
    private static final byte[] BOOT = ascii("\" boot=\"");
    private static final byte[] SD_END = ascii("\"] ");
    private final String stream;
    private final byte[] host;
    private final byte[] sdStream;
    private final byte[] sdCategory;
    private String boot = "";
    private byte[] bootBytes = new byte[0];
    /** The header of the frame being made; at most about 470 bytes (host 255, app 48, msgid 32, ids). */
    private final byte[] header = new byte[1024];
    private int h;
    private final byte[] digits = new byte[20];

    Rfc5424Frames(String hostname, String stream, String category) {
        this.stream = stream;
        this.host = ascii(hostField(hostname));
        this.sdStream = ascii(" [" + SD_ID + " stream=\"" + stream);
        this.sdCategory = ascii("\" cat=\"" + category);
    }

    /** The stream these frames are numbered in. */
    boolean streams(String stream) {
        return this.stream.equals(stream);
    }

    /** RFC 5424 HOSTNAME: 1..255 printable US-ASCII, else NILVALUE. */
    static String hostField(String h) {
        if (h == null || h.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < h.length() && b.length() < 255; i++) {
            char c = h.charAt(i);
            b.append(c > 0x20 && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    /**
     * Appends a frame for each line of {@code data[0, end)} (lines end at a line feed, or at
     * {@code end}; empty ones are no lines), numbered on from {@code seq}; returns the last number.
     */
    long appendLines(ByteArrayOutputStream out, byte[] data, int end, String boot, long seq) {
        int from = 0;
        while (from < end) {
            int nl = from;
            while (nl < end && data[nl] != '\n') {
                nl++;
            }
            if (nl > from) {
                append(out, data, from, nl, boot, ++seq);
            }
            from = nl + 1;
        }
        return seq;
    }

    /** Appends the frame of {@code data[from, to)} (one line, without its line feed), sequence {@code seq}, to {@code out}. */
    void append(ByteArrayOutputStream out, byte[] data, int from, int to, String boot, long seq) {
        h = 0;
        int sp0 = space(data, from, to);
        int sp1 = sp0 < 0 ? -1 : space(data, sp0 + 1, to);
        int sp2 = sp1 < 0 ? -1 : space(data, sp1 + 1, to);
        int eventEnd = sp2 < 0 ? -1 : space(data, sp2 + 1, to);
        if (eventEnd < 0) {
            eventEnd = to;
        }
        Level level = sp2 < 0 ? null : Level.byName(data, sp0 + 1, sp1);
        boolean mono = sp2 >= 0 && startsWithMono(data, from, sp0);
        if (level == null || (!mono && !utc(data, from, sp0)) || sp1 + 1 == sp2 || eventEnd == sp2 + 1) {
            // not a RayOS line (a corrupt one): still sent, whole, so nothing is lost silently
            pri(FACILITY_USER * 8 + 5);
            put(NIL_TS);
            put(host);
            put(CORRUPT_APP);
        } else {
            pri(FACILITY_USER * 8 + level.syslogSeverity());
            if (mono) {
                put(NIL_TS);
            } else {
                timestamp(data, from, sp0);
            }
            put(host);
            header[h++] = ' ';
            field(data, sp1 + 1, sp2, APP_MAX);
            put(PROCID);
            field(data, sp2 + 1, eventEnd, MSGID_MAX);
        }
        sd(boot, seq);
        int n = number(h + (to - from));
        out.write(digits, 20 - n, n);
        out.write(' ');
        out.write(header, 0, h);
        out.write(data, from, to - from);
    }

    private void pri(int pri) {
        header[h++] = '<';
        putNumber(pri);
        put(VERSION);
    }

    private void sd(String boot, long seq) {
        if (!boot.equals(this.boot)) {
            this.boot = boot;
            this.bootBytes = ascii(boot); // once per file, not per line
        }
        put(sdStream);
        put(SEQ);
        putNumber(seq);
        put(sdCategory);
        put(BOOT);
        put(bootBytes);
        put(SD_END);
    }

    /** RFC 5424 allows at most 6 fraction digits; RayOS writes 6, or 9 when nanoseconds are not whole microseconds. */
    private void timestamp(byte[] d, int from, int to) {
        int dot = -1;
        for (int i = from; i < to; i++) {
            if (d[i] == '.') {
                dot = i;
                break;
            }
        }
        if (dot < 0 || to - dot - 2 <= 6) {
            copy(d, from, to);
        } else {
            copy(d, from, dot + 7);
            header[h++] = 'Z';
        }
        header[h++] = ' ';
    }

    /** Up to {@code max} bytes of a header field; a byte outside printable ASCII becomes '?' (the MSG keeps it). */
    private void field(byte[] d, int from, int to, int max) {
        int end = Math.min(to, from + max);
        for (int i = from; i < end; i++) {
            header[h++] = d[i] > 0x20 && d[i] < 0x7f ? d[i] : (byte) '?';
        }
    }

    private void copy(byte[] d, int from, int to) {
        System.arraycopy(d, from, header, h, to - from);
        h += to - from;
    }

    private void put(byte[] b) {
        System.arraycopy(b, 0, header, h, b.length);
        h += b.length;
    }

    private void putNumber(long v) {
        int n = number(v);
        System.arraycopy(digits, 20 - n, header, h, n);
        h += n;
    }

    /** Writes {@code v >= 0} in decimal at the end of {@link #digits}; returns how many digits. */
    private int number(long v) {
        int i = 20;
        do {
            digits[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        return 20 - i;
    }

    private static int space(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (d[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithMono(byte[] d, int from, int to) {
        return to - from >= 5 && d[from] == 'm' && d[from + 1] == 'o' && d[from + 2] == 'n' && d[from + 3] == 'o'
                && d[from + 4] == ':';
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z}, by shape (the grammar's own check is the reader's business). */
    private static boolean utc(byte[] d, int from, int to) {
        int n = to - from;
        if (n < 20 || n == 21 || n > 30 || d[to - 1] != 'Z') {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            byte c = d[from + i];
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == 'T';
                case 13, 16 -> c == ':';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        if (n == 20) {
            return true;
        }
        if (d[from + 19] != '.') {
            return false;
        }
        for (int i = from + 20; i < to - 1; i++) {
            if (d[i] < '0' || d[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
