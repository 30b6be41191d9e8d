package dev.rayos.slf4j;

import java.util.Arrays;

/**
 * SLF4J's {@code {}} placeholders, formatted into a caller's builder ({@code MessageFormatter}'s
 * rules: {@code \{}} is a literal {@code {}}, {@code \\{}} a backslash then the argument, surplus
 * placeholders stay as written, arrays print their elements).
 */
final class MessageText {
    private MessageText() {}

    static void format(StringBuilder sb, String pattern, Object[] args) {
        if (pattern == null) {
            sb.append("null");
            return;
        }
        int a = 0;
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 2 < n && pattern.charAt(i + 1) == '{' && pattern.charAt(i + 2) == '}') {
                boolean doubled = i > 0 && pattern.charAt(i - 1) == '\\';
                if (!doubled) {
                    sb.append("{}");
                    i += 2;
                    continue;
                }
                continue; // "\\{}": the first backslash was written; this one escapes nothing
            }
            if (c == '{' && i + 1 < n && pattern.charAt(i + 1) == '}' && a < args.length) {
                append(sb, args[a++]);
                i++;
                continue;
            }
            sb.append(c);
        }
    }

    static String render(Object o) {
        StringBuilder sb = new StringBuilder();
        append(sb, o);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object o) {
        try {
            if (o == null) {
                sb.append("null");
            } else if (o instanceof String) {
                sb.append((String) o);
            } else if (o instanceof Object[]) {
                sb.append(Arrays.deepToString((Object[]) o));
            } else if (o.getClass().isArray()) {
                sb.append(primitiveArray(o));
            } else {
                sb.append(o);
            }
        } catch (RuntimeException e) {
            sb.append("[FAILED toString()]"); // as SLF4J does: a broken toString never loses the line
        }
    }

    private static String primitiveArray(Object o) {
        if (o instanceof int[]) {
            return Arrays.toString((int[]) o);
        } else if (o instanceof long[]) {
            return Arrays.toString((long[]) o);
        } else if (o instanceof byte[]) {
            return Arrays.toString((byte[]) o);
        } else if (o instanceof char[]) {
            return Arrays.toString((char[]) o);
        } else if (o instanceof short[]) {
            return Arrays.toString((short[]) o);
        } else if (o instanceof boolean[]) {
            return Arrays.toString((boolean[]) o);
        } else if (o instanceof float[]) {
            return Arrays.toString((float[]) o);
        }
        return Arrays.toString((double[]) o);
    }
}
