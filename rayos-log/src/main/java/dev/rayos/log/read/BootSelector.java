package dev.rayos.log.read;

import dev.rayos.log.line.LineCodec;
import java.util.regex.Pattern;

/**
 * Which boots {@code -b} selects, journalctl-style: nothing (the current boot), {@code 0},
 * {@code -1}, {@code -2} … back from the latest, {@code 1}, {@code 2} … (or {@code +1}) from the
 * first, a boot id or a unique prefix of one (at least 4 hex digits, not all digits), or
 * {@code all}. A value of 1 to 9 digits is always an offset, never an id prefix.
 */
public sealed interface BootSelector {
    /** The current boot ({@code var/rayos/boot/current_boot_id}), else the latest. */
    record Current() implements BootSelector {}

    /** {@code 0} the latest, {@code -1} the one before, … */
    record FromLatest(int back) implements BootSelector {}

    /** {@code 1} the first boot, {@code 2} the second, … */
    record FromFirst(int index) implements BootSelector {}

    /** A boot id, or a unique prefix of one. */
    record IdPrefix(String prefix) implements BootSelector {}

    /** Every boot. */
    record All() implements BootSelector {}

    Pattern OFFSET = Pattern.compile("[+-]?[0-9]{1,9}");
    Pattern PREFIX = Pattern.compile("[0-9a-f]{4,32}");

    /**
     * Parses a {@code -b} value; null or empty means the current boot.
     *
     * @throws ReadQueryException saying which forms are accepted
     */
    static BootSelector parse(String s) throws ReadQueryException {
        if (s == null || s.isEmpty()) {
            return new Current();
        }
        if (s.equals("all")) {
            return new All();
        }
        if (OFFSET.matcher(s).matches()) {
            int v = Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
            if (s.startsWith("-") || v == 0) {
                return new FromLatest(-v);
            }
            return new FromFirst(v);
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (PREFIX.matcher(lower).matches()) {
            return new IdPrefix(lower);
        }
        throw new ReadQueryException("boot '" + LineCodec.printable(s.length() > 80 ? s.substring(0, 80) + "…" : s)
                + "' is not 0, -N, N, a boot id (or a prefix of at least 4 hex digits) or all");
    }
}
