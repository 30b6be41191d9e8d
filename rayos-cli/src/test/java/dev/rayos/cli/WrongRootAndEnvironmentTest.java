package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, bugs 5, 6 and 10: a wrong root, an unreadable file and a damaged history, answered in words. */
class WrongRootAndEnvironmentTest {
    @TempDir
    Path tmp;

    Path root() {
        return tmp.resolve("root");
    }

    String boot() {
        Cli.Result r = Cli.onRoot(root(), "boot");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().trim();
    }

    @Test
    void readingCommandsOnAMistypedRootSayThereIsNoMachineThereAndExitNine() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        Path serial = tmp.resolve("console.log");
        Files.writeString(serial, "[    1.000000] Kernel panic - not syncing: test\n");
        for (String[] cmd : new String[][] {{"boots"}, {"crashes"}, {"logs"}, {"logs", "-b", "all"}, {"status"},
                {"analyze", "blame"}, {"crash", "show"}, {"crash", "ingest", "--serial", serial.toString()},
                {"shutdown"}, {"time-sync"}, {"repair", "--dry-run"}, {"vm", "list"}, {"vm", "reset-state", "--all"},
                {"factory-reset", "--wipe-all", "--yes"}, {"recovery"}, {"forward", "--status"}}) {
            for (Path where : new Path[] {tmp.resolve("empty"), tmp.resolve("no-such-dir")}) {
                Cli.Result r = Cli.onRoot(where, cmd);
                assertThat(r.exit()).as(String.join(" ", cmd) + " " + r.err()).isEqualTo(9);
                assertThat(r.out()).as(String.join(" ", cmd)).isEmpty();
                assertThat(r.err()).isEqualTo("rayos: no RayOS machine at " + where
                        + " (no var/rayos there; check --root or $RAYOS_ROOT, or start one with 'rayos boot')\n");
            }
        }
    }

    @Test
    void aMachineThatHasNotBootedYetSaysSoAsCoredumpctlAndJournalctlDo() throws Exception {
        Files.createDirectories(root().resolve("var/rayos")); // a data partition just made
        for (String[] cmd : new String[][] {{"boots"}, {"status"}, {"analyze"}, {"crashes"}}) {
            Cli.Result r = Cli.onRoot(root(), cmd);
            assertThat(r.exit()).as(String.join(" ", cmd)).isEqualTo(1);
            assertThat(r.out()).as(String.join(" ", cmd)).isEmpty();
            assertThat(r.err()).as(String.join(" ", cmd)).isIn("rayos: no boots under " + root()
                    + " yet (start one with 'rayos boot')\n", "rayos: no crash reports\n");
        }
        ReadingCli.Result logs = ReadingCli.run(root(), "logs");
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).isEqualTo("-- No entries --\n");
        assertThat(root().resolve("var/rayos/boot")).doesNotExist(); // reading made no boot
    }

    @Test
    void anEmptyRootIsRefusedRatherThanTakenForSlash() {
        for (String[] cmd : new String[][] {{"boots"}, {"log", "app", "HELLO"}, {"boot"}}) {
            String[] all = new String[cmd.length + 2];
            all[0] = "--root";
            all[1] = "";
            System.arraycopy(cmd, 0, all, 2, cmd.length);
            Cli.Result r = Cli.run(all);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("rayos: --root is empty: say which directory (--root / for this machine)\n");
        }
    }

    @Test
    void oneUnreadableHistoryFileIsNamedInWordsAndTheOtherBootsAreStillListed() throws Exception {
        String a = boot();
        String b = boot();
        Path hist = root().resolve("var/rayos/boot/history/" + a + ".json");
        Files.setPosixFilePermissions(hist, PosixFilePermissions.fromString("---------"));

        Cli.Result r = Unprivileged.run(tmp, "--root", root().toString(), "boots");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("var/rayos/boot/history/" + a + ".json cannot be read: permission denied")
                .doesNotContain("Exception").doesNotContain("java.");
        assertThat(r.out()).contains(b);
    }

    @Test
    void anUnreadableLogFileIsSkippedSayingSoAndTheOthersAreShown() throws Exception {
        String id = boot();
        assertThat(Cli.onRoot(root(), "log", "--level", "WARN", "disk", "SMART_WARNING").exit()).isZero();
        Path input = root().resolve("var/rayos/logs/input");
        Files.createDirectories(input);
        Path secret = input.resolve(id + ".log");
        Files.writeString(secret, "2026-12-02T10:00:00.000000Z INFO kbd KEY code=1\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));

        Cli.Result r = Unprivileged.run(tmp, "--root", root().toString(), "logs");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("SMART_WARNING").doesNotContain("KEY code=1");
        assertThat(r.err()).isEqualTo("rayos: skipped var/rayos/logs/input/" + id + ".log: permission denied\n");
    }

    @Test
    void anUnreadableLogDirectoryOrHistoryDirectoryIsNamedAndTheRestIsStillShown() throws Exception {
        String id = boot();
        Cli.onRoot(root(), "log", "app", "IN_BOOT");
        Path input = root().resolve("var/rayos/logs/input");
        Files.createDirectories(input);
        Files.writeString(input.resolve(id + ".log"), "2026-12-02T10:00:00.000000Z INFO kbd KEY code=1\n");
        Path bootLogs = root().resolve("var/rayos/logs/boot");
        Files.setPosixFilePermissions(bootLogs, PosixFilePermissions.fromString("---------"));

        for (String[] cmd : new String[][] {{"boots"}, {"logs"}, {"status"}, {"analyze"}, {"logs", "--disk-usage"}}) {
            String[] all = new String[cmd.length + 2];
            all[0] = "--root";
            all[1] = root().toString();
            System.arraycopy(cmd, 0, all, 2, cmd.length);
            Cli.Result r = Unprivileged.run(tmp, all);
            assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.err()).isIn(0, 1); // 1: status, not ready
            assertThat(r.err()).as(String.join(" ", cmd)).contains("rayos: skipped var/rayos/logs/boot: permission denied")
                    .doesNotContain("Exception");
            if (cmd[0].equals("logs") && cmd.length == 1) {
                assertThat(r.out()).contains("KEY code=1").doesNotContain("IN_BOOT");
            }
        }
        Files.setPosixFilePermissions(bootLogs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root().resolve("var/rayos/boot/history"), PosixFilePermissions.fromString("---------"));
        Cli.Result boots = Unprivileged.run(tmp, "--root", root().toString(), "boots");
        assertThat(boots.exit()).as(boots.err()).isZero();
        assertThat(boots.err()).contains("var/rayos/boot/history cannot be read: permission denied");
        assertThat(boots.out()).contains(id);
        Cli.Result logs = Unprivileged.run(tmp, "--root", root().toString(), "logs");
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).contains("IN_BOOT");
        assertThat(logs.err()).contains("var/rayos/boot/history: permission denied");
    }

    @Test
    void aFileThatCannotBeWrittenIsNamedInWordsWithExitThreeNotAnExceptionClass() throws Exception {
        boot();
        Path logs = root().resolve("var/rayos/boot");
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(root().resolve("var/rayos/boot/history"), PosixFilePermissions.fromString("r-xr-xr-x"));

        Cli.Result r = Unprivileged.run(tmp, "--root", root().toString(), "boot");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("rayos: boot: " + root().resolve("var/rayos/boot"))
                .contains("permission denied").doesNotContain("Exception").doesNotContain("java.");
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void aBootWithADamagedHistoryKeepsItsPlaceAndItsNumberIsNotGivenAgain() throws Exception {
        String a = boot();
        Cli.onRoot(root(), "log", "app", "IN_A");
        String b = boot();
        Cli.onRoot(root(), "log", "app", "IN_B");
        Path hb = root().resolve("var/rayos/boot/history/" + b + ".json");
        String whole = Files.readString(hb);
        Files.writeString(hb, whole.substring(0, whole.indexOf("\"seq\"") + 12)); // torn: the seq is still legible
        String c = boot();
        Cli.onRoot(root(), "log", "app", "IN_C");

        Cli.Result boots = Cli.onRoot(root(), "boots", "-o", "json");
        assertThat(boots.out().lines().map(l -> l.replaceAll(".*\"boot_id\":\"([0-9a-f]+)\".*", "$1")))
                .containsExactly(a, b, c);
        assertThat(Files.readString(root().resolve("var/rayos/boot/history/" + c + ".json")))
                .contains("\"seq\" : 2");
        assertThat(boots.err()).contains("var/rayos/boot/history/" + b + ".json");
        // -b N is the boot numbered N, as the headers say: the damaged boot keeps 2, the third is 3
        assertThat(ReadingCli.run(root(), "logs", "-b", "2", "-o", "cat").out()).contains("IN_B").doesNotContain("IN_C");
        assertThat(ReadingCli.run(root(), "logs", "-b", "3", "-o", "cat").out()).contains("IN_C");
        assertThat(Cli.onRoot(root(), "status", "-b", "3").out()).startsWith("boot " + c + " #3 ");
        Cli.Result none = Cli.onRoot(root(), "status", "-b", "4");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("rayos: no boot 4: the history has 2 boots (and 1 that cannot be read: "
                + "reach those by id)\n");
    }
}
