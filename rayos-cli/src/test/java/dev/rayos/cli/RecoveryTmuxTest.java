package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.log.root.BootId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos recovery} in a child JVM on real terminals (tmux windows of a fixed size): keys typed,
 * the screen read back. Full screen on a terminal JLine knows, line mode on a dumb one, two
 * terminals at once as the recovery boot runs it (display and serial line); in each mode the failed
 * boot's log, a dry-run repair (then, full screen, a confirmed one) and a preserve-VM-disks factory
 * reset, each refused first without its word. Windows are 100 x 30, 160 wide where a status line with a long root must fit.
 */
class RecoveryTmuxTest {
    @TempDir
    Path tmp;

    private Tmux tmux;
    private Path root;
    private BootId failed;

    @BeforeEach
    void machineWithAFailedBoot() throws Exception {
        assumeTrue(Tmux.installed(), "tmux is not installed (.ci/install-console.sh installs it): skipped");
        tmux = new Tmux();
        root = tmp.resolve("root");
        failed = FailedBootRoot.make(root);
    }

    @AfterEach
    void stop() throws Exception {
        if (tmux != null) {
            tmux.close();
        }
    }

    @Test
    void fullScreenShowsTheFailedBootsLogWithItsIdInTheStatusLineFiltersByLevelAndSearches() throws Exception {
        tmux.window("c", 160, 30, Tmux.rayos("TERM=screen", tmp.resolve("err"), "--root", root.toString(), "recovery"));
        String menu = tmux.awaitThen("c", "choice [1-", "| root ");
        assertThat(menu).contains("RayOS recovery console", "   1  Boots: history, end states, why each failed",
                "   2  Logs of a boot").doesNotContain("RAYOS_RECOVERY_READY");
        assertThat(lastLine(menu)).startsWith("boot ").contains("(recovery) | root " + root);

        tmux.type("c", "2");
        tmux.await("c", "Which boot?");
        tmux.type("c", "-1");
        String logs = tmux.awaitThen("c", "MOUNT_FAILED", "| lines ");
        assertThat(lastLine(logs)).startsWith("Logs of a boot | boot " + failed.hex() + " #1 normal crash | level all | lines 1-4 of 4");
        assertThat(logs.lines().toList().get(0)).contains("NOTICE boot BOOT_START boot_id=" + failed.hex());

        tmux.keys("c", "l");
        tmux.await("c", "level (TRACE");
        tmux.type("c", "ERROR");
        String errors = tmux.await("c", "level ERROR");
        assertThat(lastLine(errors)).contains("| level ERROR | lines 1-2 of 2");
        assertThat(errors).doesNotContain("BOOT_START", "RAYOS_KERNEL_START").contains("ERROR disk MOUNT_FAILED");

        tmux.keys("c", "/");
        tmux.type("c", "panic");
        String found = tmux.await("c", "| lines 2-2 of 2");
        assertThat(found.lines().toList().get(0)).contains("EMERG init RAYOS_PANIC");

        tmux.keys("c", "q");
        tmux.await("c", "choice [1-");
        tmux.type("c", "1"); // the boots table is wider than the screen: the WHY column is off to the right
        String boots = tmux.await("c", "Boots: history, end states, why each failed | lines 1-");
        assertThat(boots).contains(failed.hex()).doesNotContain("crash: " + FailedBootRoot.REASON);
        tmux.keys("c", "Right");
        assertThat(tmux.await("c", "| from column 81")).contains("crash: " + FailedBootRoot.REASON);
        tmux.keys("c", "q");
        tmux.await("c", "choice [1-");
        tmux.type("c", "42");
        assertThat(tmux.await("c", "unknown choice '42'")).contains("   1  Boots: history");
        tmux.type("c", "q");
        tmux.await("c", "[exit 0]");
        assertThat(Files.readString(tmp.resolve("err"))).isEmpty();
    }

    @Test
    void aDumbTerminalGetsLineModeANumberedMenuEndingInAPrompt() throws Exception {
        tmux.window("c", 100, 30, Tmux.rayos("TERM=dumb", tmp.resolve("err"), "--root", root.toString(), "recovery"));
        String menu = tmux.await("c", "choice [1-");
        assertThat(menu).contains("RAYOS_RECOVERY_READY terminal=this terminal mode=line", "  1  Boots: history");
        assertThat(lastNonEmptyLine(menu)).startsWith("choice [1-");
        tmux.type("c", "1");
        String boots = tmux.awaitThen("c", "== end of Boots", "choice [1-");
        assertThat(boots).contains(failed.hex()).contains("crash: " + FailedBootRoot.REASON);
        assertThat(lastNonEmptyLine(boots)).startsWith("choice [1-");
    }

