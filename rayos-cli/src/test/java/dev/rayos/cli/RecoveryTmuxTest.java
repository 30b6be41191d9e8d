package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rayos.log.boot.BootId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rayos recovery} in a child JVM on real terminals (tmux windows): keys typed,
 * the screen read back. Full screen on a terminal JLine knows, line mode on a dumb one, and two
 * terminals at once as the recovery boot runs it (display and serial line). Windows are 100 x 30
 * (160 where a status line with a long root must fit).
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
        String menu = tmux.await("c", "choice [1-");
        assertThat(menu).contains("RayOS recovery console", "   1  Boots: history, end states, why each failed",
                "   2  Logs of a boot").doesNotContain("RAYOS_RECOVERY_READY");
        assertThat(lastLine(menu)).startsWith("boot ").contains("(recovery) | root " + root);

        tmux.type("c", "2");
        tmux.await("c", "Which boot?");
        tmux.type("c", "-1");
        String logs = tmux.await("c", "MOUNT_FAILED");
        assertThat(lastLine(logs)).startsWith("Logs of a boot | boot " + failed.hex() + " #0 normal crash | level all | lines 1-4 of 4");
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
        String boots = tmux.await("c", "== end of Boots");
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
        assertThat(lastLine(tmux.await("display", "MOUNT_FAILED"))).contains("boot " + failed.hex());
        tmux.type("serial", "1");
        assertThat(tmux.await("serial", "== end of Boots")).contains("crash: " + FailedBootRoot.REASON);

        List<String> events = ReadingCli.run(root, "logs", "--event", "RAYOS_RECOVERY_*").out().lines().toList();
        assertThat(String.join("\n", events)).contains("RAYOS_RECOVERY_READY terminals=\"" + display + " (full), "
                + serial + " (line)\"").contains("action=boots result=busy terminal=" + serial);
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
