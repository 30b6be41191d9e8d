package dev.rayos.log.line;

import static dev.rayos.log.line.LineCodec.MAX_COMPONENT;
import static dev.rayos.log.line.LineCodec.MAX_EVENT;
import static dev.rayos.log.line.LineCodec.MAX_KEY;
import static dev.rayos.log.line.LineCodec.MAX_LINE_BYTES;
import static dev.rayos.log.line.LineCodec.daysFromCivil;
import static dev.rayos.log.line.LineCodec.followsRayos;
import static dev.rayos.log.line.LineCodec.isBareChar;
import static dev.rayos.log.line.LineCodec.isEventChar;
import static dev.rayos.log.line.LineCodec.isLower;
import static dev.rayos.log.line.LineCodec.isNameChar;
import static dev.rayos.log.line.LineCodec.mustEscapeNonAscii;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsing half of {@link LineCodec}: a cursor over one line (or one timestamp) that reads it field
 * by field and names the column where it stops matching the grammar. Its own class only to keep the
 * codec readable; callers go through {@link LineCodec#parse} and {@link LineCodec#parseTimestamp}.
 */
final class LineParser {
    final CharSequence s;
    final int n;
    int i;

    LineParser(CharSequence s) {
        this.s = s;
        int len = s.length();
        if (len > 0 && s.charAt(len - 1) == '\n') {
            len--;
        }
        this.n = len;
    }

    LineParseException err(String what) {
        return new LineParseException(what, i + 1);
    }

    LogLine line() throws LineParseException {
        if (n > MAX_LINE_BYTES) {
            i = MAX_LINE_BYTES;
            throw err("line longer than " + MAX_LINE_BYTES + " bytes");
        }
        Timestamp ts = timestamp();
        space("after the timestamp");
        Level level = level();
        space("after the level");
        String component = component();
        space("after the component");
        String event = event();
        List<LogLine.Field> fields = new ArrayList<>();
        while (i < n) {
            space("between fields");
            fields.add(field());
        }
        return new LogLine(ts, level, component, event, fields);
    }

    void space(String where) throws LineParseException {
        if (i >= n) {
            throw err("line ends early: expected a space " + where);
        }
        if (s.charAt(i) != ' ') {
            throw err("expected a single space " + where);
        }
        i++;
        if (i >= n) {
            throw err("line ends after a space " + where);
        }
        if (s.charAt(i) == ' ') {
            throw err("expected a single space " + where + ", found two");
        }
    }

    Timestamp timestamp() throws LineParseException {
        if (startsWith("mono:")) {
            i += 5;
            int start = i;
            long v = 0;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start >= 19) {
                    throw err("mono timestamp has more than 19 digits");
                }
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                throw err("expected digits after 'mono:'");
            }
            if (v < 0) {
                i = start;
                throw err("mono timestamp out of range");
            }
            return Timestamp.mono(v);
        }
        int start = i;
        long year = digits(4, "year");
        expect('-', "'-' after the year");
        long month = digits(2, "month");
        expect('-', "'-' after the month");
        long day = digits(2, "day");
        expect('T', "'T' between date and time");
        long hour = digits(2, "hour");
        expect(':', "':' after the hour");
        long minute = digits(2, "minute");
        expect(':', "':' after the minute");
        long second = digits(2, "second");
        long frac = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int fs = i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - fs >= 9) {
                    throw err("more than 9 fraction digits");
                }
                frac = frac * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == fs) {
                throw err("expected fraction digits after '.'");
            }
            for (int k = i - fs; k < 9; k++) {
                frac *= 10;
            }
        }
        expect('Z', "'Z' (timestamps are UTC)");
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
                || minute > 59 || second > 59) {
            int end = i;
            i = start;
            throw new LineParseException("not a valid date and time: "
                    + s.subSequence(start, end), start + 1);
        }
        if (year < 1970 || year > 2261) {
            throw new LineParseException("year outside 1970-2261", start + 1);
        }
        long secs = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
        return Timestamp.utc(secs * 1_000_000_000L + frac);
    }

    static long daysInMonth(long y, long m) {
        if (m == 2) {
            boolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            return leap ? 29 : 28;
        }
        return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
    }

    long digits(int count, String what) throws LineParseException {
        long v = 0;
        for (int k = 0; k < count; k++) {
            if (i >= n || !isDigit(s.charAt(i))) {
                throw err("expected " + count + " digits of the " + what
                        + (k == 0 && what.equals("year") ? " or 'mono:' (a timestamp starts the line)" : ""));
            }
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return v;
    }

    void expect(char c, String what) throws LineParseException {
        if (i >= n || s.charAt(i) != c) {
            throw err("expected " + what);
        }
        i++;
    }

    boolean startsWith(String p) {
        if (n - i < p.length()) {
            return false;
        }
        for (int k = 0; k < p.length(); k++) {
            if (s.charAt(i + k) != p.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    Level level() throws LineParseException {
        int start = i;
        while (i < n && s.charAt(i) != ' ') {
            i++;
        }
        Level l = Level.byName(s.subSequence(start, i));
        if (l == null) {
            i = start;
            throw err("expected a level (TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT EMERG)");
        }
        return l;
    }

    String component() throws LineParseException {
        int start = i;
        if (i >= n || !isLower(s.charAt(i))) {
            throw err("a component starts with a lower-case letter a-z");
        }
        i++;
        while (i < n && s.charAt(i) != ' ') {
            if (!isNameChar(s.charAt(i))) {
                throw err("character not allowed in a component (a-z 0-9 _ - .)");
            }
            i++;
        }
        if (i - start > MAX_COMPONENT) {
            i = start + MAX_COMPONENT;
            throw err("component longer than " + MAX_COMPONENT + " characters");
        }
        return s.subSequence(start, i).toString();
    }

    String event() throws LineParseException {
        int start = i;
        while (i < n && s.charAt(i) != ' ') {
            if (!isEventChar(s.charAt(i))) {
                throw err("character not allowed in an event name");
            }
            i++;
        }
        if (i == start) {
            throw err("expected an event name");
        }
        if (i - start > MAX_EVENT) {
            i = start + MAX_EVENT;
            throw err("event name longer than " + MAX_EVENT + " characters");
        }
        return s.subSequence(start, i).toString();
    }

    LogLine.Field field() throws LineParseException {
        int start = i;
        char c0 = s.charAt(i);
        if (!isLower(c0) && c0 != '_') {
            throw err("a key starts with a lower-case letter a-z or '_'");
        }
        i++;
        while (i < n && s.charAt(i) != '=') {
            char c = s.charAt(i);
            if (c == ' ') {
                throw err("expected '=' after the key");
            }
            if (!isNameChar(c)) {
                throw err("character not allowed in a key (a-z 0-9 _ - .)");
            }
            i++;
        }
        if (i >= n) {
            throw err("expected '=' after the key");
        }
        if (i - start > MAX_KEY) {
            i = start + MAX_KEY;
            throw err("key longer than " + MAX_KEY + " characters");
        }
        String key = s.subSequence(start, i).toString();
        i++; // '='
        if (i >= n || s.charAt(i) == ' ') {
            throw err("empty value: write it as \"\"");
        }
        String value = s.charAt(i) == '"' ? quoted() : bare();
        return new LogLine.Field(key, value);
    }

    String bare() throws LineParseException {
        int start = i;
        while (i < n && s.charAt(i) != ' ') {
            char c = s.charAt(i);
            if (!isBareChar(c)) {
                throw err("character not allowed in an unquoted value");
            }
            // "RAYOS" before the '_' is in the value: the key is lower case and '=' ends it.
            if (c == '_' && followsRayos(s, i)) {
                i -= 5;
                throw err("'RAYOS_' inside a value (write it RAYOS\\x5f)");
            }
            i++;
        }
        return s.subSequence(start, i).toString();
    }

    String quoted() throws LineParseException {
        int open = i;
        i++; // opening quote
        StringBuilder v = new StringBuilder();
        while (true) {
            if (i >= n) {
                i = open;
                throw err("quoted value is not closed");
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                if (i < n && s.charAt(i) != ' ') {
                    throw err("expected a space after the closing quote");
                }
                return v.toString();
            }
            if (c == '\\') {
                escape(v);
                continue;
            }
            if (c < 0x20 || c == 0x7F) {
                throw err("raw control character in a value (must be escaped)");
            }
            if (c >= 0x80 && mustEscapeNonAscii(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    v.append(c).append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                throw err(String.format("raw U+%04X in a value (must be written \\u%04x)", (int) c, (int) c));
            }
            if (c == '_' && v.length() >= 5 && followsRayos(v, v.length())) {
                i = Math.max(open + 1, i - 5);
                throw err("'RAYOS_' inside a value (write it RAYOS\\x5f)");
            }
            v.append(c);
            i++;
        }
    }

    void escape(StringBuilder v) throws LineParseException {
        if (i + 1 >= n) {
            throw err("backslash at the end of a value");
        }
        char e = s.charAt(i + 1);
        switch (e) {
            case '"': v.append('"'); i += 2; return;
            case '\\': v.append('\\'); i += 2; return;
            case 'n': v.append('\n'); i += 2; return;
            case 'r': v.append('\r'); i += 2; return;
            case 't': v.append('\t'); i += 2; return;
            case 'x': {
                int h = hex(i + 2, 2);
                if (h > 0x7F) {
                    throw err("\\x escapes only ASCII (00-7f); use \\u for other characters");
                }
                v.append((char) h);
                i += 4;
                return;
            }
            case 'u': {
                v.append((char) hex(i + 2, 4));
                i += 6;
                return;
            }
            default:
                throw err("unknown escape \\" + (e < 0x20 || e >= 0x7F ? "?" : String.valueOf(e))
                        + " (known: \\\" \\\\ \\n \\r \\t \\xHH \\uHHHH)");
        }
    }

    int hex(int from, int count) throws LineParseException {
        int v = 0;
        for (int k = 0; k < count; k++) {
            int at = from + k;
            int d = at < n ? Character.digit(s.charAt(at), 16) : -1;
            if (d < 0 || s.charAt(at) > 'f') {
                i = Math.min(at, n);
                throw err("expected " + count + " hex digits in an escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
