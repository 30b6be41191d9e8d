package dev.rayos.log.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the boot manager said about a boot: the entry file it started ({@code LoaderEntrySelected})
 * and that entry's boot counting as it stood when the boot began, and whether this boot blessed it.
 * Schema 3 of the boot history ({@code docs/boot-history.md}).
 *
 * @param entry     the entry's file name as selected, like {@code rayos+2-1.conf}
 * @param triesLeft tries left after this one, or -1 when the entry is not counted
 * @param triesDone tries done including this one, or -1 when the entry is not counted
 * @param blessed   true once the boot reached {@code RAYOS_READY} and renamed the entry to its
 *                  counter-free name
 */
public record LoaderState(String entry, int triesLeft, int triesDone, boolean blessed) {
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,250}\\.conf");

    public LoaderState {
        if (entry == null || !ENTRY.matcher(entry).matches()) {
            throw new IllegalArgumentException("'" + entry + "' is not a boot entry file name");
        }
        if (triesLeft < -1 || triesDone < -1 || triesLeft > 9999 || triesDone > 9999 || (triesLeft < 0) != (triesDone < 0)) {
            throw new IllegalArgumentException("boot counting of " + entry + " is inconsistent");
        }
    }

    /** Whether {@code name} is a boot entry file name (a safe path segment ending {@code .conf}). */
    public static boolean isEntryFileName(String name) {
        return name != null && ENTRY.matcher(name).matches() && !name.contains("..");
    }

    /** Whether the entry is counted (has a {@code +LEFT[-DONE]} suffix). */
    public boolean counted() {
        return triesLeft >= 0;
    }

    public LoaderState blessed(boolean b) {
        return new LoaderState(entry, triesLeft, triesDone, b);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entry", entry);
        m.put("tries_left", counted() ? triesLeft : null);
        m.put("tries_done", counted() ? triesDone : null);
        m.put("blessed", blessed);
        return m;
    }

    static LoaderState fromMap(Map<String, Object> m) throws BootHistoryException {
        Object b = m.get("blessed");
        if (!(b instanceof Boolean)) {
            throw new BootHistoryException("'loader.blessed' is not true or false");
        }
        boolean counted = m.get("tries_left") != null;
        try {
            return new LoaderState(BootRecord.string(m, "entry", false),
                    counted ? (int) BootRecord.number(m, "tries_left") : -1,
                    counted ? (int) BootRecord.number(m, "tries_done") : -1, (Boolean) b);
        } catch (IllegalArgumentException e) {
            throw new BootHistoryException("'loader': " + e.getMessage());
        }
    }
}
