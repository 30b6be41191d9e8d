package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import dev.rayos.recovery.FactoryReset;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rayos repair}, {@code rayos vm}, {@code rayos factory-reset} as a user runs them. */
class RecoveryCommandsTest {
    @TempDir
    Path root;

    @BeforeEach
    void machine() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        assertThat(Cli.onRoot(root, "log", "kernel", "RAYOS_READY").exit()).isZero();
        Path vm = root.resolve("var/rayos/vm/linux");
        Files.createDirectories(vm.resolve("state"));
        Files.write(vm.resolve("disk0.raw"), new byte[8192]);
        Files.writeString(vm.resolve("state/vm.state"), "saved");
    }

    static TreeMap<String, String> tree(Path dir) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String v;
                if (Files.isSymbolicLink(p)) {
                    v = "link";
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    v = "dir";
                } else {
                    try {
                        v = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                    } catch (java.security.NoSuchAlgorithmException e) {
                        throw new IllegalStateException(e);
                    }
                }
                out.put(dir.relativize(p).toString(), v);
            }
        }
        return out;
    }

    private void badInput(Cli.Result r, String says) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as("stderr").singleElement().asString().startsWith("rayos: ").contains(says);
    }

    @Test
    void resetStateOfAnUnknownOrMalformedVmIsOneLineExitTwoAndChangesNothing() throws Exception {
        TreeMap<String, String> before = tree(root);
        badInput(Cli.onRoot(root, "vm", "reset-state", "windows"), "no VM named 'windows'");
        for (String bad : List.of("../linux", "linux/state", "..", "a/../../etc")) {
            badInput(Cli.onRoot(root, "vm", "reset-state", bad), "is not a letter or digit");
        }
        badInput(Cli.onRoot(root, "vm", "reset-state"), "");
        assertThat(tree(root)).isEqualTo(before);
    }

    @Test
    void vmListThenResetStateRemovesTheSavedStateOnly() throws Exception {
        Cli.Result list = Cli.onRoot(root, "vm", "list");
        assertThat(list.out()).contains("linux").contains("1 VMs.");
        Cli.Result r = Cli.onRoot(root, "vm", "reset-state", "--all");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("delete var/rayos/vm/linux/state: saved state");
        assertThat(Files.exists(root.resolve("var/rayos/vm/linux/state"))).isFalse();
        assertThat(Files.readAllBytes(root.resolve("var/rayos/vm/linux/disk0.raw"))).isEqualTo(new byte[8192]);
    }

    @Test
    void factoryResetWithoutConfirmationIsOneLineExitTwoAndChangesNothing() throws Exception {
        TreeMap<String, String> before = tree(root);
        Cli.Result none = Cli.process(new byte[0], "--root", root.toString(), "factory-reset", "--preserve-vm-disks");
        badInput(none, "factory reset not confirmed");
        Cli.Result wrong = Cli.process("yes\n".getBytes(StandardCharsets.UTF_8), "--root", root.toString(),
                "factory-reset", "--wipe-all");
        badInput(wrong, "factory reset not confirmed");
        badInput(Cli.onRoot(root, "factory-reset", "--preserve-vm-disks", "--wipe-all", "--yes"), "mutually exclusive");
        badInput(Cli.onRoot(root, "factory-reset", "--yes"), "");
        assertThat(tree(root)).isEqualTo(before);
    }

    @Test
    void typingTheConfirmationWordResetsAndTheNextBootIsAFirstBoot() throws Exception {
        Cli.Result r = Cli.process("RESET\n".getBytes(StandardCharsets.UTF_8), "--root", root.toString(),
                "factory-reset", "--preserve-vm-disks");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Type RESET to go on").contains("factory-reset preserve-vm-disks: done");
        assertThat(Files.exists(root.resolve("var/rayos/vm/linux/disk0.raw"))).isTrue();
        assertThat(Files.exists(root.resolve("var/rayos/vm/linux/state"))).isFalse();
        assertThat(Cli.onRoot(root, "boots").out()).doesNotContain("recovery");
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        assertThat(new Boots(new RootLayout(root), LogClock.system()).list().boots()).singleElement()
                .satisfies(b -> assertThat(b.seq()).isZero());
    }

    @Test
    void aResetCutOffMidwayIsFinishedByTheNextBoot() throws Exception {
        FactoryReset.Progress cut = new FactoryReset.Progress() {
            @Override
            public void stepDone(String step) throws IOException {
                if (step.equals("wipe-logs")) {
                    throw new IOException("power lost");
                }
            }
        };
        RootLayout l = new RootLayout(root);
        try {
            new FactoryReset(l, List.of(), cut).run(FactoryReset.Mode.PRESERVE_VM_DISKS,
                    FactoryReset.standardSteps(FactoryReset.Mode.PRESERVE_VM_DISKS));
        } catch (IOException expected) {
            // cut off after the logs were wiped, before the history
        }
        assertThat(FactoryReset.pending(l)).isTrue();
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        assertThat(FactoryReset.pending(l)).isFalse();
        assertThat(Files.exists(root.resolve("var/rayos/vm/linux/state"))).isFalse();
        assertThat(new Boots(l, LogClock.system()).list().boots()).singleElement()
                .satisfies(b -> assertThat(b.seq()).isZero());
    }

    @Test
    void aMistypedRootIsExitNineInOneLineForEachRecoveryCommandAndNothingIsCreated() throws Exception {
        Path typo = root.resolveSibling(root.getFileName() + "-typo");
        for (String[] args : new String[][] {{"repair"}, {"repair", "--dry-run"}, {"vm", "list"},
                {"vm", "reset-state", "--all"}, {"factory-reset", "--preserve-vm-disks", "--yes"},
                {"factory-reset", "--wipe-all"}, {"recovery"}}) {
            Cli.Result r = Cli.process(new byte[0], cat(new String[] {"--root", typo.toString()}, args));
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(9);
            assertThat(r.err().strip().lines()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("rayos: no RayOS machine at " + typo);
            assertThat(r.out()).as(String.join(" ", args) + ": nothing asked").isEmpty();
            assertThat(typo).as(String.join(" ", args)).doesNotExist();
        }
    }

    @Test
    void repairOfADeviceThatIsNotThereIsOneLineExitTwoAndChangesNothing() throws Exception {
        Files.writeString(root.resolve("var/rayos/logs/boot/stray.txt"), "x");
        TreeMap<String, String> before = tree(root);
        badInput(Cli.onRoot(root, "repair", "--device", root.resolve("no-such-disk").toString()), "no device '");
        badInput(Cli.onRoot(root, "repair", "--device", ""), "no device ''");
        badInput(Cli.onRoot(root, "repair", "--device", root.toString()), "is a directory");
        assertThat(tree(root)).isEqualTo(before);
    }

    private static String[] cat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void repairDryRunPrintsEachChangeAndMakesNone() throws Exception {
        Files.writeString(root.resolve("var/rayos/boot/current_boot_id"), "garbage\n");
        Files.writeString(root.resolve("var/rayos/logs/boot/stray.txt"), "x");
        TreeMap<String, String> before = tree(root);
        Cli.Result dry = Cli.onRoot(root, "repair", "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would quarantine var/rayos/boot/current_boot_id: not a boot id")
                .contains("would quarantine var/rayos/logs/boot/stray.txt")
                .contains("changes would be made (dry run: none made)");
        assertThat(tree(root)).isEqualTo(before);
        Cli.Result real = Cli.onRoot(root, "repair");
        assertThat(real.exit()).as(real.err()).isZero();
        assertThat(real.out()).contains("quarantine var/rayos/logs/boot/stray.txt").contains("changes made");
        assertThat(root.resolve("var/rayos/recovery/quarantine/var/rayos/logs/boot/stray.txt")).hasContent("x");
    }
}
