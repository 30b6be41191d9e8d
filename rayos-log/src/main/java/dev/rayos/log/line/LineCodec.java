package dev.rayos.log.line;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place the line grammar lives ({@code docs/log-format.md}): formatting a {@link LogLine}
 * and parsing one back, plus the name checks every writer applies before a name reaches a line.
 *
 * <pre>
 * line      = ts SP level SP component SP event *(SP key "=" value)
 * ts        = utc / "mono:" 1*19DIGIT
 * component = %x61-7A *63(%x61-7A / DIGIT / "_" / "-" / ".")
 * event     = 1*128(%x21 / %x23-3C / %x3E-5B / %x5D-7E)       ; visible ASCII but " = \
 * key       = (%x61-7A / "_") *63(%x61-7A / DIGIT / "_" / "-" / ".")
 * value     = bare / DQUOTE *(qchar / escape) DQUOTE
 * </pre>
 *
 * <p>Two rules keep a line honest whatever its values hold: every control character, line or
 * paragraph separator and bidi control is escaped, so one event is always exactly one line; and the
 * text {@code RAYOS_} never appears in a value (its underscore is written {@code \x5f}), so only the
 * event field can carry a marker.
 */
public final class LineCodec {
    /** The longest line in bytes, without its line feed. */
    public static final int MAX_LINE_BYTES = 65536;
    public static final int MAX_COMPONENT = 64;
    public static final int MAX_EVENT = 128;
    public static final int MAX_KEY = 64;

