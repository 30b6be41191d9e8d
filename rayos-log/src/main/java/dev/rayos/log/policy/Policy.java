package dev.rayos.log.policy;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.IoFailures;
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

    public static final Policy DEFAULTS = new Builder().build();

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

    private Policy(Builder b) {
        this.retention = b.retention;
        this.retentionByCategory = Map.copyOf(b.retentionByCategory);
        this.categoryByComponent = Map.copyOf(b.categoryByComponent);
        this.privacy = Map.copyOf(b.privacy);
        this.ringBytes = b.ringBytes;
        this.minLevel = b.minLevel;
        this.consoleDevice = b.consoleDevice;
        this.consoleQueueBytes = b.consoleQueueBytes;
        this.syncInterval = b.syncInterval;
        this.crashLastLines = b.crashLastLines;
        this.crashFramebuffer = b.crashFramebuffer;
        this.boot = b.boot;
        this.bridges = b.bridges;
    }

    /**
     * A policy being put together: the defaults ({@code docs/policy.md}) until the file says
     * otherwise. Only the parser fills one; a policy is immutable once built.
     */
    static final class Builder {
        Retention retention = new Retention(10, 10L * 1024 * 1024);
        final Map<String, Retention> retentionByCategory = new TreeMap<>();
        final Map<String, String> categoryByComponent = new LinkedHashMap<>(Map.of("input", "input", "ai", "ai"));
        final Map<String, Privacy> privacy = new LinkedHashMap<>(Map.of("input", Privacy.REDACT, "ai", Privacy.REDACT));
        long ringBytes = 4L * 1024 * 1024;
        Level minLevel = Level.TRACE;
        String consoleDevice = "dev/ttyS0";
        int consoleQueueBytes = 64 * 1024;
        Duration syncInterval = Duration.ofSeconds(1);
        int crashLastLines = 200;
        String crashFramebuffer = "dev/fb0";
        Boot boot = new Boot(3, Duration.ofSeconds(120));
        BridgeSettings bridges = BridgeSettings.DEFAULTS;

        Policy build() {
            return new Policy(this);
        }
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
            return new Loaded(DEFAULTS, new PolicyException(0, "cannot read: " + IoFailures.inWords(e, null)), file);
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
        return PolicyText.parse(text);
    }
}
