package dev.rayos.log.root;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The id of one boot of a machine: 128 random bits as 32 lower-case hex digits (spec §6). It names
 * files ({@code logs/boot/<id>.log}, {@code crash/panics/<id>.log}), so only that exact form is
 * accepted.
 */
public record BootId(String hex) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{32}");

    public BootId {
        if (hex == null || !FORM.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a boot id (32 lower-case hex digits): '"
                    + (hex == null ? "null" : dev.rayos.log.line.LineCodec.printable(hex)) + "'");
        }
    }

    /** A new random boot id. */
    public static BootId random() {
        byte[] b = new byte[16];
        Random.GENERATOR.nextBytes(b);
        return fromBytes(b);
    }

    /** Made on first use: a SecureRandom loads the security providers, which most commands need not. */
    private static final class Random {
        static final SecureRandom GENERATOR = new SecureRandom();
    }

    /** The boot id whose 16 bytes are {@code b} (the ring header stores it this way). */
    public static BootId fromBytes(byte[] b) {
        if (b.length != 16) {
            throw new IllegalArgumentException("a boot id is 16 bytes, not " + b.length);
        }
        StringBuilder s = new StringBuilder(32);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return new BootId(s.toString());
    }

    /** Parses user or file input; see the constructor for the error. */
    public static BootId parse(String s) {
        return new BootId(s == null ? null : s.trim());
    }

    /** True when {@code s} is a well-formed boot id. */
    public static boolean isValid(String s) {
        return s != null && FORM.matcher(s).matches();
    }

    /** The 16 bytes of the id. */
    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return b;
    }

    @Override
    public String toString() {
        return hex;
    }

    // Written out rather than left to the record: its generated equals and hashCode bootstrap through
    // java.lang.runtime.ObjectMethods, which spins method handles at the first call, a noticeable part
    // of a short command's start (docs/PERFORMANCE.md, "Start of the short commands").
    @Override
    public boolean equals(Object o) {
        return o instanceof BootId && ((BootId) o).hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }
}
