package dev.rayos.bridges.syslog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one syslog frame (already cut out of the stream by {@link SyslogFramer}): RFC 5424 when
 * the PRI is followed by version {@code 1 }, else RFC 3164, including the local form
 * {@code logger(1)} and glibc's syslog(3) write to a socket ({@code <PRI>Mmm dd hh:mm:ss TAG: MSG},
 * no hostname). As RFC 3164 §4.3.3 asks of a relay, a frame without a valid PRI is a
 * {@code user.notice} message whose whole text is the message.
 */
final class SyslogParser {
    static final int DEFAULT_PRI = 13; // user.notice
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private SyslogParser() {}

    static SyslogMessage parse(byte[] b, int off, int len) throws SyslogParseException {
        int end = off + len;
        int pri = -1;
        int p = off;
        if (p < end && b[p] == '<') {
            int q = p + 1;
            int v = 0;
            while (q < end && q - p <= 4 && b[q] >= '0' && b[q] <= '9') {
                v = v * 10 + (b[q] - '0');
                q++;
            }
            if (q < end && b[q] == '>' && q > p + 1 && q - p <= 4 && v <= 191 && !(b[p + 1] == '0' && q > p + 2)) {
                pri = v;
                p = q + 1;
            }
        }
        if (pri >= 0 && p + 1 < end && b[p] == '1' && b[p + 1] == ' ') {
            return rfc5424(b, p + 2, end, pri);
        }
        if (pri < 0) {
            return new SyslogMessage(SyslogMessage.Format.RFC3164, DEFAULT_PRI >> 3, DEFAULT_PRI & 7, null, null,
                    null, null, null, List.of(), text(b, off, end));
        }
        return rfc3164(b, p, end, pri);
    }

    // ------------------------------------------------------------------ RFC 5424

    private static SyslogMessage rfc5424(byte[] b, int p, int end, int pri) throws SyslogParseException {
        Cursor c = new Cursor(b, p, end);
        String ts = c.field("TIMESTAMP", 64);
        String host = c.field("HOSTNAME", 255);
        String app = c.field("APP-NAME", 48);
        String proc = c.field("PROCID", 128);
        String msgId = c.field("MSGID", 32);
        List<SyslogMessage.Param> sd = structuredData(c);
        String msg = null;
        if (c.p < end) {
            if (b[c.p] != ' ') {
                throw new SyslogParseException("expected a space after STRUCTURED-DATA at byte " + (c.p - p));
            }
            int m = c.p + 1;
            if (end - m >= 3 && (b[m] & 0xFF) == 0xEF && (b[m + 1] & 0xFF) == 0xBB && (b[m + 2] & 0xFF) == 0xBF) {
                m += 3; // the BOM that marks a UTF-8 MSG
            }
            msg = text(b, m, end);
        }
        return new SyslogMessage(SyslogMessage.Format.RFC5424, pri >> 3, pri & 7, ts, host, app, proc, msgId, sd, msg);
    }

    private static List<SyslogMessage.Param> structuredData(Cursor c) throws SyslogParseException {
        if (c.p >= c.end) {
            throw new SyslogParseException("STRUCTURED-DATA missing");
        }
        if (c.b[c.p] == '-') {
            c.p++;
            return List.of();
        }
        if (c.b[c.p] != '[') {
            throw new SyslogParseException("STRUCTURED-DATA is neither '-' nor '[...]'");
        }
        List<SyslogMessage.Param> out = new ArrayList<>();
        while (c.p < c.end && c.b[c.p] == '[') {
            c.p++;
            String id = c.sdName("SD-ID");
            while (c.p < c.end && c.b[c.p] == ' ') {
                c.p++;
                String name = c.sdName("PARAM-NAME");
                if (c.p + 1 >= c.end || c.b[c.p] != '=' || c.b[c.p + 1] != '"') {
                    throw new SyslogParseException("expected =\" after PARAM-NAME '" + name + "'");
                }
                c.p += 2;
                out.add(new SyslogMessage.Param(id, name, c.paramValue()));
            }
            if (c.p >= c.end || c.b[c.p] != ']') {
                throw new SyslogParseException("SD-ELEMENT '" + id + "' not closed by ']'");
            }
            c.p++;
        }
        return out;
    }

    /** A read position in an RFC 5424 header. */
    private static final class Cursor {
        final byte[] b;
        final int end;
        int p;

