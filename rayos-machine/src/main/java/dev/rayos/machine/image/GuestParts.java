package dev.rayos.machine.image;

import dev.rayos.harness.guest.GuestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host files a bootable image is made of, where {@code .ci/install-harness.sh} and
 * {@code .ci/install-machine.sh} put them: Debian's kernel and the modules the guest loads (in the
 * harness's kernel cache), static busybox, and systemd-boot.
 *
 * @param kernel      the kernel image ({@code vmlinuz-*})
 * @param modules     the modules directory with its {@code load-order} file
 * @param busybox     a static busybox
 * @param systemdBoot {@code systemd-bootx64.efi}
 * @param e2fsck      the host's {@code e2fsck} (e2fsprogs), which {@code /init} runs on the data partition
 */
public record GuestParts(Path kernel, Path modules, Path busybox, Path systemdBoot, Path e2fsck) {
    public static final Path SYSTEMD_BOOT = Path.of("/usr/lib/systemd/boot/efi/systemd-bootx64.efi");
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    /** Where e2fsck is looked for, in order (Debian's merged /usr has both). */
    static final List<Path> E2FSCK = List.of(Path.of("/usr/sbin/e2fsck"), Path.of("/sbin/e2fsck"));

    /** What is missing to build an image here, or empty when nothing (for skips and errors). */
    public static String missing() {
        List<String> why = new ArrayList<>();
        if (kernelIn(GuestKit.cacheDir()) == null) {
            why.add("no kernel under " + GuestKit.cacheDir() + "/boot (run .ci/install-harness.sh)");
        }
        if (!Files.isRegularFile(GuestKit.cacheDir().resolve("modules/load-order"))) {
            why.add("no kernel modules under " + GuestKit.cacheDir() + "/modules (run .ci/install-harness.sh)");
        }
        if (!Files.isExecutable(BUSYBOX)) {
            why.add("no /bin/busybox (busybox-static; run .ci/install-harness.sh)");
        }
        if (!Files.isRegularFile(SYSTEMD_BOOT)) {
            why.add("no " + SYSTEMD_BOOT + " (systemd-boot-efi; run .ci/install-machine.sh)");
        }
        if (findE2fsck() == null) {
            why.add("no e2fsck at " + E2FSCK.get(0) + " (e2fsprogs; run .ci/install-machine.sh)");
        }
        return String.join("; ", why);
    }

    /** The parts from their install locations, or an exception saying what is missing. */
    public static GuestParts find() throws IOException {
        String m = missing();
        if (!m.isEmpty()) {
            throw new IOException(m);
        }
        Path cache = GuestKit.cacheDir();
        return new GuestParts(kernelIn(cache), cache.resolve("modules"), BUSYBOX, SYSTEMD_BOOT, findE2fsck());
    }

    private static Path findE2fsck() {
        return E2FSCK.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The module files in load order. */
    List<Path> moduleFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(modules.resolve("load-order"))) {
            String n = line.strip();
            if (!n.isEmpty() && n.matches("[A-Za-z0-9_.-]+\\.ko")) {
                out.add(modules.resolve(n));
            }
        }
        return out;
    }

    private static Path kernelIn(Path cache) {
        Path boot = cache.resolve("boot");
        if (!Files.isDirectory(boot)) {
            return null;
        }
        try (Stream<Path> s = Files.list(boot)) {
            return s.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).max(Comparator.comparing(Path::toString)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
