package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.cli.recovery.RecoveryAction;
import dev.rayos.cli.recovery.RecoveryActions;
import dev.rayos.log.root.BootId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos recovery} in a child JVM over plain pipes, as a serial line or a script gives it:
 * line mode, numbered menu, no escape codes, every screen ending in a prompt.
 */
class RecoveryLineModeTest {
    @TempDir
    Path tmp;

    private Cli.Result console(Path root, String script, String... more) throws Exception {
        String[] args = new String[3 + more.length];
        args[0] = "--root";
        args[1] = root.toString();
        args[2] = "recovery";
        System.arraycopy(more, 0, args, 3, more.length);
        return Cli.process(script.getBytes(StandardCharsets.UTF_8), args);
    }

    @Test
    void overAPipeItListsTheBootsWithWhyTheFailedOneFailedAndShowsThatBootsLogs() throws Exception {
        Path root = tmp.resolve("root");
        BootId failed = FailedBootRoot.make(root);

        Cli.Result r = console(root, "1\n2\n-1\nq\n");

        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).startsWith("RAYOS_RECOVERY_READY terminal=this terminal mode=line\n");
        assertThat(out).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(out).containsPattern(" -1 +" + failed.hex() + " .* normal +crash .* crash: "
                + FailedBootRoot.REASON + "\n");
        assertThat(out).contains("== Logs of a boot (boot " + failed.hex() + " #1 normal crash) ==\n")
                .contains("ERROR disk MOUNT_FAILED dev=/dev/vda2 detail=\"superblock unreadable\"");
        assertThat(out).contains("  1  Boots: history, end states, why each failed\n", "  2  Logs of a boot\n",
                "  3  Crash reports\n", "  q  Leave the console\n");
        assertThat(out).endsWith("]> ");
    }

    @Test
    void badInputIsOneLineAndTheSameMenuAgainAndIsLogged() throws Exception {
        Path root = tmp.resolve("root");
        FailedBootRoot.make(root);

        Cli.Result r = console(root, "7x\n2\nfeedfacefeed\n\u001b[A\nq\n");

        assertThat(r.exit()).as(r.err()).isZero();
        String menu = r.out().substring(r.out().indexOf("\nRayOS recovery - "), r.out().indexOf("]> ") + 3);
        assertThat(r.out()).contains("unknown choice '7x': type a number from 1 to ")
                .containsPattern("unknown choice '7x': type a number from 1 to [0-9]+, or q to leave\n"
                        + java.util.regex.Pattern.quote(menu));
        assertThat(r.out()).containsPattern("\\(Enter: the current boot\\)> rayos: [^\n]*feedfacefeed[^\n]*\n" + "\nRayOS");
        assertThat(r.out()).contains("unknown choice '\\x1b[A'");
        String events = ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY*").out();
        assertThat(events).contains("NOTICE recovery RAYOS_RECOVERY_READY terminals=\"this terminal (line)\"")
                .containsPattern("RAYOS_RECOVERY_ACTION action=logs result=bad-input exit=2 terminal=\"this terminal\"");
    }

    @Test
    void longOutputIsPagedWithAPromptAfterEachPage() throws Exception {
        Path root = tmp.resolve("root");
        FailedBootRoot.make(root);

        Cli.Result r = console(root, "2\n-1\n\n2\n-1\nq\nq\n", "--page-lines", "3");

        assertThat(r.exit()).as(r.err()).isZero();
        String prompt = "ERROR disk MOUNT_FAILED dev=/dev/vda2 detail=\"superblock unreadable\"\n"
                + "-- lines 1-3 of 4: Enter for more, q for the menu --> ";
        // Enter: the fourth line and the end; q: straight back to the menu
        assertThat(r.out()).contains(prompt + "2026").contains(prompt + "\nRayOS recovery - ")
                .containsPattern("RAYOS_PANIC [^\n]*\n== end of Logs of a boot \\(4 lines\\) ==\n");
        String events = ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY_ACTION").out();
        assertThat(events).contains("action=logs result=ok exit=0");
    }

    @Test
    void theShellGetsTheTerminalAndTheConsoleGoesOnWhenItExits() throws Exception {
        Path root = tmp.resolve("root");
        FailedBootRoot.make(root);
        List<String> ids = RecoveryActions.available(RecoveryActions.standard(), new InProcessCommand(null, 1 << 20),
                false).stream().map(RecoveryAction::id).toList();
        assumeTrue(ids.contains("shell"), "no sh on PATH: skipped");

        Cli.Result r = console(root, (ids.indexOf("shell") + 1) + "\necho shell-says-$((6*7))\nexit 3\nq\n");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("shell-says-42\n").contains("Shell ended (exit 3)\n\nRayOS recovery - ");
        assertThat(ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY_ACTION").out())
                .contains("action=shell result=started").contains("action=shell result=failed exit=3");
    }

    @Test
    void aBadOptionOrAMissingDeviceIsOneLineExit2AndWritesNothing() throws Exception {
        Path root = tmp.resolve("root");
        for (String[] args : new String[][] {{"recovery", "--mode", "fancy"}, {"recovery", "--serial", "/dev/no-such-tty"},
                {"recovery", "--page-lines", "0"}, {"recovery", "--term", "../x"}}) {
            Cli.Result r = Cli.onRoot(root, args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1).allMatch(l -> l.startsWith("rayos: "));
        }
        assertThat(root).doesNotExist();
    }

    @Test
    void resettingAVmsSavedStateListsTheVmsRefusesABadNameAndKeepsTheDisk() throws Exception {
        Path root = tmp.resolve("root");
        FailedBootRoot.make(root);
        Path vm = root.resolve("var/rayos/vm/linux");
        Files.createDirectories(vm.resolve("state"));
        byte[] disk = new byte[256 << 10];
        new java.util.Random(3).nextBytes(disk);
        Files.write(vm.resolve("disk0.raw"), disk);
        Files.writeString(vm.resolve("state/savevm.bin"), "saved state");
        List<String> ids = RecoveryActions.available(RecoveryActions.standard(), new InProcessCommand(null, 1 << 20),
                false).stream().map(RecoveryAction::id).toList();
        assumeTrue(ids.contains("vm-reset-state"), "this build has no 'rayos vm reset-state': skipped");
        String n = String.valueOf(ids.indexOf("vm-reset-state") + 1);

        Cli.Result r = console(root, n + "\n../etc\n" + n + "\nlinux\nreset\n" + n + "\nlinux\nRESET\nq\n");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\nlinux +1 +262144 ")
                .contains("> '../etc' is not a VM name (letters, digits, '_', '.', '-'; see the list): nothing changed\n")
                .contains("type RESET to go on, anything else cancels> not confirmed: nothing changed\n");
        assertThat(vm.resolve("state/savevm.bin")).doesNotExist();
        assertThat(vm.resolve("disk0.raw")).hasBinaryContent(disk);
        assertThat(ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY_ACTION").out())
                .contains("action=vm-reset-state result=bad-input terminal=\"this terminal\"")
                .contains("action=vm-reset-state result=cancelled")
                .contains("action=vm-reset-state result=ok exit=0");
    }

    @Test
    void checkAndRepairRunsE2fsckPreenAndOffersYesOnlyForWhatPreenLeftRunningItOnlyWhenTyped() throws Exception {
        Path root = tmp.resolve("root");
        FailedBootRoot.make(root);
        // the data partition /init found and left unmounted: a real ext4 image with an inode scribbled on
        Path img = tmp.resolve("data.img");
        Path content = Files.createDirectories(tmp.resolve("content/scratch"));
        Files.writeString(content.resolve("junk.txt"), "scratch\n");
        assumeTrue(tool("mke2fs", "-q", "-t", "ext4", "-F", "-d", tmp.resolve("content").toString(), img.toString(), "8M") == 0,
                "e2fsprogs is absent (.ci/install-machine.sh installs it)");
        assertThat(tool("debugfs", "-w", "-R", "sif /scratch/junk.txt mode 0140644", img.toString())).isZero();
        assertThat(tool("debugfs", "-w", "-R", "ssv state 2", img.toString())).isZero();
        Files.createDirectories(root.resolve("run/rayos"));
        Files.writeString(root.resolve("run/rayos/data-device"), img + "\n");
        List<String> ids = RecoveryActions.available(RecoveryActions.standard(), new InProcessCommand(null, 1 << 20),
                false).stream().map(RecoveryAction::id).toList();
        String n = String.valueOf(ids.indexOf("repair") + 1);

        Cli.Result r = console(root, n + "\nREPAIR\nyes\n" + n + "\nREPAIR\nYES\nq\n");

        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("would fsck " + img + ": e2fsck -n found ")
                .contains("NOT REPAIRED filesystem: e2fsck -p left errors on " + img)
                .contains("e2fsck -y answers yes to every question")
                .contains("Type YES to go on, anything else leaves it as it is> not confirmed: repair --yes not run\n");
        int second = out.lastIndexOf("Type YES to go on");
        assertThat(out.substring(second)).contains("fsck " + img + ": e2fsck -y fixed");
        assertThat(tool("e2fsck", "-f", "-n", img.toString())).as("clean after the typed YES").isZero();
        assertThat(ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY_ACTION").out())
                .contains("action=repair-yes result=cancelled").contains("action=repair-yes result=started")
                .contains("action=repair-yes result=ok exit=0").contains("action=repair-fsck result=done check=filesystem");
    }

    @Test
    void whatTheConsoleAndItsToolsDidIsInTheRecoveryBootsLogWhichTheNextNormalBootShows() throws Exception {
        Path root = tmp.resolve("root");
        FailedBootRoot.make(root); // the recovery boot is running
        Files.writeString(root.resolve("var/rayos/logs/boot/notes.txt"), "not a log\n");
        List<String> ids = RecoveryActions.available(RecoveryActions.standard(), new InProcessCommand(null, 1 << 20),
                false).stream().map(RecoveryAction::id).toList();
        String repair = String.valueOf(ids.indexOf("repair") + 1);

        Cli.Result r = console(root, "1\n" + repair + "\nREPAIR\nq\n");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Cli.onRoot(root, "shutdown").exit()).isZero();
        assertThat(Cli.onRoot(root, "boot").exit()).as("the next normal boot").isZero();

        Cli.Result boots = Cli.onRoot(root, "boots");
        assertThat(boots.out()).containsPattern("\n +-1 +[0-9a-f]{32} .* recovery +clean ");
        String before = ReadingCli.run(root, "logs", "-b", "-1", "--grep", "RAYOS_RECOVERY_ACTION").out();
        assertThat(before).contains("action=boots result=ok exit=0 terminal=\"this terminal\"")
                .contains("action=repair result=started terminal=")
                .contains("action=repair-quarantine result=done check=logs path=var/rayos/logs/boot/notes.txt")
                .contains("action=repair result=done changes=1 unresolved=0")
                .contains("action=repair result=ok exit=0 terminal=");
        assertThat(ReadingCli.run(root, "logs", "-b", "0", "--grep", "RAYOS_RECOVERY_ACTION").out())
                .as("none in the normal boot's own log").doesNotContain("RAYOS_RECOVERY_ACTION");
    }

    private static int tool(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } catch (java.io.IOException absent) {
            return -1;
        }
    }
}