        Cursor(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        /** A header field of PRINTUSASCII up to the next space (consumed); null for "-". */
        String field(String name, int max) throws SyslogParseException {
            int s = p;
            while (p < end && b[p] != ' ') {
                if (b[p] < 33 || b[p] > 126) {
                    throw new SyslogParseException(name + " holds a byte outside printable ASCII");
                }
                p++;
            }
            if (p >= end) {
                throw new SyslogParseException("frame ends inside the header, at " + name);
            }
            int n = p - s;
            p++;
            if (n == 0) {
                throw new SyslogParseException(name + " is empty");
            }
            if (n > max) {
                throw new SyslogParseException(name + " is longer than " + max + " characters");
            }
            return n == 1 && b[s] == '-' ? null : new String(b, s, n, StandardCharsets.US_ASCII);
        }

        String sdName(String what) throws SyslogParseException {
            int s = p;
            while (p < end && b[p] > 32 && b[p] < 127 && b[p] != '=' && b[p] != ']' && b[p] != '"') {
                p++;
            }
            int n = p - s;
            if (n == 0 || n > 32) {
                throw new SyslogParseException(what + " must be 1-32 printable characters");
            }
            return new String(b, s, n, StandardCharsets.US_ASCII);
        }

        /** PARAM-VALUE up to its closing quote (consumed), with \" \\ \] unescaped. */
        String paramValue() throws SyslogParseException {
            ByteBuffer v = ByteBuffer.allocate(end - p);
            while (p < end) {
                byte x = b[p++];
                if (x == '"') {
                    v.flip();
                    return text(v.array(), 0, v.limit());
                }
                if (x == '\\' && p < end && (b[p] == '"' || b[p] == '\\' || b[p] == ']')) {
                    x = b[p++];
                }
                v.put(x);
            }
            throw new SyslogParseException("PARAM-VALUE not closed by '\"'");
        }
    }

    // ------------------------------------------------------------------ RFC 3164

    private static SyslogMessage rfc3164(byte[] b, int p, int end, int pri) {
        String ts = null;
        if (end - p >= 16 && isTimestamp3164(b, p)) {
            ts = new String(b, p, 15, StandardCharsets.US_ASCII);
            p += 16;
        }
        String host = null;
        String tag = null;
        String pid = null;
        int tokEnd = token(b, p, end);
        boolean firstIsTag = tokEnd > p && (b[tokEnd - 1] == ':' || indexOf(b, p, tokEnd, (byte) '[') >= 0);
        if (ts != null && !firstIsTag && tokEnd < end && tokEnd > p) {
            host = ascii(b, p, tokEnd);
            p = tokEnd + 1;
            tokEnd = token(b, p, end);
        }
        // TAG: up to 32 alphanumerics (in practice [A-Za-z0-9_./-]), then "[pid]" and/or ":"
        int t = p;
        while (t < tokEnd && t - p < 48 && b[t] != '[' && b[t] != ':') {
            t++;
        }
        int after = t;
        String pidText = null;
        if (after < tokEnd && b[after] == '[') {
            int close = indexOf(b, after, tokEnd, (byte) ']');
            if (close > after) {
                pidText = ascii(b, after + 1, close);
                after = close + 1;
            }
        }
        if (t > p && after < end && b[after] == ':') {
            tag = ascii(b, p, t);
            pid = pidText;
            p = after + 1;
            if (p < end && b[p] == ' ') {
                p++;
            }
        }
        return new SyslogMessage(SyslogMessage.Format.RFC3164, pri >> 3, pri & 7, ts, host, tag, pid, null,
                List.of(), text(b, p, end));
    }

    private static boolean isTimestamp3164(byte[] b, int p) {
        String mon = new String(b, p, 3, StandardCharsets.US_ASCII);
        boolean month = false;
        for (String m : MONTHS) {
            month |= m.equals(mon);
        }
        return month && b[p + 3] == ' ' && (b[p + 4] == ' ' || digit(b[p + 4])) && digit(b[p + 5]) && b[p + 6] == ' '
                && digit(b[p + 7]) && digit(b[p + 8]) && b[p + 9] == ':' && digit(b[p + 10]) && digit(b[p + 11])
                && b[p + 12] == ':' && digit(b[p + 13]) && digit(b[p + 14]) && b[p + 15] == ' ';
    }

    private static boolean digit(byte x) {
        return x >= '0' && x <= '9';
    }

    private static int token(byte[] b, int p, int end) {
        while (p < end && b[p] != ' ') {
            p++;
        }
        return p;
    }

    private static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int s, int e) {
        return text(b, s, e);
    }

    /** UTF-8 with bad bytes replaced by U+FFFD (a message is never refused for its bytes). */
    static String text(byte[] b, int s, int e) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b, s, e - s)).toString();
        } catch (CharacterCodingException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
