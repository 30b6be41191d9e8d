package dev.rayos.machine.entries;

import dev.rayos.log.boot.LoaderState;
import java.util.Optional;

/**
 * A Boot Loader Specification entry file name with its boot-counting suffix, as systemd-boot's
 * Automatic Boot Assessment writes it: {@code ID[+LEFT[-DONE]].conf}.
 *
 * <p>{@code rayos+3.conf} is a new entry with three tries; the boot manager renames it
 * {@code rayos+2-1.conf} before it starts the kernel, then {@code rayos+1-2.conf}, {@code rayos+0-3.conf}
 * (bad: ranked last). Blessing renames it to {@code rayos.conf} (good: no longer counted).
 *
 * @param base the name without counter and without {@code .conf} ({@code rayos})
 * @param left tries left, or -1 when not counted
 * @param done tries done, or -1 when not counted or not yet tried ({@code +3} has none)
 */
public record EntryName(String base, int left, int done) {
    /** A base ending in what reads as a counter: {@code rayos+3} would be file {@code rayos+3.conf}, counted. */
    private static final java.util.regex.Pattern COUNTER_LIKE = java.util.regex.Pattern.compile("\\+[0-9]+(-[0-9]+)?$");

    /** The suffix of every entry file. */
    public static final String SUFFIX = ".conf";

    public EntryName {
        if (!LoaderState.isEntryFileName(base + SUFFIX) || COUNTER_LIKE.matcher(base).find()) {
            throw new IllegalArgumentException("'" + base + "' is not an entry name");
        }
        if (left < -1 || left > 9999 || done < -1 || done > 9999 || (left < 0 && done >= 0)) {
            throw new IllegalArgumentException("bad counter for entry " + base);
        }
    }

    /**
     * Reads a file name.
     *
     * @return the name, or empty when {@code file} is not an entry file name
     */
    public static Optional<EntryName> parse(String file) {
        if (!LoaderState.isEntryFileName(file)) {
            return Optional.empty();
        }
        String stem = file.substring(0, file.length() - SUFFIX.length());
        int plus = stem.lastIndexOf('+');
        try {
            if (plus < 0) {
                return Optional.of(new EntryName(stem, -1, -1));
            }
            String counter = stem.substring(plus + 1);
            int dash = counter.indexOf('-');
            String l = dash < 0 ? counter : counter.substring(0, dash);
            String d = dash < 0 ? null : counter.substring(dash + 1);
            if (!digits(l) || (d != null && !digits(d))) {
                // as systemd-boot: a '+' not followed by a counter leaves the entry uncounted under its
                // whole name (a+b.conf is entry a+b); a counter spelt oddly (+03) is no entry at all
                return Optional.of(new EntryName(stem, -1, -1));
            }
            return Optional.of(new EntryName(stem.substring(0, plus), Integer.parseInt(l), d == null ? -1 : Integer.parseInt(d)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A new counted entry: {@code base+tries.conf}. */
    public static EntryName counted(String base, int tries) {
        return new EntryName(base, tries, -1);
    }

    /** The file name as it stands. */
    public String file() {
        if (left < 0) {
            return base + SUFFIX;
        }
        return base + "+" + left + (done >= 0 ? "-" + done : "") + SUFFIX;
    }

    /** The entry id that boot-manager variables and {@code oneshot} use: the name without counter. */
    public String id() {
        return base + SUFFIX;
    }

    /** Whether the entry is still counted (not yet blessed). */
    public boolean counted() {
        return left >= 0;
    }

    /** good (blessed or never counted), bad (no tries left), or indeterminate (tries left). */
    public String state() {
        if (!counted()) {
            return "good";
        }
        return left == 0 ? "bad" : "indeterminate";
    }

    /** The history's view of this name as the boot found it. */
    public LoaderState loaderState(boolean blessed) {
        return new LoaderState(file(), counted() ? left : -1, counted() ? Math.max(done, 0) : -1, blessed);
    }

    private static boolean digits(String s) {
        // one spelling per number: rayos+03.conf read as rayos+3.conf would name a file that is not there
        if (s.isEmpty() || s.length() > 4 || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
