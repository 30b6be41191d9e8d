package dev.rayos.machine.image;

import dev.rayos.harness.guest.Initramfs;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.policy.PolicyException;
import dev.rayos.machine.agent.Component;
import dev.rayos.machine.disk.PartitionTable;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.disk.ToolException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code rayos image build}: a bootable x86_64 RayOS disk image ({@code docs/boot-and-recovery.md}).
 *
 * <p>The initramfs is the whole root filesystem of the running machine: busybox as PID 1, the
 * modules the guest loads, a jlink'd runtime with its host libraries, e2fsck with its libraries,
 * {@code rayos.jar}, the policy,
 * the components, and the known-good copy of the ESP's loader files. It is not compressed: under
 * TCG the kernel unpacks a plain cpio faster than it inflates a gzip one, and the ESP has room.
 *
 * <p>The image is written to {@code OUT.partial} and renamed over {@code OUT} only when whole, so
 * a failed or interrupted build leaves no image that looks finished.
 */
public final class ImageBuilder {
    /** The watchdog driver's heartbeat (seconds): how long a hung machine waits for its reset. */
    public static final int HEARTBEAT_SECONDS = 10;
    /** Options of the guest's JVM: small and quick to start (one JVM for the whole boot). */
    static final String JAVA_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -XX:-UsePerfData -Xss512k";

    /** What was built. */
    public record Built(Path image, long initramfsBytes, long imageBytesOnDisk, PartitionTable partitions, long millis) {}

    private ImageBuilder() {}

