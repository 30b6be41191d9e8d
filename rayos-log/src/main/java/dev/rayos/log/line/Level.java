package dev.rayos.log.line;

import java.nio.charset.StandardCharsets;

/**
 * Severity of an event, syslog's eight severities plus {@code TRACE} below them.
 *
 * <p>The order is ascending severity, so {@code level.compareTo(WARN) >= 0} means "WARN or worse".
 * {@link #isUrgent()} (ERROR and worse) is the class the sinks never drop and make durable before
 * the log call returns.
 */
public enum Level {
    TRACE(7), DEBUG(7), INFO(6), NOTICE(5), WARN(4), ERROR(3), CRIT(2), ALERT(1), EMERG(0);

    private static final Level[] VALUES = values();
    private final int syslogSeverity;
    private final byte[] ascii;

    Level(int syslogSeverity) {
        this.syslogSeverity = syslogSeverity;
        this.ascii = name().getBytes(StandardCharsets.US_ASCII);
    }

    /** The syslog severity (RFC 5424 §6.2.1) this level maps to; TRACE shares DEBUG's 7. */
    public int syslogSeverity() {
        return syslogSeverity;
    }

    /** ERROR and worse: never dropped by a sink, durable before the call returns. */
    public boolean isUrgent() {
        return ordinal() >= ERROR.ordinal();
    }

    /** The level's name as ASCII bytes; shared, do not modify. */
    public byte[] ascii() {
        return ascii;
    }

    /**
     * The level named exactly (upper case, as written in a line), or {@code null} when none is.
     * Readers use this on their hot path, so it neither throws nor allocates.
     */
    public static Level byName(CharSequence s) {
        for (Level l : VALUES) {
            String n = l.name();
            if (n.contentEquals(s)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The level whose name is exactly the ASCII bytes {@code b[from, to)}, or {@code null}: the
     * byte-level {@link #byName(CharSequence)}, for readers of raw lines; neither throws nor allocates.
     */
    public static Level byName(byte[] b, int from, int to) {
        for (Level l : VALUES) {
            if (java.util.Arrays.equals(l.ascii, 0, l.ascii.length, b, from, to)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The level for user input: case-insensitive, {@code WARNING} and {@code ERR} accepted as the
     * syslog spellings.
     *
     * @throws IllegalArgumentException naming the accepted levels
     */
    public static Level parseUserInput(String s) {
        String u = s.trim().toUpperCase(java.util.Locale.ROOT);
        switch (u) {
            case "WARNING": return WARN;
            case "ERR": return ERROR;
            case "CRITICAL": return CRIT;
            case "EMERGENCY": return EMERG;
            default:
                Level l = byName(u);
                if (l == null) {
                    throw new IllegalArgumentException("unknown level '" + s
                            + "' (expected one of TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT EMERG)");
                }
                return l;
        }
    }
}
