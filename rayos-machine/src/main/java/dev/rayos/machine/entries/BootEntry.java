package dev.rayos.machine.entries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a Boot Loader Specification Type #1 entry: one {@code key value} per line, {@code #}
 * comments; the keys RayOS writes are {@code title}, {@code sort-key}, {@code linux},
 * {@code initrd} and {@code options}. Unknown keys are kept as read (the spec allows more).
 */
public final class BootEntry {
    private static final int MAX_BYTES = 64 * 1024;
    private final Map<String, List<String>> keys;

    private BootEntry(Map<String, List<String>> keys) {
        this.keys = keys;
    }

    /** An entry booting {@code linux} with {@code initrd} and kernel {@code options}. */
    public static BootEntry of(String title, String sortKey, String linux, String initrd, String options) {
        Map<String, List<String>> k = new LinkedHashMap<>();
        put(k, "title", title);
        put(k, "sort-key", sortKey);
        put(k, "linux", linux);
        put(k, "initrd", initrd);
        put(k, "options", options);
        return new BootEntry(k);
    }

    /**
     * Reads an entry.
     *
     * @throws EntryException when the text is not an entry (too long, a line without a key, no
     *                        {@code linux} line)
     */
    public static BootEntry parse(String text) throws EntryException {
        if (text.length() > MAX_BYTES) {
            throw new EntryException("entry longer than " + MAX_BYTES + " bytes");
        }
        Map<String, List<String>> k = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = 0;
            while (sp < line.length() && !Character.isWhitespace(line.charAt(sp))) {
                sp++;
            }
            String key = line.substring(0, sp);
            if (!key.matches("[a-z][a-z0-9-]{0,31}")) {
                throw new EntryException("line " + (i + 1) + ": '" + printable(key) + "' is not a key");
            }
            String value = line.substring(sp).strip();
            k.computeIfAbsent(key, x -> new ArrayList<>()).add(value);
        }
        if (!k.containsKey("linux") && !k.containsKey("efi")) {
            throw new EntryException("no 'linux' or 'efi' line");
        }
        return new BootEntry(k);
    }

    /** The first value of {@code key}, or null. */
    public String get(String key) {
        List<String> v = keys.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The entry text, one key a line, ending in a line feed. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            for (String v : e.getValue()) {
                b.append(e.getKey()).append(' ').append(v).append('\n');
            }
        }
        return b.toString();
    }

    private static void put(Map<String, List<String>> k, String key, String value) {
        if (value == null) {
            return;
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.isBlank()) {
            throw new IllegalArgumentException("the " + key + " of an entry must be one non-empty line");
        }
        k.computeIfAbsent(key, x -> new ArrayList<>()).add(value.strip());
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 60; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
