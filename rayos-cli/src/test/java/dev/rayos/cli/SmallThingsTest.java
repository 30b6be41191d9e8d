package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, bug 12: the small things a new user trips over. */
class SmallThingsTest {
    @TempDir
    Path root;

    @Test
    void aKeyGivenTwiceIsRefusedAndNothingIsWritten() {
        Cli.Result r = Cli.onRoot(root, "log", "app", "X", "a=1", "a=2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rayos: key 'a' is given twice\n");
        assertThat(root.resolve("var")).doesNotExist();
    }

    @Test
    void aValueTooLongForALineIsRefusedRatherThanCutSilently() {
        Cli.Result r = Cli.onRoot(root, "log", "app", "X", "a=" + "x".repeat(70_000));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("rayos: the event would be a line of 70000 bytes").contains("'rayos cat'");
        assertThat(root.resolve("var")).doesNotExist();
        assertThat(Cli.onRoot(root, "log", "app", "X", "a=" + "x".repeat(60_000)).exit()).isZero();
    }

    @Test
    void tablesHaveNoTrailingSpaces() throws Exception {
        Cli.onRoot(root, "boot");
        Cli.onRoot(root, "log", "kernel", "RAYOS_KERNEL_START");
        for (String[] cmd : new String[][] {{"boots"}, {"status"}, {"analyze", "blame"}}) {
            Cli.Result r = Cli.onRoot(root, cmd);
            assertThat(r.out().lines()).as(String.join(" ", cmd)).isNotEmpty()
                    .allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
        }
    }

    @Test
    void theBootNumberShownIsTheOneMinusBTakes() {
        String first = Cli.onRoot(root, "boot").out().trim();
        Cli.onRoot(root, "boot");
        assertThat(Cli.onRoot(root, "status", "-b", "1").out()).startsWith("boot " + first + " #1 normal");
        assertThat(ReadingCli.run(root, "logs", "-b", "all").out()).contains("-- boot " + first + " #1 normal --");
    }
    @Test
    void aNumberOutOfRangeOrNotANumberIsSaidInWords() {
        Cli.onRoot(root, "boot");
        Cli.Result big = Cli.onRoot(root, "logs", "--vacuum-files", "99999999999");
        assertThat(big.exit()).isEqualTo(2);
        assertThat(big.err()).isEqualTo("rayos: --vacuum-files '99999999999' is out of range (at most 2147483647)"
                + " (see 'rayos logs --help')\n");
        Cli.Result word = Cli.onRoot(root, "harness", "run", "--kernel", "/etc/hostname", "--expect", "X", "--boots", "two");
        assertThat(word.exit()).isEqualTo(2);
        assertThat(word.err()).startsWith("rayos: --boots 'two' is not a whole number");
        Cli.Result lines = Cli.onRoot(root, "logs", "-n", "99999999999999999999");
        assertThat(lines.err()).isEqualTo("rayos: -n '99999999999999999999' is not a number of lines (or all)\n");
    }
    @Test
    void aValueHoldingALineSeparatorOrAnEscapeIsShownOnOneLineNotSentToTheTerminal() {
        Cli.onRoot(root, "boot");
        for (String odd : new String[] {"\u2028", "\u0085", "1\n2", "\r", "\u2029x"}) {
            Cli.Result r = Cli.onRoot(root, "logs", "--vacuum-files", odd);
            assertThat(r.exit()).as(odd).isEqualTo(2);
            assertThat(r.err()).as(odd).startsWith("rayos: --vacuum-files '").endsWith("' is not a whole number"
                    + " (see 'rayos logs --help')\n");
            assertThat(r.err().split("[\\v]", -1)).as(odd).hasSize(2);
        }
        Cli.Result escape = Cli.onRoot(root, "logs", "--colour\u001b[2J");
        assertThat(escape.err()).as("an escape sequence is shown, not sent to the terminal")
                .startsWith("rayos: unknown option '--colour\\x1b[2J'");
    }
    @Test
    void anIoFailureIsTheEnvironmentsExitThreeAndAnythingElseABugsExitSeventyInWords() {
        var denied = new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/r/var/rayos/x"));
        assertThat(EnvironmentError.exitCode(denied)).isEqualTo(3);
        assertThat(EnvironmentError.describe(denied)).isEqualTo("/r/var/rayos/x: permission denied");
        var full = new java.nio.file.FileSystemException("/r/f", null, "No space left on device");
        assertThat(EnvironmentError.describe(full)).isEqualTo("/r/f: disk full (no space left on device)");
        var bug = new IllegalStateException("cannot happen");
        assertThat(EnvironmentError.exitCode(bug)).isEqualTo(70);
        assertThat(EnvironmentError.describe(bug)).isEqualTo("internal error (IllegalStateException: cannot happen); "
                + "please report it");
    }
}
