package dev.rayos.harness;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Console input typed when a marker appears: {@code --send [K:]MARKER=TEXT}. Sends fire in the
 * order given, each once: send i waits for its marker after the point where send i-1 fired (and,
 * with {@code K:}, inside boot K), then TEXT and Enter are written to the serial console. This is
 * how a test drives the recovery console over the serial line.
 *
 * @param boot   the boot it applies to (1 = the first), or 0 for any
 * @param marker text to wait for on the console
 * @param text   the line to type (without the Enter)
 */
public record Send(int boot, String marker, String text) {
    private static final Pattern BOOT = Pattern.compile("(\\d{1,2}):(.+)", Pattern.DOTALL);

    public Send {
        Objects.requireNonNull(marker);
        Objects.requireNonNull(text);
        if (marker.isEmpty() || marker.length() > 256 || marker.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("the marker of --send must be 1-256 characters without control characters");
        }
        if (text.length() > 4096 || text.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new IllegalArgumentException("the text of --send must be one line of at most 4096 characters");
        }
        if (boot < 0 || boot > 99) {
            throw new IllegalArgumentException("boot number must be 1..99");
        }
    }

    /** Parses {@code [K:]MARKER=TEXT}; the marker ends at the first {@code =}. */
    public static Send parse(String spec) {
        int boot = 0;
        Matcher b = BOOT.matcher(spec);
        if (b.matches()) {
            boot = Integer.parseInt(b.group(1));
            if (boot == 0) {
                throw new IllegalArgumentException("boots are counted from 1");
            }
            spec = b.group(2);
        }
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--send wants MARKER=TEXT");
        }
        return new Send(boot, spec.substring(0, eq), spec.substring(eq + 1));
    }
}
