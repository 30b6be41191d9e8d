package dev.rayos.log.read;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times {@code --since} and {@code --until} accept, as UTC epoch nanoseconds:
 *
 * <ul>
 *   <li>an RFC 3339 UTC time as lines carry it: {@code 2025-12-30T15:12:01Z}, {@code 2025-12-30T15:12:01.5Z};
 *   <li>a date, meaning its midnight UTC: {@code 2025-12-30};
 *   <li>{@code now};
 *   <li>relative to now: {@code -10m}, {@code -90s}, {@code -2h}, {@code -1d}, {@code -1h30m} (units
 *       {@code ms s m h d}, at most 100000 days back).
 * </ul>
 *
 * UTC times go through {@link LineCodec#parseTimestamp}, the grammar's own timestamp rule.
 */
public final class TimeExpr {
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern RELATIVE = Pattern.compile("-((?:[0-9]{1,9}(?:ms|s|m|h|d))+)");
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");
    private static final long MAX_BACK_NANOS = 100_000L * 86_400L * 1_000_000_000L;

    private TimeExpr() {}

    /**
     * Parses {@code s} relative to {@code nowUtcNanos}.
     *
     * @throws ReadQueryException saying what forms are accepted; never another exception
     */
    public static long parse(String s, long nowUtcNanos) throws ReadQueryException {
        if (s == null || s.isEmpty() || s.length() > 64) {
            throw bad(s);
        }
        if (s.equals("now")) {
            return nowUtcNanos;
        }
        Matcher rel = RELATIVE.matcher(s);
        if (rel.matches()) {
            long back = 0;
            Matcher part = PART.matcher(rel.group(1));
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                long unit;
                switch (part.group(2)) {
                    case "ms": unit = 1_000_000L; break;
                    case "s": unit = 1_000_000_000L; break;
                    case "m": unit = 60_000_000_000L; break;
                    case "h": unit = 3_600_000_000_000L; break;
                    default: unit = 86_400_000_000_000L; break;
                }
                if (n > MAX_BACK_NANOS / unit || back + n * unit > MAX_BACK_NANOS) {
                    throw new ReadQueryException("time '" + s + "' reaches back more than 100000 days");
                }
                back += n * unit;
            }
            return Math.max(0, nowUtcNanos - back);
        }
        String t = DATE.matcher(s).matches() ? s + "T00:00:00Z" : s;
        try {
            Timestamp ts = LineCodec.parseTimestamp(t);
            if (ts.mono()) {
                throw bad(s);
            }
            return ts.nanos();
        } catch (LineParseException e) {
            throw new ReadQueryException("time '" + LineCodec.printable(s) + "' is not valid ("
                    + e.getMessage() + "); use 2025-12-30T15:12:01Z, 2025-12-30, now, or -10m/-2h/-1d");
        }
    }

    private static ReadQueryException bad(String s) {
        return new ReadQueryException("time '" + (s == null ? "" : LineCodec.printable(s))
                + "' is not one of: 2025-12-30T15:12:01Z, 2025-12-30, now, -10m, -2h, -1d");
    }
}
