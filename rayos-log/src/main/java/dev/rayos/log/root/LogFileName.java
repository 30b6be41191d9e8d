package dev.rayos.log.root;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a log file in a category directory, the one place it is built and read:
 * {@code <boot_id>.log} (number 0, the file being written) or {@code <boot_id>.<n>.log} (a part
 * rotated away, n = 1 the oldest). The writer, the reader, retention and repair all go through it
 * ({@link LogFiles} lists a directory by it; {@link RootLayout#logFile} puts it under its category).
 *
 * @param boot   the boot id, 32 lowercase hex digits
 * @param number 0 for the active file, else the part number (1 to 999 999 999)
 */
public record LogFileName(String boot, int number) {
    /** The highest part number a name can carry (nine digits). */
    public static final int MAX_NUMBER = 999_999_999;
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{32})(?:\\.([0-9]{1,9}))?\\.log");
    private static final Pattern BOOT = Pattern.compile("[0-9a-f]{32}");

    public LogFileName {
        if (boot == null || !BOOT.matcher(boot).matches()) {
            throw new IllegalArgumentException("not a boot id: " + boot);
        }
        if (number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("part number out of range: " + number);
        }
    }

    /**
     * The name read from a file name, or empty when it is not a log file's name. Only the form the
     * store writes counts: {@code .0.log} or {@code .01.log} would be a second name for the active
     * file or a part, so they are no log names (repair quarantines them).
     */
    public static Optional<LogFileName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches() || (m.group(2) != null && m.group(2).startsWith("0"))) {
            return Optional.empty();
        }
        return Optional.of(new LogFileName(m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }

    /** The active file of a boot. */
    public static LogFileName active(BootId boot) {
        return new LogFileName(boot.hex(), 0);
    }

    /** This boot's part {@code n} (n &ge; 1). */
    public LogFileName part(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a part number starts at 1: " + n);
        }
        return new LogFileName(boot, n);
    }

    /** The file name: {@code <boot_id>.log} or {@code <boot_id>.<n>.log}. */
    public String fileName() {
        return number == 0 ? boot + ".log" : boot + "." + number + ".log";
    }

    @Override
    public String toString() {
        return fileName();
    }
}