    @Test
    void displayAndSerialLineDriveOneConsoleAndTheSecondSeesTheFirstsActionRunning() throws Exception {
        tmux.window("display", 100, 30, "sleep 600");
        tmux.window("serial", 100, 30, "sleep 600");
        String display = tmux.tty("display");
        String serial = tmux.tty("serial");
        tmux.window("console", 100, 30, Tmux.rayos("TERM=dumb", tmp.resolve("err"), "--root", root.toString(),
                "recovery", "--display", display, "--serial", serial));
        assertThat(tmux.await("serial", "choice [1-")).contains("RAYOS_RECOVERY_READY terminal=" + serial + " mode=line");
        assertThat(tmux.await("display", "choice [1-")).contains("RayOS recovery console");

        tmux.type("display", "2"); // the logs action holds the console while it asks which boot
        tmux.await("display", "Which boot?");
        tmux.type("serial", "1");
        tmux.await("serial", "busy: Logs of a boot running on " + display);

        tmux.type("display", "-1");
        assertThat(lastLine(tmux.awaitThen("display", "MOUNT_FAILED", "| lines "))).contains("boot " + failed.hex());
        tmux.type("serial", "1");
        assertThat(tmux.await("serial", "== end of Boots")).contains("crash: " + FailedBootRoot.REASON);

        List<String> events = ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY_*").out().lines().toList();
        assertThat(String.join("\n", events)).contains("RAYOS_RECOVERY_READY terminals=\"" + display + " (full), "
                + serial + " (line)\"").contains("action=boots result=busy terminal=" + serial);
    }

    @Test
    void fullScreenShowsWhatRepairWouldChangeAndRepairsOnlyOnceConfirmed() throws Exception {
        Path history = root.resolve("var/rayos/boot/history/" + failed.hex() + ".json");
        byte[] torn = java.util.Arrays.copyOf(Files.readAllBytes(history), 40);
        Files.write(history, torn);
        Path quarantined = root.resolve("var/rayos/recovery/quarantine/var/rayos/boot/history/" + failed.hex() + ".json");
        tmux.window("c", 160, 30, Tmux.rayos("TERM=screen", tmp.resolve("err"), "--root", root.toString(), "recovery"));
        String repair = entry(tmux.await("c", "choice [1-"), "Check and repair");

        tmux.type("c", repair);
        String dry = tmux.awaitThen("c", "would quarantine var/rayos/boot/history/" + failed.hex() + ".json", "| lines ");
        assertThat(lastLine(dry)).startsWith("Check and repair: repair --dry-run | lines 1-");
        assertThat(dry).contains("(dry run: none made)");
        tmux.keys("c", "q");
        tmux.await("c", "type REPAIR to go on");
        tmux.type("c", "repair");
        tmux.await("c", "not confirmed: nothing changed");
        assertThat(Files.readAllBytes(history)).isEqualTo(torn);
        assertThat(quarantined).doesNotExist();

        tmux.type("c", repair);
        tmux.await("c", "(dry run: none made)");
        tmux.keys("c", "q");
        tmux.await("c", "type REPAIR to go on");
        tmux.type("c", "REPAIR");
        tmux.await("c", "repair: 1 changes made");
        assertThat(quarantined).hasBinaryContent(torn);
        assertThat(history).doesNotExist();
    }

    @Test
    void lineModeShowsTheFailedBootsLogAndWhatRepairWouldChangeAndChangesNothingUnconfirmed() throws Exception {
        tmux.window("c", 160, 30, Tmux.rayos("TERM=dumb", tmp.resolve("err"), "--root", root.toString(), "recovery",
                "--page-lines", "200"));
        String menu = tmux.await("c", "choice [1-");
        String logs = entry(menu, "Logs of a boot");
        String repair = entry(menu, "Check and repair");

        tmux.type("c", logs);
        tmux.await("c", "Which boot?");
        tmux.type("c", "-1");
        String log = tmux.awaitThen("c", "== end of Logs of a boot", "choice [1-");
        assertThat(log).contains("== Logs of a boot (boot " + failed.hex() + " #1 normal crash) ==")
                .contains("ERROR disk MOUNT_FAILED dev=/dev/vda2").contains("EMERG init RAYOS_PANIC");
        assertThat(lastNonEmptyLine(log)).startsWith("choice [1-");

        Path history = root.resolve("var/rayos/boot/history/" + failed.hex() + ".json");
        byte[] torn = java.util.Arrays.copyOf(Files.readAllBytes(history), 40);
        Files.write(history, torn); // a history file cut off by a power loss
        tmux.type("c", repair);
        String dry = tmux.awaitThen("c", "(dry run: none made)", "type REPAIR to go on");
        assertThat(dry).contains("would quarantine var/rayos/boot/history/" + failed.hex() + ".json");
        tmux.type("c", "no");
        assertThat(lastNonEmptyLine(tmux.awaitThen("c", "not confirmed: nothing changed", "choice [1-")))
                .startsWith("choice [1-");
        assertThat(Files.readAllBytes(history)).as("nothing changed").isEqualTo(torn);
        assertThat(root.resolve("var/rayos/recovery/quarantine")).doesNotExist();
    }

