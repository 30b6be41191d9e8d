package dev.rayos.cli;

import dev.rayos.machine.image.GuestParts;
import dev.rayos.machine.image.ImageBuilder;
import dev.rayos.machine.image.ImageExtract;
import dev.rayos.machine.image.ImageSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rayos image}: build a bootable RayOS disk image, and read one back on the host. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build a bootable RayOS disk image (UEFI, systemd-boot, boot counting) and read its data back on the host.",
        subcommands = {ImageCommand.Build.class, ImageCommand.Extract.class})
final class ImageCommand implements Runnable {
    @ParentCommand
    RayosCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code rayos image build}. */
    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write a bootable x86_64 disk image: a GPT with an EFI system partition (systemd-boot, the kernel,",
                "an initramfs holding busybox, a Java runtime and rayos.jar, and three boot entries: normal with boot",
                "counting, safe mode, recovery) and an ext4 data partition (RAYOS_DATA, mounted at /var/rayos).",
                "Needs no root: sfdisk, mkfs.vfat, mtools and mke2fs write at the partitions' offsets.",
                "Each --component is an executable the boot agent starts; RAYOS_READY is logged once every",
                "component has exited 0 or printed READY. Components marked :safe also run in safe mode."},
            footer = {"", "Examples:",
                "  rayos image build --out rayos.img",
                "  rayos image build --out web.img --size 2G --component web=./web.sh:safe --component sync=./sync.sh",
                "  rayos image build --out test.img --policy policy.conf   # boot.ready_timeout, boot.max_failures",
                "", "Exit codes: 0 built, 2 bad input (nothing written), 3 a tool failed (no image left behind)."})
    static final class Build implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The image file to write.")
        Path out;
        @Option(names = "--size", paramLabel = "SIZE", defaultValue = "1G", description = "Image size (default: ${DEFAULT-VALUE}; at least 324M).")
        String size;
        @Option(names = "--component", paramLabel = "NAME=PATH[:safe]", description = "A component (repeatable), started in the order given.")
        List<String> components = new ArrayList<>();
        @Option(names = "--policy", paramLabel = "FILE", description = "The machine's policy (etc/rayos/policy.conf; docs/policy.md).")
        Path policy;
        @Option(names = "--data", paramLabel = "DIR", description = "Seed the data partition (/var/rayos) with this directory's contents.")
        Path data;
        @Option(names = "--kernel-options", paramLabel = "OPTS", defaultValue = "quiet",
                description = "Added to every entry's kernel line (default: ${DEFAULT-VALUE}).")
        String kernelOptions;
        @Option(names = "--jar", paramLabel = "FILE", description = "The rayos.jar to install (default: the one running).")
        Path jar;

        @Override
        public Integer call() throws IOException {
            PrintWriter err = image.spec.commandLine().getErr();
            ImageSpec spec;
            try {
                List<ImageSpec.Source> cs = new ArrayList<>();
                for (String c : components) {
                    cs.add(ImageSpec.parseComponent(c));
                }
                spec = new ImageSpec(out, ImageSpec.parseSize(size), cs, policy, data, jar != null ? jar : runningJar(),
                        kernelOptions);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            GuestParts parts;
            try {
                parts = GuestParts.find();
            } catch (IOException e) {
                throw new UserError("cannot build an image here: " + e.getMessage(), 3);
            }
            try {
                ImageBuilder.build(spec, parts, cacheDir(), line -> {
                    err.println("rayos image: " + line);
                    err.flush();
                });
            } catch (IOException e) {
                boolean input = e.getMessage() != null && (e.getMessage().startsWith("no ") || e.getMessage().startsWith("policy ")
                        || e.getMessage().startsWith("component ") || e.getMessage().startsWith("--data ") || e.getMessage().contains("is a directory"));
                throw new UserError("image build: " + e.getMessage(), input ? RayosCommand.EXIT_USAGE : 3);
            }
            image.spec.commandLine().getOut().println(out);
            image.spec.commandLine().getOut().flush();
            return 0;
        }

        private static Path runningJar() {
            try {
                Path p = Path.of(ImageCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                    return p;
                }
            } catch (Exception e) {
                // fall through to the message below
            }
            throw new UserError("not running from rayos.jar: give --jar FILE (mvn package makes rayos-cli/target/rayos.jar)");
        }

        private static Path cacheDir() {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("rayos").resolve("image");
        }
    }

    /** {@code rayos image extract}. */
    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Copy the data partition of an image (the machine's /var/rayos) to DIR/var/rayos, so that",
                "'rayos --root DIR boots|logs|crashes' reads the guest's history on the host. The image is not changed."},
            footer = {"", "Examples:", "  rayos image extract rayos.img --to /tmp/m && rayos --root /tmp/m boots",
                "", "Exit codes: 0 extracted, 2 bad input, 3 a tool failed."})
    static final class Extract implements Callable<Integer> {
        @ParentCommand
        ImageCommand image;

        @Parameters(index = "0", paramLabel = "FILE", description = "The image.")
        Path file;
        @Option(names = "--to", required = true, paramLabel = "DIR", description = "Where to put var/rayos.")
        Path to;

        @Override
        public Integer call() {
            try {
                Path t = ImageExtract.extract(file, to);
                image.spec.commandLine().getOut().println(t);
                image.spec.commandLine().getOut().flush();
                return 0;
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                throw new UserError("image extract: " + m, m.startsWith("no image") || m.contains("not empty")
                        || m.contains("symbolic link") ? RayosCommand.EXIT_USAGE : 3);
            }
        }
    }

}
