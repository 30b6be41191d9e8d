package dev.rayos.log.policy;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.policy.Policy.Boot;
import dev.rayos.log.policy.Policy.Privacy;
import dev.rayos.log.policy.Policy.Retention;
import dev.rayos.log.root.RootLayout;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text of {@code etc/rayos/policy.conf} read into a {@link Policy} ({@code docs/policy.md}):
 * {@code key = value} lines, each value checked against its range, the first bad line named in the
 * {@link PolicyException}. Starts from the defaults ({@link Policy.Builder}) and changes what the
 * file sets.
 */
final class PolicyText {
    private PolicyText() {}

    /** See {@link Policy#parse}. */
    static Policy parse(String text) throws PolicyException {
        Policy.Builder b = new Policy.Builder();
        Map<String, Integer> maxFiles = new TreeMap<>();
        Map<String, Long> maxBytes = new TreeMap<>();
        int globalFiles = b.retention.maxFiles();
        long globalBytes = b.retention.maxFileBytes();
        int maxFailures = b.boot.maxFailures();
        Duration readyTimeout = b.boot.readyTimeout();
        BridgeSettings.Reader bridges = new BridgeSettings.Reader();

        String[] lines = text.split("\n", -1);
        if (lines.length > 10_000) {
            throw new PolicyException(10_001, "more than 10000 lines");
        }
        for (int n = 0; n < lines.length; n++) {
            int ln = n + 1;
            String raw = lines[n];
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new PolicyException(ln, "expected 'key = value', found '" + LineCodec.printable(line) + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.isEmpty()) {
                throw new PolicyException(ln, "'" + LineCodec.printable(key) + "' has no value");
            }
            if (BridgeSettings.isBridgeKey(key)) {
                bridges.read(ln, key, value);
                continue;
            }
            String[] parts = key.split("\\.", -1);
            switch (parts[0]) {
                case "retention": {
                    if (parts.length == 2) {
                        if (parts[1].equals("max_files")) {
                            globalFiles = count(ln, value, 1, 10_000);
                        } else if (parts[1].equals("max_file_size")) {
                            globalBytes = size(ln, value, Policy.MIN_FILE_BYTES);
                        } else {
                            throw unknown(ln, key);
                        }
                    } else if (parts.length == 3) {
                        String cat = category(ln, parts[1]);
                        if (parts[2].equals("max_files")) {
                            maxFiles.put(cat, count(ln, value, 1, 10_000));
                        } else if (parts[2].equals("max_file_size")) {
                            maxBytes.put(cat, size(ln, value, Policy.MIN_FILE_BYTES));
                        } else {
                            throw unknown(ln, key);
                        }
                    } else {
                        throw unknown(ln, key);
                    }
                    break;
                }
                case "category": {
                    if (parts.length < 2) {
                        throw unknown(ln, key);
                    }
                    String component = key.substring("category.".length());
                    if (!LineCodec.isComponent(component)) {
                        throw new PolicyException(ln, "'" + LineCodec.printable(component) + "' is not a component name");
                    }
                    b.categoryByComponent.put(component, category(ln, value));
                    break;
                }
                case "privacy": {
                    if (parts.length != 2) {
                        throw unknown(ln, key);
                    }
                    String cat = category(ln, parts[1]);
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "redact": b.privacy.put(cat, Privacy.REDACT); break;
                        case "clear": b.privacy.put(cat, Privacy.CLEAR); break;
                        default: throw new PolicyException(ln, "privacy is 'redact' or 'clear', not '"
                                + LineCodec.printable(value) + "'");
                    }
                    break;
                }
                default:
                    switch (key) {
                        case "ring.size": b.ringBytes = size(ln, value, 256 * 1024); break;
                        case "log.min_level":
                            try {
                                b.minLevel = Level.parseUserInput(value);
                            } catch (IllegalArgumentException e) {
                                throw new PolicyException(ln, e.getMessage());
                            }
                            break;
                        case "console.device":
                            if (value.indexOf('\0') >= 0) {
                                throw new PolicyException(ln, "console.device holds a NUL byte");
                            }
                            b.consoleDevice = value;
                            break;
                        case "console.queue_size": b.consoleQueueBytes = (int) Math.min(size(ln, value, 4096), 64L << 20); break;
                        case "store.sync_interval": b.syncInterval = duration(ln, value); break;
                        case "crash.last_lines": b.crashLastLines = count(ln, value, 0, 100_000); break;
                        case "crash.framebuffer":
                            if (value.indexOf('\0') >= 0) {
                                throw new PolicyException(ln, "crash.framebuffer holds a NUL byte");
                            }
                            b.crashFramebuffer = value;
                            break;
                        case "boot.max_failures": maxFailures = count(ln, value, 1, 9); break;
                        case "boot.ready_timeout": readyTimeout = seconds(ln, value, 10, 3600); break;
                        default: throw unknown(ln, key);
                    }
            }
        }
        if (b.ringBytes > (1L << 30)) {
            throw new PolicyException(0, "ring.size above 1GiB");
        }
        for (String cat : union(maxFiles.keySet(), maxBytes.keySet())) {
            b.retentionByCategory.put(cat, new Retention(maxFiles.getOrDefault(cat, globalFiles), maxBytes.getOrDefault(cat, globalBytes)));
        }
        b.retention = new Retention(globalFiles, globalBytes);
        b.boot = new Boot(maxFailures, readyTimeout);
        b.bridges = bridges.build();
        return b.build();
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> s = new java.util.TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    private static PolicyException unknown(int ln, String key) {
        return new PolicyException(ln, "unknown setting '" + LineCodec.printable(key) + "' (see docs/policy.md)");
    }

