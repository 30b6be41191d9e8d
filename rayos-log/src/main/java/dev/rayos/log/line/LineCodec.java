package dev.rayos.log.line;


/**
 * The one place the line grammar lives ({@code docs/log-format.md}): formatting a {@link LogLine}
 * and parsing one back (through {@link LineParser}), plus the name checks every writer applies before
 * a name reaches a line.
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
        return printable(s, 80);
    }

    /**
     * {@code s} with control characters shown as {@code \xHH}, whole: for output that shows a value
     * on one line ({@code rayos logs -o cat}, {@code -o verbose}), where a cut would lose the value's end.
     */
    public static String escapeControls(String s) {
        return printable(s, Integer.MAX_VALUE);
    }

    private static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        int i = 0;
        for (; i < s.length() && b.length() < max; i++) {
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
        return new LineParser(line).line();
    }

    /**
     * Parses a timestamp as written in a line ({@code mono:N} or RFC 3339 UTC ending in {@code Z}).
     *
     * @throws LineParseException when it is neither
     */
    public static Timestamp parseTimestamp(CharSequence s) throws LineParseException {
        LineParser p = new LineParser(s);
        Timestamp ts = p.timestamp();
        if (p.i != s.length()) {
            throw new LineParseException("unexpected text after the timestamp", p.i + 1);
        }
        return ts;
    }
}
