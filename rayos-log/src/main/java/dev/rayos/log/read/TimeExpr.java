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
 *   <li>{@code now}, {@code today}, {@code yesterday}, {@code tomorrow} (midnights, UTC);
 *   <li>a date and time as journalctl takes it, UTC: {@code 2025-12-30 15:12}, {@code 2025-12-30 15:12:01};
 *   <li>a time alone, today's (UTC), as journalctl takes it: {@code 15:12}, {@code 15:12:01};
 *   <li>{@code 1 hour ago}, {@code 10 min ago}, {@code 2 days ago} (journalctl's relative form);
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
    private static final Pattern DATE_TIME = Pattern.compile("([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]([0-9]{2}:[0-9]{2})(:[0-9]{2}(?:\\.[0-9]{1,9})?)?Z?");
    private static final Pattern TIME_ONLY = Pattern.compile("([0-9]{2}:[0-9]{2})(:[0-9]{2}(?:\\.[0-9]{1,9})?)?");
    private static final Pattern AGO = Pattern.compile("([0-9]{1,9}) ?(ms|msec|s|sec|secs|second|seconds|m|min|mins|minute|minutes"
            + "|h|hour|hours|d|day|days|w|week|weeks) ago");
    private static final long DAY = 86_400_000_000_000L;
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
        if (s.equals("today") || s.equals("yesterday") || s.equals("tomorrow")) {
            long midnight = Math.floorDiv(nowUtcNanos, DAY) * DAY;
            return midnight + (s.equals("today") ? 0 : s.equals("yesterday") ? -DAY : DAY);
        }
        Matcher ago = AGO.matcher(s);
        if (ago.matches()) {
            String u = ago.group(2);
            String unit = u.startsWith("ms") ? "ms" : u.startsWith("mi") || u.equals("m") ? "m"
                    : u.startsWith("w") ? "w" : u.substring(0, 1);
            if (unit.equals("w")) {
                long n = Long.parseLong(ago.group(1));
                if (n > 14_000) {
                    throw new ReadQueryException("time '" + s + "' reaches back more than 100000 days");
                }
                return parse("-" + (n * 7) + "d", nowUtcNanos);
            }
            return parse("-" + ago.group(1) + unit, nowUtcNanos);
        }
        Matcher time = TIME_ONLY.matcher(s);
        if (time.matches()) {
            String today = java.time.LocalDate.ofEpochDay(Math.floorDiv(nowUtcNanos, DAY)).toString();
            s = today + " " + s;
        }
        Matcher dt = DATE_TIME.matcher(s);
        if (dt.matches()) {
            s = dt.group(1) + "T" + dt.group(2) + (dt.group(3) == null ? ":00" : dt.group(3)) + "Z";
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
                // n * unit cannot overflow once n <= MAX / unit; back + n * unit could (-60000d50000d)
                if (n > MAX_BACK_NANOS / unit || n * unit > MAX_BACK_NANOS - back) {
                    throw new ReadQueryException("time '" + s + "' reaches back more than 100000 days");
                }
                back += n * unit;
            }
            return Math.max(0, nowUtcNanos - back);
        }
        if (!s.matches("[0-9]{4}-.*")) {
            throw bad(s); // not a date: the grammar's column detail would only confuse
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
                    + e.getMessage() + "); use 2025-12-30T15:12:01Z, \"2025-12-30 15:12\", 2025-12-30, 15:12, today, yesterday, now, "
                    + "\"1 hour ago\" or -10m/-2h/-1d");
        }
    }

    private static ReadQueryException bad(String s) {
        return new ReadQueryException("time '" + (s == null ? "" : LineCodec.printable(s))
                + "' is not one of: 2025-12-30T15:12:01Z, \"2025-12-30 15:12\", 2025-12-30, 15:12, now, today, yesterday, "
                + "\"1 hour ago\", -10m, -2h, -1d");
    }
}
