package dev.rayos.harness;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A marker to wait for and how long: {@code --expect MARKER[@TIMEOUT]}.
 *
 * <p>With {@code K:} in front ({@code --expect 3:RAYOS_RECOVERY_READY@120s}) the marker must appear in
 * the machine's K-th boot (boots are counted by the guest resets QMP reports; see {@code --boots}).
 *
 * @param boot    the boot the marker must appear in (1 = the first), or 0 for whichever is running
 * @param marker  text that must appear on the console (a plain substring, not a regex)
 * @param timeout how long to wait, counted from the previous expectation being met
 */
public record Expectation(int boot, String marker, Duration timeout) {
    private static final Pattern TIMEOUT = Pattern.compile("(\\d{1,9})(ms|s|m)?");
    private static final Pattern BOOT = Pattern.compile("(\\d{1,2}):(.+)", Pattern.DOTALL);
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");

    /** An expectation in whichever boot is running. */
    public Expectation(String marker, Duration timeout) {
        this(0, marker, timeout);
    }

    public Expectation {
        if (boot < 0 || boot > 99) {
            throw new IllegalArgumentException("boot number must be 1..99");
        }
        Objects.requireNonNull(marker);
        if (marker.isEmpty() || marker.length() > 256 || marker.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("marker must be 1-256 characters without control characters");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * Parses {@code [K:]MARKER[@TIMEOUT]}; the timeout is a number with an optional unit
     * {@code ms}, {@code s} (default) or {@code m}. A marker that itself holds {@code @} is split
     * at the last {@code @}; when what follows is a plain word that is not a timeout
     * ({@code NEVER@bogus}), or nothing ({@code NEVER@}), the expectation is refused rather than taken
     * as a marker: give such a marker an explicit timeout ({@code user@host@60s}).
     */
    public static Expectation parse(String spec, Duration defaultTimeout) {
        int boot = 0;
        Matcher b = BOOT.matcher(spec);
        if (b.matches()) {
            boot = Integer.parseInt(b.group(1));
            if (boot == 0) {
                throw new IllegalArgumentException("boots are counted from 1");
            }
            spec = b.group(2);
        }
        int at = spec.lastIndexOf('@');
        if (at > 0) {
            String t = spec.substring(at + 1);
            Duration d = parseDuration(t);
            if (d != null) {
                return new Expectation(boot, spec.substring(0, at), d);
            }
            if (t.isEmpty()) {
                throw new IllegalArgumentException("nothing after '@': give a timeout (like " + spec + "30s) or leave out the '@'");
            }
            if (WORD.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + t + "' is not a timeout (like 30s, 500ms, 2m); a marker holding '@'"
                        + " needs an explicit timeout, like " + spec + "@60s");
            }
        }
        return new Expectation(boot, spec, defaultTimeout);
    }

    /** How this expectation is written on the command line. */
    public String label() {
        return boot == 0 ? marker : boot + ":" + marker;
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