    @Test
    void lineModeFactoryResetKeepsTheVmDiskByteForByteAndOnlyAfterTheConfirmationWord() throws Exception {
        factoryResetKeepingTheVmDisk("TERM=dumb");
    }

    @Test
    void fullScreenFactoryResetKeepsTheVmDiskByteForByteAndOnlyAfterTheConfirmationWord() throws Exception {
        factoryResetKeepingTheVmDisk("TERM=screen");
    }

    private void factoryResetKeepingTheVmDisk(String term) throws Exception {
        boolean full = term.equals("TERM=screen");
        Path vm = root.resolve("var/rayos/vm/linux");
        Files.createDirectories(vm.resolve("state"));
        byte[] disk = new byte[1 << 20];
        new java.util.Random(7).nextBytes(disk);
        Files.write(vm.resolve("disk0.raw"), disk);
        Files.writeString(vm.resolve("state/savevm.bin"), "saved state");
        tmux.window("c", 160, 30, Tmux.rayos(term, tmp.resolve("err"), "--root", root.toString(), "recovery"));
        String reset = entry(tmux.await("c", "choice [1-"), "Factory reset, keep VM disks");

        tmux.type("c", reset);
        tmux.await("c", "type RESET to go on");
        tmux.type("c", "reset");
        tmux.await("c", "not confirmed: nothing changed");
        assertThat(vm.resolve("state/savevm.bin")).exists();
        assertThat(root.resolve("var/rayos/boot/history/" + failed.hex() + ".json")).exists();

        tmux.type("c", reset);
        tmux.await("c", "type RESET to go on");
        tmux.type("c", "RESET");
        if (full) { // the report opens in the viewer; q goes back to the menu
            String shown = tmux.awaitThen("c", "factory-reset preserve-vm-disks: done", "| lines ");
            assertThat(lastLine(shown)).startsWith("Factory reset, keep VM disks | ");
            tmux.keys("c", "q");
            assertThat(lastLine(tmux.await("c", "choice [1-"))).startsWith("boot none");
        } else {
            String done = tmux.awaitThen("c", "factory-reset preserve-vm-disks: done", "choice [1-");
            assertThat(lastNonEmptyLine(done)).startsWith("choice [1-");
            assertThat(done).contains("RayOS recovery - boot none");
        }
        assertThat(sha256(Files.readAllBytes(vm.resolve("disk0.raw")))).isEqualTo(sha256(disk));
        assertThat(vm.resolve("state")).doesNotExist();
        assertThat(root.resolve("var/rayos/boot/history")).doesNotExist();
        try (var files = Files.walk(root.resolve("var/rayos/crash"))) {
            List<Path> kept = files.filter(f -> f.getFileName().toString().startsWith(failed.hex())).toList();
            assertThat(kept).as("the failed boot's crash report is kept").isNotEmpty();
        }
        try (var files = Files.walk(root.resolve("var/rayos/crash/preserved"))) {
            String preservedLogs = files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log"))
                    .map(RecoveryTmuxTest::read).reduce("", String::concat);
            assertThat(preservedLogs).contains("RAYOS_RECOVERY_ACTION action=factory-reset-preserve result=started");
        }
    }

    /** The number the menu on {@code screen} gives the entry labelled {@code label}. */
    private static String entry(String screen, String label) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ *([0-9]+)  " + java.util.regex.Pattern.quote(label))
                .matcher(screen);
        assertThat(m.find()).as("entry '" + label + "' on the menu:\n" + screen).isTrue();
        return m.group(1);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String lastLine(String screen) {
        List<String> l = screen.lines().toList();
        return l.get(l.size() - 1);
    }

    private static String lastNonEmptyLine(String screen) {
        List<String> l = screen.lines().filter(s -> !s.isBlank()).toList();
        return l.get(l.size() - 1);
    }
}
