package dev.rayos.harness;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A marker to wait for and how long: {@code --expect MARKER[@TIMEOUT]}.
 *
 * @param marker  text that must appear on the console (a plain substring, not a regex)
 * @param timeout how long to wait, counted from the previous expectation being met
 */
public record Expectation(String marker, Duration timeout) {
    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    public Expectation {
        Objects.requireNonNull(marker);
        if (marker.isEmpty() || marker.length() > 256 || marker.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("marker must be 1-256 characters without control characters");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * Parses {@code MARKER} or {@code MARKER@TIMEOUT}; the timeout is a number with an optional
     * unit {@code ms}, {@code s} (default) or {@code m}. A marker that itself holds {@code @} is
     * split at the last {@code @} only when what follows is a valid timeout.
     */
    public static Expectation parse(String spec, Duration defaultTimeout) {
        int at = spec.lastIndexOf('@');
        if (at > 0) {
            Duration d = parseDuration(spec.substring(at + 1));
            if (d != null) {
                return new Expectation(spec.substring(0, at), d);
            }
        }
        return new Expectation(spec, defaultTimeout);
    }

    /** Parses {@code 30}, {@code 30s}, {@code 500ms} or {@code 2m}; null when not one of those. */
    public static Duration parseDuration(String s) {
        Matcher m = TIMEOUT.matcher(s);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        return d.isZero() ? null : d;
    }
}
