package dev.rayos.log.line;

/**
 * When an event happened: either UTC wall-clock time ({@code 2025-12-30T15:12:01.123456Z}) or,
 * before the wall clock is known, CLOCK_MONOTONIC nanoseconds ({@code mono:1234567890}).
 *
 * @param mono  true for a monotonic timestamp, false for UTC
 * @param nanos nanoseconds since the Unix epoch (UTC) or since the monotonic clock's origin (mono)
 */
public record Timestamp(boolean mono, long nanos) implements Comparable<Timestamp> {

    public Timestamp {
        if (nanos < 0) {
            throw new IllegalArgumentException("timestamp before its origin: " + nanos);
        }
    }

    /** A UTC timestamp, nanoseconds since 1970-01-01T00:00:00Z. */
    public static Timestamp utc(long epochNanos) {
        return new Timestamp(false, epochNanos);
    }

    /** A monotonic timestamp, CLOCK_MONOTONIC nanoseconds. */
    public static Timestamp mono(long monoNanos) {
        return new Timestamp(true, monoNanos);
    }

    /** Orders UTC before mono, then by nanoseconds; callers that mix the two convert first. */
    @Override
    public int compareTo(Timestamp o) {
        if (mono != o.mono) {
            return mono ? 1 : -1;
        }
        return Long.compare(nanos, o.nanos);
    }

    @Override
    public String toString() {
        LineBuffer b = new LineBuffer(40);
        LineCodec.appendTimestamp(b, this);
        return b.toString();
    }
}
