package dev.rayos.bridges.forward;

import dev.rayos.log.line.Level;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One stored log line as an RFC 5424 message framed by octet counting (RFC 6587 §3.4.1):
 * {@code LEN SP <PRI>1 TIMESTAMP HOST APP - MSGID [rayos@32473 stream="…" seq="…" cat="…" boot="…"] LINE}.
 * The MSG is the line exactly as stored, so a collector keeps RayOS's own text; the header carries
 * what a syslog collector sorts by ({@code docs/bridges.md}, "Forwarding").
 */
final class Rfc5424Frames {
    /** The structured-data id: 32473 is the private enterprise number RFC 5612 reserves for examples. */
    static final String SD_ID = "rayos@32473";
    private static final Pattern UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z");
    private static final int FACILITY_USER = 1;
    private final byte[] host;
    private final String stream;
    private final String category;
    private final ByteArrayOutputStream header = new ByteArrayOutputStream(256);

    Rfc5424Frames(String hostname, String stream, String category) {
        this.host = hostField(hostname).getBytes(StandardCharsets.US_ASCII);
        this.stream = stream;
        this.category = category;
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

    /** Appends the frame of {@code data[from, to)} (one line, without its line feed), sequence {@code seq}, to {@code out}. */
    void append(ByteArrayOutputStream out, byte[] data, int from, int to, String boot, long seq) {
        header.reset();
        int[] sp = new int[3];
        int found = 0;
        for (int i = from; i < to && found < 3; i++) {
            if (data[i] == ' ') {
                sp[found++] = i;
            }
        }
        int eventEnd = to;
        if (found == 3) {
            for (int i = sp[2] + 1; i < to; i++) {
                if (data[i] == ' ') {
                    eventEnd = i;
                    break;
                }
            }
        }
        Level level = found == 3 ? Level.byName(ascii(data, sp[0] + 1, sp[1])) : null;
        String ts = found == 3 ? ascii(data, from, sp[0]) : "";
        boolean mono = ts.startsWith("mono:");
        if (level == null || (!mono && !UTC.matcher(ts).matches()) || sp[1] + 1 == sp[2] || eventEnd == sp[2] + 1) {
            // not a RayOS line (a corrupt one): still sent, whole, so nothing is lost silently
            head(FACILITY_USER * 8 + 5, "-", "rayos", "-");
        } else {
            head(FACILITY_USER * 8 + level.syslogSeverity(), mono ? "-" : timestamp(ts),
                    cut(ascii(data, sp[1] + 1, sp[2]), 48), cut(ascii(data, sp[2] + 1, eventEnd), 32));
        }
        sd(boot, seq);
        int len = header.size() + (to - from);
        out.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.write(header.toByteArray(), 0, header.size());
        out.write(data, from, to - from);
    }

    private void head(int pri, String ts, String app, String msgid) {
        text("<" + pri + ">1 " + ts + " ");
        header.writeBytes(host);
        text(" " + app + " - " + msgid + " ");
    }

    private void sd(String boot, long seq) {
        text("[" + SD_ID + " stream=\"" + stream + "\" seq=\"" + seq + "\" cat=\"" + category + "\" boot=\"" + boot + "\"] ");
    }

    private void text(String s) {
        header.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 5424 allows at most 6 fraction digits; RayOS writes 6, or 9 when nanoseconds are not whole microseconds. */
    private static String timestamp(String ts) {
        int dot = ts.indexOf('.');
        if (dot < 0 || ts.length() - dot - 2 <= 6) {
            return ts;
        }
        return ts.substring(0, dot + 7) + "Z";
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** The bytes as text; a byte outside ASCII becomes '?' (header fields are ASCII; the MSG keeps them). */
    private static String ascii(byte[] d, int from, int to) {
        char[] c = new char[Math.max(0, to - from)];
        for (int i = from; i < to; i++) {
            c[i - from] = d[i] > 0x20 && d[i] < 0x7f ? (char) d[i] : '?';
        }
        return new String(c);
    }
}
