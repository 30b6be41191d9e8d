package dev.rayos.slf4j;

import java.util.Arrays;

/**
 * SLF4J's {@code {}} placeholders, formatted into a caller's builder by {@code MessageFormatter}'s
 * rules ({@code \{}} is a literal {@code {}}, {@code \\{}} a backslash then the argument, surplus
 * placeholders and everything after the last argument stay as written, arrays print their
 * elements); {@code MessageTextPropertiesTest} holds it to SLF4J's own over any pattern.
 */
final class MessageText {
    private MessageText() {}

    static void format(StringBuilder sb, String pattern, Object[] args) {
        format(sb, pattern, args, null, null, args.length);
    }

    /** The same with one or two arguments given apart ({@code n} of them), as SLF4J's own overloads pass them: no array. */
    static void format(StringBuilder sb, String pattern, Object a1, Object a2, int n) {
        format(sb, pattern, null, a1, a2, n);
    }

    /** SLF4J's {@code MessageFormatter.arrayFormat}, step for step, into {@code sb}. */
    private static void format(StringBuilder sb, String pattern, Object[] args, Object a1, Object a2, int n) {
        if (pattern == null) {
            sb.append("null");
            return;
        }
        int i = 0;
        for (int a = 0; a < n; a++) {
            int j = pattern.indexOf("{}", i);
            if (j < 0) {
                break; // no more placeholders: the rest as written
            }
            boolean escaped = j >= 1 && pattern.charAt(j - 1) == '\\';
            if (escaped && !(j >= 2 && pattern.charAt(j - 2) == '\\')) {
                sb.append(pattern, i, j - 1).append('{'); // "\{": a literal brace, the argument waits
                i = j + 1;
                a--;
            } else {
                sb.append(pattern, i, escaped ? j - 1 : j); // "\\{}": one backslash, then the argument
                append(sb, args != null ? args[a] : a == 0 ? a1 : a2);
                i = j + 2;
            }
        }
        sb.append(pattern, i, pattern.length());
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
            } else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
                sb.append(((Number) o).longValue()); // digits in place: no String per argument
            } else if (o instanceof Boolean) {
                sb.append(((Boolean) o).booleanValue());
            } else if (o instanceof Character) {
                sb.append(((Character) o).charValue());
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