    private static String category(int ln, String s) throws PolicyException {
        if (!RootLayout.isCategory(s)) {
            throw new PolicyException(ln, "'" + LineCodec.printable(s) + "' is not a category name ([a-z][a-z0-9_-]*, at most 32)");
        }
        return s;
    }

    private static int count(int ln, String s, int min, int max) throws PolicyException {
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) {
                throw new PolicyException(ln, "'" + s + "' is outside " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new PolicyException(ln, "'" + LineCodec.printable(s) + "' is not a whole number");
        }
    }

    /** Parses {@code 10MiB}, {@code 512KiB}, {@code 1GiB}, {@code 4096} (bytes). */
    static long size(int ln, String s, long min) throws PolicyException {
        String t = s.replace(" ", "");
        long mult = 1;
        String num = t;
        for (String[] u : new String[][] {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"},
                {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                num = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        long v;
        try {
            v = Long.parseLong(num);
        } catch (NumberFormatException e) {
            throw new PolicyException(ln, "'" + LineCodec.printable(s) + "' is not a size (like 10MiB, 512KiB, 4096)");
        }
        if (v < 0 || v > (1L << 40) / mult) {
            throw new PolicyException(ln, "size '" + s + "' out of range");
        }
        if (v * mult < min) {
            throw new PolicyException(ln, "size '" + s + "' is below the minimum of " + min + " bytes");
        }
        return v * mult;
    }

    /** Parses whole seconds ({@code 90} or {@code 90s}) within {@code min..max}. */
    static Duration seconds(int ln, String s, int min, int max) throws PolicyException {
        String t = s.endsWith("s") ? s.substring(0, s.length() - 1).strip() : s;
        return Duration.ofSeconds(count(ln, t, min, max));
    }

    /** Parses {@code 500ms}, {@code 1s}; at most 1 s (the group-commit bound). */
    static Duration duration(int ln, String s) throws PolicyException {
        Duration d;
        try {
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).strip()));
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new PolicyException(ln, "'" + LineCodec.printable(s) + "' is not a duration (like 200ms or 1s)");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new PolicyException(ln, "store.sync_interval must be above 0 and at most 1s");
        }
        return d;
    }
}
