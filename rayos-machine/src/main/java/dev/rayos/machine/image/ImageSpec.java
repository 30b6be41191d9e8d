package dev.rayos.machine.image;

import dev.rayos.machine.agent.Component;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code rayos image build} is asked to make: the output file, its size, the components with
 * their executables, an optional policy file and an optional tree to seed the data partition with.
 * Checked as a whole before anything is written.
 *
 * @param out        the image file to write (written beside as {@code .partial}, then renamed)
 * @param sizeBytes  the image's size (the data partition takes what the ESP leaves)
 * @param components components in start order, each with the host file that becomes its executable
 * @param policy     a policy file for {@code /etc/rayos/policy.conf}, or null for the defaults
 * @param data       a directory whose contents seed the data partition ({@code /var/rayos}), or null
 * @param jar        the {@code rayos.jar} the agent runs
 * @param extraKernelOptions appended to every entry's kernel line (for example {@code quiet}), or ""
 */
public record ImageSpec(Path out, long sizeBytes, List<Source> components, Path policy, Path data, Path jar,
                        String extraKernelOptions) {
    /** The ESP's size: kernel, initramfs (about 80 MiB with the runtime) and room to replace them. */
    public static final long ESP_BYTES = 256L << 20;
    /** The smallest image: the ESP plus a data partition of 64 MiB. */
    public static final long MIN_BYTES = ESP_BYTES + (64L << 20) + (2L << 20);

    /** A component and the host file its executable is copied from. */
    public record Source(Component component, Path file) {}

    public ImageSpec {
        Objects.requireNonNull(out);
        components = List.copyOf(components);
        List<String> names = new ArrayList<>();
        for (Source s : components) {
            if (names.contains(s.component().name())) {
                throw new IllegalArgumentException("component '" + s.component().name() + "' is given twice");
            }
            names.add(s.component().name());
        }
        if (sizeBytes < MIN_BYTES || sizeBytes > (1L << 40)) {
            throw new IllegalArgumentException("image size must be between " + (MIN_BYTES >> 20) + " MiB and 1 TiB");
        }
        if (sizeBytes % 512 != 0) {
            throw new IllegalArgumentException("image size must be a whole number of 512-byte sectors");
        }
        extraKernelOptions = extraKernelOptions == null ? "" : extraKernelOptions.strip();
        if (extraKernelOptions.indexOf('\n') >= 0 || extraKernelOptions.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("kernel options must be one line");
        }
    }

    /**
     * Reads {@code NAME=PATH[:safe]} as {@code --component} gives it.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static Source parseComponent(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) {
            throw new IllegalArgumentException("--component wants NAME=PATH[:safe], not '" + arg + "'");
        }
        String name = arg.substring(0, eq);
        String path = arg.substring(eq + 1);
        boolean safe = false;
        if (path.endsWith(":safe")) {
            safe = true;
            path = path.substring(0, path.length() - ":safe".length());
        }
        if (path.isEmpty()) {
            // "NAME=:safe" would make the working directory the component's executable
            throw new IllegalArgumentException("--component wants NAME=PATH[:safe], not '" + arg + "'");
        }
        return new Source(new Component(name, safe), Path.of(path));
    }

    /** Parses sizes like {@code 1G}, {@code 512M}, {@code 1GiB}, or bytes. */
    public static long parseSize(String s) {
        String t = s.strip().toUpperCase(java.util.Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1L << 10;
        } else if (t.endsWith("M")) {
            mult = 1L << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        } else if (t.endsWith("T")) {
            mult = 1L << 40;
        }
        String num = mult == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(num);
            if (v <= 0 || v > (1L << 40) / mult) {
                throw new NumberFormatException();
            }
            return v * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a size (like 1G, 768M)");
        }
    }
}
