package dev.rayos.log.policy;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine's logging policy, read from {@code etc/rayos/policy.conf} ({@code docs/policy.md}):
 * which components log into which category, which categories are redacted, retention, the ring's
 * size, the console device. Immutable; {@link #DEFAULTS} when the file is absent.
 */
public final class Policy {
    /** Retention limits of one category directory. */
    public record Retention(int maxFiles, long maxFileBytes) {}

    /** Whether values of a category reach the sinks as written or replaced. */
    public enum Privacy { REDACT, CLEAR }

    public static final String BOOT = "boot";
    /** The text every value of a redacted category is replaced with. */
    public static final String REDACTED = "[redacted]";
    static final long MIN_FILE_BYTES = 128 * 1024;

    public static final Policy DEFAULTS = new Policy(
            new Retention(10, 10L * 1024 * 1024), Map.of(),
            Map.of("input", "input", "ai", "ai"),
            Map.of("input", Privacy.REDACT, "ai", Privacy.REDACT),
            4L * 1024 * 1024, Level.TRACE, "dev/ttyS0", 64 * 1024, Duration.ofSeconds(1), 200, "dev/fb0",
            new Boot(3, Duration.ofSeconds(120)), BridgeSettings.DEFAULTS);

    /**
     * The boot watchdog's settings ({@code docs/boot-and-recovery.md}).
     *
     * @param maxFailures  tries a newly installed normal entry gets ({@code boot.max_failures}): after
     *                     this many boots without {@code RAYOS_READY} the boot manager falls back to
     *                     the recovery entry
     * @param readyTimeout how long after power-on {@code RAYOS_READY} may take before the watchdog
     *                     resets the machine ({@code boot.ready_timeout})
     */
    public record Boot(int maxFailures, Duration readyTimeout) {}

    /** The {@code crash.framebuffer} value that turns the framebuffer banner off. */
    public static final String NO_FRAMEBUFFER = "none";

    private final Retention retention;
    private final Map<String, Retention> retentionByCategory;
    private final Map<String, String> categoryByComponent;
    private final Map<String, Privacy> privacy;
    private final long ringBytes;
    private final Level minLevel;
    private final String consoleDevice;
    private final int consoleQueueBytes;
    private final Duration syncInterval;
    private final int crashLastLines;
    private final String crashFramebuffer;
    private final Boot boot;
    private final BridgeSettings bridges;

    private Policy(Retention retention, Map<String, Retention> retentionByCategory,
                   Map<String, String> categoryByComponent, Map<String, Privacy> privacy, long ringBytes,
                   Level minLevel, String consoleDevice, int consoleQueueBytes, Duration syncInterval,
                   int crashLastLines, String crashFramebuffer, Boot boot,
                   BridgeSettings bridges) {
        this.retention = retention;
        this.retentionByCategory = Map.copyOf(retentionByCategory);
        this.categoryByComponent = Map.copyOf(categoryByComponent);
        this.privacy = Map.copyOf(privacy);
        this.ringBytes = ringBytes;
        this.minLevel = minLevel;
        this.consoleDevice = consoleDevice;
        this.consoleQueueBytes = consoleQueueBytes;
        this.syncInterval = syncInterval;
        this.crashLastLines = crashLastLines;
        this.crashFramebuffer = crashFramebuffer;
        this.boot = boot;
        this.bridges = bridges;
    }

    /** The boot watchdog's settings. */
    public Boot boot() {
        return boot;
    }

    /**
     * The category a component logs into: the mapping of its longest dotted prefix
     * ({@code input.keyboard} falls under {@code input}), else {@code boot}.
     */
    public String categoryOf(String component) {
        String c = component;
        while (true) {
            String cat = categoryByComponent.get(c);
            if (cat != null) {
                return cat;
            }
            int dot = c.lastIndexOf('.');
            if (dot < 0) {
                return BOOT;
            }
            c = c.substring(0, dot);
        }
    }

    public boolean isRedacted(String category) {
        return privacy.getOrDefault(category, Privacy.CLEAR) == Privacy.REDACT;
    }

    public Retention retention(String category) {
        return retentionByCategory.getOrDefault(category, retention);
    }

    public long ringBytes() {
        return ringBytes;
    }

    public Level minLevel() {
        return minLevel;
    }

    /** {@code stdout}, {@code stderr}, an absolute device path, or a path relative to the root. */
    public String consoleDevice() {
        return consoleDevice;
    }

    public int consoleQueueBytes() {
        return consoleQueueBytes;
    }

    /** The longest a non-urgent line waits before it is fsync'd. */
    public Duration syncInterval() {
        return syncInterval;
    }

    /** How many recent lines a crash report carries. */
    public int crashLastLines() {
        return crashLastLines;
    }

    /**
     * The framebuffer device a panic banner is drawn on: an absolute path, a path relative to the
     * root (default {@code dev/fb0}), or {@value #NO_FRAMEBUFFER}. Its geometry is read from
     * {@code sys/class/graphics/<device name>/} beside it (see {@code docs/crash-report.md}).
     */
    public String crashFramebuffer() {
        return crashFramebuffer;
    }

    /** The bridges' settings: syslog socket and ports, forwarding, SLF4J names ({@code docs/bridges.md}). */
    public BridgeSettings bridges() {
        return bridges;
    }

    /** Every category this policy names (always includes {@code boot}). */
    public java.util.SortedSet<String> categories() {
        java.util.TreeSet<String> s = new java.util.TreeSet<>(categoryByComponent.values());
        s.add(BOOT);
        s.addAll(bridges.facilityCategories());
        return Collections.unmodifiableSortedSet(s);
    }

    /** A loaded policy and, when the file was malformed, why it was set aside. */
    public record Loaded(Policy policy, PolicyException error, Path file) {}

    /**
     * Loads the root's policy. A missing file means {@link #DEFAULTS}; a malformed one also means
     * the defaults, with the error returned for the caller to report (logging never stops for it).
     */
    public static Loaded load(RootLayout root) {
        Path file = root.policyFile();
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new Loaded(parse(decode(bytes)), null, file);
        } catch (NoSuchFileException e) {
            return new Loaded(DEFAULTS, null, file);
        } catch (PolicyException e) {
            return new Loaded(DEFAULTS, e, file);
        } catch (IOException e) {
            return new Loaded(DEFAULTS, new PolicyException(0, "cannot read: " + e.getMessage()), file);
        }
    }

    private static String decode(byte[] bytes) throws PolicyException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(1, "the file is not UTF-8 text");
        }
    }

    /**
     * Parses policy text: {@code key = value} lines, {@code #} comments, blank lines.
     *
     * @throws PolicyException naming the first bad line; nothing of the text is used then
     */
    public static Policy parse(String text) throws PolicyException {
        Map<String, Retention> byCat = new TreeMap<>();
        Map<String, String> categories = new LinkedHashMap<>(DEFAULTS.categoryByComponent);
        Map<String, Privacy> privacy = new LinkedHashMap<>(DEFAULTS.privacy);
        Map<String, Integer> maxFiles = new TreeMap<>();
        Map<String, Long> maxBytes = new TreeMap<>();
        int globalFiles = DEFAULTS.retention.maxFiles();
        long globalBytes = DEFAULTS.retention.maxFileBytes();
        long ring = DEFAULTS.ringBytes;
        Level min = DEFAULTS.minLevel;
        String console = DEFAULTS.consoleDevice;
        int consoleQueue = DEFAULTS.consoleQueueBytes;
        Duration sync = DEFAULTS.syncInterval;
        int crashLines = DEFAULTS.crashLastLines;
        String framebuffer = DEFAULTS.crashFramebuffer;
        int maxFailures = DEFAULTS.boot.maxFailures();
        Duration readyTimeout = DEFAULTS.boot.readyTimeout();
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
                            globalBytes = size(ln, value, MIN_FILE_BYTES);
                        } else {
                            throw unknown(ln, key);
                        }
                    } else if (parts.length == 3) {
                        String cat = category(ln, parts[1]);
                        if (parts[2].equals("max_files")) {
                            maxFiles.put(cat, count(ln, value, 1, 10_000));
                        } else if (parts[2].equals("max_file_size")) {
                            maxBytes.put(cat, size(ln, value, MIN_FILE_BYTES));
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
                    categories.put(component, category(ln, value));
                    break;
                }
                case "privacy": {
                    if (parts.length != 2) {
                        throw unknown(ln, key);
                    }
                    String cat = category(ln, parts[1]);
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "redact": privacy.put(cat, Privacy.REDACT); break;
                        case "clear": privacy.put(cat, Privacy.CLEAR); break;
                        default: throw new PolicyException(ln, "privacy is 'redact' or 'clear', not '"
                                + LineCodec.printable(value) + "'");
                    }
                    break;
                }
                default:
                    switch (key) {
                        case "ring.size": ring = size(ln, value, 256 * 1024); break;
                        case "log.min_level":
                            try {
                                min = Level.parseUserInput(value);
                            } catch (IllegalArgumentException e) {
                                throw new PolicyException(ln, e.getMessage());
                            }
                            break;
                        case "console.device":
                            if (value.indexOf('\0') >= 0) {
                                throw new PolicyException(ln, "console.device holds a NUL byte");
                            }
                            console = value;
                            break;
                        case "console.queue_size": consoleQueue = (int) Math.min(size(ln, value, 4096), 64L << 20); break;
                        case "store.sync_interval": sync = duration(ln, value); break;
                        case "crash.last_lines": crashLines = count(ln, value, 0, 100_000); break;
                        case "crash.framebuffer":
                            if (value.indexOf('\0') >= 0) {
                                throw new PolicyException(ln, "crash.framebuffer holds a NUL byte");
                            }
                            framebuffer = value;
                            break;
                        case "boot.max_failures": maxFailures = count(ln, value, 1, 9); break;
                        case "boot.ready_timeout": readyTimeout = seconds(ln, value, 10, 3600); break;
                        default: throw unknown(ln, key);
                    }
            }
        }
        if (ring > (1L << 30)) {
            throw new PolicyException(0, "ring.size above 1GiB");
        }
        for (String cat : union(maxFiles.keySet(), maxBytes.keySet())) {
            byCat.put(cat, new Retention(maxFiles.getOrDefault(cat, globalFiles), maxBytes.getOrDefault(cat, globalBytes)));
        }
        return new Policy(new Retention(globalFiles, globalBytes), byCat, categories, privacy, ring, min,
                console, consoleQueue, sync, crashLines, framebuffer, new Boot(maxFailures, readyTimeout),
                bridges.build());
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