    /** For ASCII chars inside quotes: 0 literal, &gt;0 the letter after a backslash, -1 {@code \xHH}. */
    static final byte[] ASCII_ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPE[c] = -1;
        }
        ASCII_ESCAPE[0x7F] = -1;
        ASCII_ESCAPE['\n'] = 'n';
        ASCII_ESCAPE['\r'] = 'r';
        ASCII_ESCAPE['\t'] = 't';
        ASCII_ESCAPE['"'] = '"';
        ASCII_ESCAPE['\\'] = '\\';
        ASCII_ESCAPE['_'] = -1; // literal unless it completes "RAYOS_"
    }

    private LineCodec() {}

    // ---------------------------------------------------------------- names

    /** True when {@code s} may be a component: lower-case ASCII letter first, then [a-z0-9_.-], ≤ 64. */
    public static boolean isComponent(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > MAX_COMPONENT || !isLower(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} may be an event: 1–128 visible ASCII characters other than {@code " = \}. */
    public static boolean isEvent(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > MAX_EVENT) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!isEventChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} may be a key: lower-case letter or '_' first, then [a-z0-9_.-], ≤ 64. */
    public static boolean isKey(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > MAX_KEY) {
            return false;
        }
        char c0 = s.charAt(0);
        if (!isLower(c0) && c0 != '_') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (!isNameChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Checks a component, throwing a one-line explanation for user-facing callers. */
    public static String requireComponent(String s) {
        if (!isComponent(s)) {
            throw new IllegalArgumentException("component '" + printable(s)
                    + "' is not [a-z][a-z0-9_.-]* of at most " + MAX_COMPONENT + " characters");
        }
        return s;
    }

    /** Checks an event name, throwing a one-line explanation for user-facing callers. */
    public static String requireEvent(String s) {
        if (!isEvent(s)) {
            throw new IllegalArgumentException("event '" + printable(s)
                    + "' must be 1-" + MAX_EVENT + " visible ASCII characters other than '\"', '=' and '\\'");
        }
        return s;
    }

    /** Checks a key, throwing a one-line explanation for user-facing callers. */
    public static String requireKey(String s) {
        if (!isKey(s)) {
            throw new IllegalArgumentException("key '" + printable(s)
                    + "' is not [a-z_][a-z0-9_.-]* of at most " + MAX_KEY + " characters");
        }
        return s;
    }

    /** {@code s} with control characters shown as {@code \xHH}, for error messages that must stay one line. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        int i = 0;
        for (; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || mustEscapeNonAscii(c)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (i < s.length()) {
            b.append('…'); // cut: more followed
        }
        return b.toString();
    }

    static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }

    static boolean isEventChar(char c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != '=' && c != '\\';
    }

    static boolean isBareChar(char c) {
        return c > 0x20 && c < 0x7F && c != '"' && c != '\\';
    }

    /** True when {@code v} can be written without quotes. */
    public static boolean isBare(CharSequence v) {
        int n = v.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (!isBareChar(c) || (c == '_' && followsRayos(v, i))) {
                return false;
            }
        }
        return true;
    }

    /** {@link #isBare(CharSequence)} for a String: the log call's common case, kept monomorphic. */
    public static boolean isBare(String v) {
        int n = v.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\' || (c == '_' && i >= 5 && v.startsWith("RAYOS", i - 5))) {
                return false;
            }
        }
        return true;
    }

    /** True when the '_' at {@code i} completes the text {@code RAYOS_}. */
    static boolean followsRayos(CharSequence v, int i) {
        return i >= 5 && v.charAt(i - 5) == 'R' && v.charAt(i - 4) == 'A' && v.charAt(i - 3) == 'Y'
                && v.charAt(i - 2) == 'O' && v.charAt(i - 1) == 'S';
    }

    /** Non-ASCII characters that must be written as {@code \\uXXXX}: C1 controls, separators, bidi controls, lone surrogates. */
    static boolean mustEscapeNonAscii(char c) {
        return (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029
                || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0xFEFF || Character.isSurrogate(c);
    }

    // ---------------------------------------------------------------- format

    /** Formats a line (no line feed). Throws IllegalArgumentException when a name breaks the grammar. */
    public static String format(LogLine line) {
        LineBuffer b = new LineBuffer();
        appendLine(b, line);
        return b.toString();
    }

    /** Appends a whole line to {@code b}. Values too long for the buffer are cut; see {@link LineBuffer#putValue}. */
    public static void appendLine(LineBuffer b, LogLine line) {
        appendTimestamp(b, line.ts());
        b.put((byte) ' ').put(line.level().ascii()).put((byte) ' ');
        b.putAscii(requireComponent(line.component())).put((byte) ' ');
        b.putAscii(requireEvent(line.event()));
        for (LogLine.Field f : line.fields()) {
            b.put((byte) ' ').putAscii(requireKey(f.key())).put((byte) '=');
            b.putValue(f.value(), 0);
        }
    }

    /** Appends {@code ts} in its line form: 6 fraction digits when they are exact, else 9. */
    public static void appendTimestamp(LineBuffer b, Timestamp ts) {
        if (ts.mono()) {
            b.putAscii("mono:").putDecimal(ts.nanos());
            return;
        }
        appendUtc(b, ts.nanos());
    }

    /** Now as lines print it, to the microsecond ({@code 2025-12-30T15:12:01.123456Z}). */
    public static String utcNow(dev.rayos.log.time.LogClock clock) {
        LineBuffer b = new LineBuffer(40);
        appendUtc(b, clock.utcNanos() / 1000 * 1000);
        return b.toString();
    }

    /** Now as a line's timestamp: UTC to the microsecond once the wall clock is known, else {@code mono:}. */
    public static Timestamp now(dev.rayos.log.time.LogClock clock, boolean wallClockKnown) {
        return wallClockKnown ? Timestamp.utc(clock.utcNanos() / 1000 * 1000) : Timestamp.mono(clock.monoNanos());
    }

    /** Appends UTC epoch nanoseconds as RFC 3339 ({@code 2025-12-30T15:12:01.123456Z}). */
    public static void appendUtc(LineBuffer b, long epochNanos) {
        long secs = Math.floorDiv(epochNanos, 1_000_000_000L);
        long frac = Math.floorMod(epochNanos, 1_000_000_000L);
        appendUtcSeconds(b, secs);
        b.put((byte) '.');
        if (frac % 1000 == 0) {
            b.putPadded(frac / 1000, 6);
        } else {
            b.putPadded(frac, 9);
        }
        b.put((byte) 'Z');
    }

    /** Appends {@code YYYY-MM-DDTHH:MM:SS} for epoch seconds (civil-from-days, no allocation). */
    static void appendUtcSeconds(LineBuffer b, long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86400L);
        long sod = Math.floorMod(epochSeconds, 86400L);
        // Howard Hinnant's civil_from_days.
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        b.putPadded(y, 4);
        b.put((byte) '-');
        b.putPadded(m, 2);
        b.put((byte) '-');
        b.putPadded(d, 2);
        b.put((byte) 'T');
        b.putPadded(sod / 3600, 2);
        b.put((byte) ':');
        b.putPadded((sod / 60) % 60, 2);
        b.put((byte) ':');
        b.putPadded(sod % 60, 2);
    }

    static long daysFromCivil(long y, long m, long d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    // ---------------------------------------------------------------- parse

    /**
     * Parses one line (a single trailing {@code \n} is allowed).
     *
     * @throws LineParseException naming the column and what was expected there
     */
    public static LogLine parse(CharSequence line) throws LineParseException {
        return new Parser(line).line();
    }

    /**
     * Parses a timestamp as written in a line ({@code mono:N} or RFC 3339 UTC ending in {@code Z}).
     *
     * @throws LineParseException when it is neither
     */
    public static Timestamp parseTimestamp(CharSequence s) throws LineParseException {
        Parser p = new Parser(s);
        Timestamp ts = p.timestamp();
        if (p.i != s.length()) {
            throw new LineParseException("unexpected text after the timestamp", p.i + 1);
        }
        return ts;
    }

    private static final class Parser {
        final CharSequence s;
        final int n;
        int i;

        Parser(CharSequence s) {
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
}
