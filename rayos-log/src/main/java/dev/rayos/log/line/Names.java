package dev.rayos.log.line;

import java.util.Locale;

/**
 * Outside names made into names the line grammar accepts, for the bridges ({@code docs/bridges.md}):
 * a syslog APP-NAME or an SLF4J logger name into a component, an SD-PARAM or key-value key into a
 * key. Lower case; characters outside {@code [a-z0-9_.-]} become {@code '-'} (components) or
 * {@code '_'} (keys); cut to the grammar's length. The result always passes {@link LineCodec}'s
 * checks, and is never a marker (markers are upper case).
 */
public final class Names {
    private Names() {}

    /** A component from {@code raw}: {@code fallback} when empty; a letter first ({@code app-} prepended). */
    public static String component(String raw, String fallback) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (LineCodec.isComponent(raw)) {
            return raw;
        }
        StringBuilder sb = clean(raw, '-');
        if (!isLower(sb.charAt(0))) {
            sb.insert(0, "app-");
        }
        sb.setLength(Math.min(sb.length(), LineCodec.MAX_COMPONENT));
        return sb.toString();
    }

    /** A key from {@code raw}: a letter or '_' first ({@code _} prepended). */
    public static String key(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "_";
        }
        if (LineCodec.isKey(raw)) {
            return raw;
        }
        StringBuilder sb = clean(raw, '_');
        if (!isLower(sb.charAt(0)) && sb.charAt(0) != '_') {
            sb.insert(0, '_');
        }
        sb.setLength(Math.min(sb.length(), LineCodec.MAX_KEY));
        return sb.toString();
    }

    /** {@code raw} lower-cased, each character outside {@code [a-z0-9_.-]} replaced (callers cut the length). */
    private static StringBuilder clean(String raw, char replacement) {
        String lower = raw.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            sb.append(isLower(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ? c : replacement);
        }
        return sb;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }
}
