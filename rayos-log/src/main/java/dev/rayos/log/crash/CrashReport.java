package dev.rayos.log.crash;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One crash of one boot, as stored in {@code var/rayos/crash/panics/<boot_id>.log} (spec §4.2;
 * the text form is in {@code docs/crash-report.md} and is written and read by {@link
 * CrashReportFormat}).
 *
 * <p>Build one with {@link #builder}; {@link KernelCrash#report}, {@link JvmCrash#report}
 * give a builder already filled from what was read. Values are checked when built, so a
 * report in hand can always be written and read back equal.
 */
public final class CrashReport {
    /** Where the crash happened. */
    public enum Source {
        /** The Linux kernel (read from a serial console). */
        KERNEL,
        /** A JVM fatal error (read from an hs_err log). */
        JVM,
        /** A RayOS component's own panic. */
        RAYOS;

        /** The form used in {@code source=}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The source named {@code label}, or empty. */
        public static Optional<Source> ofLabel(String label) {
            for (Source s : values()) {
                if (s.label().equals(label)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    static final Pattern REGISTER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,15}");
    static final Pattern HEX = Pattern.compile("0x[0-9a-f]{1,16}");
    /** Header keys with a meaning of their own; every other key is an attribute. */
    static final Set<String> KNOWN_KEYS = Set.of("format", "boot_id", "version", "build_id", "time",
            "source", "kind", "reason", "fault_address", "error_code", "location");

    private final BootId bootId;
    private final String version;
    private final String buildId;
    private final Timestamp time;
    private final Source source;
    private final String kind;
    private final String reason;
    private final String faultAddress;
    private final String errorCode;
    private final String location;
    private final Map<String, String> attributes;
    private final Map<String, String> registers;
    private final List<String> stack;
    private final List<String> lastLines;
    private final List<String> excerpt;

    private CrashReport(Builder b) {
        bootId = b.bootId;
        version = b.version;
        buildId = b.buildId;
        time = b.time;
        source = b.source;
        kind = b.kind;
        reason = b.reason;
        faultAddress = b.faultAddress;
        errorCode = b.errorCode;
        location = b.location;
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
        registers = Collections.unmodifiableMap(new LinkedHashMap<>(b.registers));
        stack = List.copyOf(b.stack);
        lastLines = List.copyOf(b.lastLines);
        excerpt = List.copyOf(b.excerpt);
    }

    /** A builder with the four things every report has. */
    public static Builder builder(BootId bootId, Timestamp time, Source source, String reason) {
        return new Builder(bootId, time, source, reason);
    }

    public BootId bootId() {
        return bootId;
    }

    /** RayOS version of the boot that crashed. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** Build id of the boot that crashed. */
    public Optional<String> buildId() {
        return Optional.ofNullable(buildId);
    }

    /** When the crash was captured (or ingested, for text read later); mono before the wall clock. */
    public Timestamp time() {
        return time;
    }

    public Source source() {
        return source;
    }

    /** Source-specific kind: {@code panic}, {@code oops}, {@code SIGSEGV}, an exception class … */
    public Optional<String> kind() {
        return Optional.ofNullable(kind);
    }

    /** What happened, in one line. */
    public String reason() {
        return reason;
    }

    /** {@code 0x…} lower-case hex. */
    public Optional<String> faultAddress() {
        return Optional.ofNullable(faultAddress);
    }

    /** {@code 0x…} lower-case hex. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** Where: a kernel RIP symbol, a JVM problematic frame, a Java method. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** Further header keys in order ({@code kernel_release}, {@code pid}, {@code origin} …). */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** Register name to value, in the order the source printed them. */
    public Map<String, String> registers() {
        return registers;
    }

    /** Call trace or stack frames, innermost first. */
    public List<String> stack() {
        return stack;
    }

    /** The last log lines of the boot, oldest first (spec §4.2). */
    public List<String> lastLines() {
        return lastLines;
    }

    /** The source text the report was read from (console lines, hs_err banner). */
    public List<String> excerpt() {
        return excerpt;
    }

    /** A builder holding this report's values, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder(bootId, time, source, reason);
        b.version = version;
        b.buildId = buildId;
        b.kind = kind;
        b.faultAddress = faultAddress;
        b.errorCode = errorCode;
        b.location = location;
        b.attributes.putAll(attributes);
        b.registers.putAll(registers);
        b.stack.addAll(stack);
        b.lastLines.addAll(lastLines);
        b.excerpt.addAll(excerpt);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CrashReport)) {
            return false;
        }
        CrashReport r = (CrashReport) o;
        return bootId.equals(r.bootId) && Objects.equals(version, r.version) && Objects.equals(buildId, r.buildId)
                && time.equals(r.time) && source == r.source && Objects.equals(kind, r.kind)
                && reason.equals(r.reason) && Objects.equals(faultAddress, r.faultAddress)
                && Objects.equals(errorCode, r.errorCode) && Objects.equals(location, r.location)
                && attributes.equals(r.attributes) && registers.equals(r.registers) && stack.equals(r.stack)
                && lastLines.equals(r.lastLines) && excerpt.equals(r.excerpt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootId, time, source, reason, faultAddress, registers, stack);
    }

    /** The report in its file form. */
    @Override
    public String toString() {
        return CrashReportFormat.format(this);
    }

    /**
     * Collects a report's values and checks each as it is set, so that a bad value fails where
     * it is given ({@link IllegalArgumentException}) rather than when the file is read back.
     */
    public static final class Builder {
        private final BootId bootId;
        private final Timestamp time;
        private final Source source;
        private final String reason;
        private String version;
        private String buildId;
        private String kind;
        private String faultAddress;
        private String errorCode;
        private String location;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final Map<String, String> registers = new LinkedHashMap<>();
        private final List<String> stack = new ArrayList<>();
        private final List<String> lastLines = new ArrayList<>();
        private final List<String> excerpt = new ArrayList<>();

        private Builder(BootId bootId, Timestamp time, Source source, String reason) {
            this.bootId = Objects.requireNonNull(bootId, "bootId");
            this.time = Objects.requireNonNull(time, "time");
            this.source = Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("a crash report needs a reason");
            }
            this.reason = reason;
        }

        public Builder version(String v) {
            version = emptyToNull(v);
            return this;
        }

        public Builder buildId(String v) {
            buildId = emptyToNull(v);
            return this;
        }

        public Builder kind(String v) {
            kind = emptyToNull(v);
            return this;
        }

        /** {@code 0x}-prefixed hex, any case; kept lower-case. */
        public Builder faultAddress(String v) {
            faultAddress = hex("fault_address", v);
            return this;
        }

        /** {@code 0x}-prefixed hex, any case; kept lower-case. */
        public Builder errorCode(String v) {
            errorCode = hex("error_code", v);
            return this;
        }

        public Builder location(String v) {
            location = emptyToNull(v);
            return this;
        }

        /** Adds a header key of the report's own; a {@code null} value is ignored. */
        public Builder attribute(String key, String value) {
            if (value == null) {
                return this;
            }
            if (key == null || !KEY.matcher(key).matches() || KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("not an attribute key: " + key);
            }
            attributes.put(key, value);
            return this;
        }

        public Builder register(String name, String value) {
            if (name == null || !REGISTER.matcher(name).matches()) {
                throw new IllegalArgumentException("not a register name: " + name);
            }
            registers.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder registers(Map<String, String> values) {
            values.forEach(this::register);
            return this;
        }

        public Builder stack(List<String> frames) {
            stack.addAll(frames);
            return this;
        }

        public Builder lastLines(List<String> lines) {
            lastLines.addAll(lines);
            return this;
        }

        public Builder excerpt(List<String> lines) {
            excerpt.addAll(lines);
            return this;
        }

        public CrashReport build() {
            return new CrashReport(this);
        }

        // an empty optional value is the same as an absent one, so that it reads back equal
        private static String emptyToNull(String v) {
            return v == null || v.isEmpty() ? null : v;
        }

        private static String hex(String key, String v) {
            if (v == null) {
                return null;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            if (!HEX.matcher(lower).matches()) {
                throw new IllegalArgumentException(key + " is not 0x followed by 1 to 16 hex digits: " + v);
            }
            return lower;
        }
    }
}
