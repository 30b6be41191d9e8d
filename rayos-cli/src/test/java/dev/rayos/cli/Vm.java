package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.harness.guest.GuestKit;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import dev.rayos.machine.image.GuestParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's end-to-end tests' tools: build an image with the real {@code rayos image build}
 * (from the shaded jar the build just made), boot it with the real {@code rayos harness run} under
 * OVMF and systemd-boot, and extract its data partition to read back with the real readers.
 */
final class Vm {
    private Vm() {}

    /** Skips where QEMU is absent (the one allowed reason); fails loudly when another part is missing. */
    static void requireQemu() {
        Assumptions.assumeTrue(GuestKit.qemuPresent(), "qemu-system-x86_64 absent: run .ci/install-harness.sh");
        assertThat(GuestParts.missing()).as("parts of the image").isEmpty();
        assertThat(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd")).as("OVMF (run .ci/install-machine.sh)").exists();
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("rayos.jar", "target/rayos.jar"));
        assertThat(jar).as("the shaded rayos.jar (these tests run after package)").exists();
        return jar;
    }

    /** A component: its name, its shell script, whether it runs in safe mode. */
    record Part(String name, String script, boolean safe) {}

    /** Builds an image in {@code dir} with the given policy text and components. */
    static Path build(Path dir, String name, String policy, Part... parts) throws Exception {
        return buildWith(dir, name, policy, null, null, parts);
    }

    /** {@link #build} with a data partition seeded from {@code data} and kernel options (each may be null). */
    static Path buildWith(Path dir, String name, String policy, Path data, String kernelOptions, Part... parts) throws Exception {
        List<String> args = new ArrayList<>(List.of("image", "build", "--out", dir.resolve(name).toString(), "--size", "768M",
                "--jar", jar().toString()));
        if (data != null) {
            args.addAll(List.of("--data", data.toString()));
        }
        if (kernelOptions != null) {
            args.addAll(List.of("--kernel-options", kernelOptions));
        }
        if (policy != null) {
            Path p = dir.resolve(name + ".policy.conf");
            Files.writeString(p, policy);
            args.addAll(List.of("--policy", p.toString()));
        }
        for (Part c : parts) {
            Path s = dir.resolve(name + "." + c.name() + ".sh");
            Files.writeString(s, "#!/bin/sh\n" + c.script() + "\n");
            args.addAll(List.of("--component", c.name() + "=" + s + (c.safe() ? ":safe" : "")));
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("rayos image: image: ");
        return dir.resolve(name);
    }

    /** Runs the harness on {@code image} (which it writes: --keep-disk), returning its result; the console is in {@code serial}. */
    static Cli.Result boot(Path image, Path serial, int boots, String... expectsAndSends) {
        List<String> args = new ArrayList<>(List.of("--root", serial.getParent().resolve("host").toString(), "harness", "run",
                "--image", image.toString(), "--keep-disk", "--boots", Integer.toString(boots), "-q",
                "--serial-log", serial.toString()));
        args.addAll(List.of(expectsAndSends));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The console as text, CR removed, for assertion messages. */
    static String console(Path serial) throws Exception {
        return Files.exists(serial) ? new String(Files.readAllBytes(serial), StandardCharsets.UTF_8).replace("\r", "") : "";
    }

    /** Extracts the data partition to a new root and returns it. */
    static Path extract(Path image, Path to) {
        Cli.Result r = Cli.run("image", "extract", image.toString(), "--to", to.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        return to;
    }

    /** The boots of an extracted root, oldest first. */
    static List<BootRecord> history(Path root) throws Exception {
        List<BootRecord> all = new ArrayList<>(new Boots(new RootLayout(root), LogClock.system()).list().boots());
        all.sort(Comparator.comparingLong(BootRecord::seq));
        return all;
    }

    /** The ESP's entry file names inside the image. */
    static List<String> entries(Path image) {
        Cli.Result r = Cli.run("boot-entries", "--image", image.toString(), "list", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"entry\":\"([^\"]+)\"").matcher(r.out());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Runs {@code e2fsck} or {@code debugfs -w} requests on the image's data partition in place (e2fsprogs
     * open a file system at an offset with {@code FILE?offset=N}, but cannot reopen it so after replaying
     * a journal: the partition must have been cleanly unmounted); returns the exit status.
     */
    static int onData(Path image, String... cmd) throws Exception {
        long offset = dev.rayos.machine.disk.PartitionTable.read(image).data().orElseThrow().offset();
        List<String> argv = new ArrayList<>(List.of(cmd));
        argv.add(image + "?offset=" + offset);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/sbin:/sbin:/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as(out).isTrue();
        return p.exitValue();
    }

    /** Damages the data partition with {@code debugfs -w} requests, each of which must succeed. */
    static void damageData(Path image, String... requests) throws Exception {
        for (String q : requests) {
            assertThat(onData(image, "debugfs", "-w", "-R", q)).as(q).isZero();
        }
    }
}
