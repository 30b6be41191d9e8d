package dev.rayos.harness.guest;

import dev.rayos.harness.MachineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The parts of a real test guest: Debian's kernel (unpacked by {@code .ci/install-harness.sh}
 * into a cache outside the repository), the static busybox, and an initramfs built around
 * an {@code /init} script. Shared by the harness tests and the crash-capture tests.
 *
 * <p>Where the kernel is looked for: system property {@code rayos.kernel.cache}, else
 * environment {@code RAYOS_KERNEL_CACHE}, else {@code ~/.cache/rayos/kernel}; the newest
 * {@code boot/vmlinuz-*} there is used.
 *
 * <p>Every init script starts with {@link #PRELUDE}: it mounts devtmpfs before anything
 * writes to {@code /dev/ttyS0} (an initramfs has no device nodes), installs the busybox
 * applets, points stdio at the serial console, and loads the pvpanic driver when present so
 * a panic reaches QEMU as {@code GUEST_PANICKED}.
 */
public final class GuestKit {
    /** Shell lines every guest init starts with. */
    public static final String PRELUDE = String.join("\n",
            "#!/bin/busybox sh",
            "/bin/busybox mount -t devtmpfs devtmpfs /dev",
            "/bin/busybox mount -t proc proc /proc",
            "/bin/busybox mount -t sysfs sysfs /sys",
            "/bin/busybox --install -s /bin",
            "export PATH=/bin",
            "exec </dev/ttyS0 >/dev/ttyS0 2>&1",
            "for m in /lib/pvpanic/pvpanic.ko /lib/pvpanic/pvpanic-mmio.ko; do [ -f $m ] && insmod $m; done",
            "");

    /** Kernel command line for the test guests (serial console, no reboot on panic). */
    // no_timer_check: a loaded TCG host can fail the kernel's IO-APIC timer test (a panic at 0.04 s)
    public static final String APPEND = "console=ttyS0 panic=0 no_timer_check";

    private final Path kernel;
    private final Path busybox;
    private final Path cache;

    private GuestKit(Path kernel, Path busybox, Path cache) {
        this.kernel = kernel;
        this.busybox = busybox;
        this.cache = cache;
    }

    /**
     * Finds the kernel and busybox, or says what is missing.
     *
     * @return the kit, or empty when a part is absent (see {@link #missing()})
     */
    public static Optional<GuestKit> find() {
        return missing().isEmpty() ? Optional.of(new GuestKit(findKernel().orElseThrow(), Path.of("/bin/busybox"), cacheDir()))
                : Optional.empty();
    }

    /** What prevents building a guest here (empty when nothing), for skip messages. */
    public static String missing() {
        StringBuilder why = new StringBuilder();
        if (!onPath("qemu-system-x86_64")) {
            why.append("qemu-system-x86_64 not on PATH; ");
        }
        if (findKernel().isEmpty()) {
            why.append("no boot/vmlinuz-* under ").append(cacheDir()).append("; ");
        }
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            why.append("/bin/busybox absent (busybox-static); ");
        }
        return why.isEmpty() ? "" : why + "run .ci/install-harness.sh";
    }

    /** Whether QEMU is installed (the only reason the harness tests may skip). */
    public static boolean qemuPresent() {
        return onPath("qemu-system-x86_64");
    }

    /** The kernel cache directory (see the class comment). */
    public static Path cacheDir() {
        String p = System.getProperty("rayos.kernel.cache");
        if (p == null || p.isBlank()) {
            p = System.getenv("RAYOS_KERNEL_CACHE");
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".cache", "rayos", "kernel");
        }
        return Path.of(p);
    }

    public Path kernel() {
        return kernel;
    }

    /**
     * Writes an initramfs whose {@code /init} is {@link #PRELUDE} followed by {@code script}.
     *
     * @return the archive file inside {@code dir}
     */
    public Path initramfs(Path dir, String script) throws IOException {
        Initramfs fs = new Initramfs()
                .dir("dev").dir("proc").dir("sys").dir("tmp").dir("lib/pvpanic")
                .copy("bin/busybox", busybox, 0755)
                .file("init", PRELUDE + script + "\n", 0755);
        Path pv = cache.resolve("pvpanic");
        if (Files.isDirectory(pv)) {
            try (Stream<Path> s = Files.list(pv)) {
                for (Path ko : s.filter(f -> f.getFileName().toString().endsWith(".ko")).toList()) {
                    fs.copy("lib/pvpanic/" + ko.getFileName(), ko, 0644);
                }
            }
        }
        Path out = dir.resolve("initramfs.cpio.gz");
        fs.writeTo(out);
        return out;
    }

    /** A config builder with this kernel, the initramfs and {@link #APPEND} filled in. */
    public MachineConfig.Builder machine(Path initramfs) {
        return MachineConfig.builder().kernel(kernel).initrd(initramfs).append(APPEND);
    }

    private static Optional<Path> findKernel() {
        Path boot = cacheDir().resolve("boot");
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(boot)) {
            List<Path> k = s.filter(f -> f.getFileName().toString().startsWith("vmlinuz-"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
            return k.isEmpty() ? Optional.empty() : Optional.of(k.get(k.size() - 1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