    /**
     * Builds the image.
     *
     * @param cache    where the jlink'd runtime is kept between builds
     * @param progress receives one line per step
     * @throws IOException on bad input (one line saying what) or a failing tool
     */
    public static Built build(ImageSpec spec, GuestParts parts, Path cache, Consumer<String> progress) throws IOException {
        long t0 = System.nanoTime();
        check(spec);
        Policy policy = Policy.DEFAULTS;
        if (spec.policy() != null) {
            try {
                policy = Policy.parse(Files.readString(spec.policy(), StandardCharsets.UTF_8));
            } catch (PolicyException e) {
                throw new IOException("policy " + spec.policy() + ": " + e.getMessage(), e);
            }
        }
        Path partial = spec.out().resolveSibling(spec.out().getFileName() + ".partial");
        Path initrd = spec.out().resolveSibling(spec.out().getFileName() + ".initrd.partial");
        try {
            Runtime rt = Runtime.forJar(spec.jar(), cache, progress);
            AgentCds.Archive cds = AgentCds.forJar(rt, spec.jar(), JAVA_OPTIONS, cache, progress);
            Map<String, byte[]> loader = EspContent.files(policy.boot().maxFailures(), spec.extraKernelOptions());
            progress.accept("initramfs: busybox, " + parts.moduleFiles().size() + " modules, runtime, rayos.jar, "
                    + spec.components().size() + " components");
            Initramfs fs = initramfs(spec, parts, rt, cds, loader);
            try (OutputStream o = Files.newOutputStream(initrd)) {
                o.write(fs.toCpio());
            }
            long initrdBytes = Files.size(initrd);
            Map<String, Object> esp = new LinkedHashMap<>();
            esp.put("EFI/BOOT/BOOTX64.EFI", parts.systemdBoot());
            esp.put(EspContent.KERNEL, parts.kernel());
            esp.put(EspContent.INITRD, initrd);
            esp.putAll(loader);
            progress.accept("disk: GPT, ESP (FAT32, " + (ImageSpec.ESP_BYTES >> 20) + " MiB), RAYOS_DATA (ext4) in "
                    + (spec.sizeBytes() >> 20) + " MiB");
            PartitionTable pt = DiskWriter.write(partial, spec.sizeBytes(), esp, spec.data());
            Files.move(partial, spec.out(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long onDisk = diskUsage(spec.out());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            progress.accept("image: " + spec.out() + " (" + (spec.sizeBytes() >> 20) + " MiB, "
                    + (onDisk < 0 ? "size on disk unknown" : (onDisk >> 20) + " MiB on disk") + ", initramfs " + (initrdBytes >> 20) + " MiB) in " + ms + " ms");
            return new Built(spec.out(), initrdBytes, onDisk, pt, ms);
        } catch (ToolException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(initrd);
        }
    }

    private static void check(ImageSpec spec) throws IOException {
        Path dir = spec.out().toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("no directory " + dir + " for the image");
        }
        if (Files.isDirectory(spec.out())) {
            throw new IOException(spec.out() + " is a directory");
        }
        if (!Files.isRegularFile(spec.jar())) {
            throw new IOException("no rayos.jar at " + spec.jar());
        }
        for (ImageSpec.Source s : spec.components()) {
            if (!Files.isRegularFile(s.file()) || !Files.isReadable(s.file())) {
                throw new IOException("component " + s.component().name() + ": no readable file " + s.file());
            }
        }
        if (spec.policy() != null && !Files.isRegularFile(spec.policy())) {
            throw new IOException("no policy file " + spec.policy());
        }
        if (spec.data() != null && !Files.isDirectory(spec.data(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("--data " + spec.data() + " is not a directory");
        }
    }

    private static Initramfs initramfs(ImageSpec spec, GuestParts parts, Runtime rt, AgentCds.Archive cds, Map<String, byte[]> loader)
            throws IOException, ToolException {
        String javaOptions = JAVA_OPTIONS + " -XX:SharedArchiveFile=" + AgentCds.GUEST_ARCHIVE;
        Initramfs fs = new Initramfs().dir("dev").dir("proc").dir("sys").dir("tmp").dir("run").dir("efi").dir("var/rayos")
                .dir("root").dir("etc/rayos").dir(Component.DIR);
        fs.copy("bin/busybox", parts.busybox(), 0755);
        fs.file("init", InitScript.text(HEARTBEAT_SECONDS, javaOptions), 0755);
        StringBuilder order = new StringBuilder();
        for (Path ko : parts.moduleFiles()) {
            fs.copy("lib/modules/" + ko.getFileName(), ko, 0644);
            order.append(ko.getFileName()).append('\n');
        }
        fs.file("lib/modules/load-order", order.toString(), 0644);
        try (Stream<Path> s = Files.walk(rt.dir())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = "opt/rayos/jre" + (p.equals(rt.dir()) ? "" : "/" + rt.dir().relativize(p));
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    fs.dir(rel);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    fs.copy(rel, p, Files.isExecutable(p) ? 0755 : 0644);
                }
            }
        }
        for (Path lib : rt.libraries()) {
            // the same path as on the host: the runtime's ELF interpreter and RPATHs expect it there
            fs.copy(lib.toString().substring(1), lib.toRealPath(), 0755);
        }
        // e2fsck, which /init runs on the data partition before mounting it, and rayos repair after
        fs.copy("usr/sbin/e2fsck", parts.e2fsck().toRealPath(), 0755);
        java.util.Set<Path> carried = new java.util.HashSet<>(rt.libraries());
        for (Path lib : Runtime.sharedLibraries(List.of(parts.e2fsck()), null)) {
            if (carried.add(lib)) {
                fs.copy(lib.toString().substring(1), lib.toRealPath(), 0755);
            }
        }
        fs.symlink("etc/mtab", "/proc/mounts"); // where e2fsck asks whether the device is mounted
        fs.copy("opt/rayos/rayos.jar", spec.jar(), 0644);
        fs.copy(AgentCds.GUEST_ARCHIVE, cds.file(), 0644);
        fs.symlink(cds.recordedJar(), "/opt/rayos/rayos.jar"); // the jar's path as the archive records it (AgentCds)
        // `rayos` in the machine's shell: the same JVM options as the agent's
        fs.file("bin/rayos", "#!/bin/sh\nexec /opt/rayos/jre/bin/java " + javaOptions
                + " -jar /opt/rayos/rayos.jar --root / \"$@\"\n", 0755);
        if (spec.policy() != null) {
            fs.copy("etc/rayos/policy.conf", spec.policy(), 0644);
        }
        StringBuilder list = new StringBuilder("# NAME normal|safe: the executable is /" + Component.DIR + "/NAME\n");
        for (ImageSpec.Source s : spec.components()) {
            fs.copy(Component.DIR + "/" + s.component().name(), s.file(), 0755);
            list.append(s.component().line()).append('\n');
        }
        fs.file(Component.LIST, list.toString(), 0644);
        for (Map.Entry<String, byte[]> e : loader.entrySet()) {
            fs.file(EspContent.FACTORY + "/" + e.getKey(), e.getValue(), 0644);
        }
        fs.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
        fs.file("etc/group", "root:x:0:\n", 0644);
        return fs;
    }

    private static long diskUsage(Path p) {
        try {
            Object blocks = Files.getAttribute(p, "unix:blocks"); // not in JDK 17's unix view
            if (blocks instanceof Long l) {
                return l * 512;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // du below
        }
        try { // a sparse image's apparent size would overstate it tenfold
            Tool.Result du = Tool.run(List.of("du", "-B1", "--", p.toString()));
            return Long.parseLong(du.outText().split("\\s+")[0]);
        } catch (ToolException | RuntimeException e) {
            return -1;
        }
    }
}
