package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, bug 7: with storage broken, log says the event reached only the ring and the console, and exits 10. */
class BrokenStorageTest {
    @TempDir
    Path root;

    /** The boot category's directory replaced by a file: nothing can be written to it. */
    private Path breakTheBootCategory() throws Exception {
        Path boot = root.resolve("var/rayos/logs/boot");
        try (var s = Files.list(boot)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(boot);
        Files.writeString(boot, "not a directory\n");
        return boot;
    }

    @Test
    void logWithBrokenStorageSaysWhereTheEventWentAndExitsTen() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        Path boot = breakTheBootCategory();

        Cli.Result r = Cli.process(new byte[0], "--root", root.toString(), "log", "app", "HELLO");

        assertThat(r.exit()).isEqualTo(10);
        assertThat(r.err()).contains("rayos: the event reached only the ring and the console, not the log files ("
                + boot + ": exists and is not a directory)").doesNotContain("Exception");
        assertThat(Files.readString(boot)).isEqualTo("not a directory\n");
    }
    @Test
    void statusShowsTheStoreTroubleALogCommandEndedWithAndNothingFailingNow() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        assertThat(Cli.onRoot(root, "status").out()).contains("\n  logging: ok\n");
        Path boot = breakTheBootCategory();
        assertThat(Cli.process(new byte[0], "--root", root.toString(), "log", "app", "HELLO").exit()).isEqualTo(10);

        String failing = Cli.onRoot(root, "status").out(); // the log command has ended
        assertThat(failing).containsPattern("\n  logging: [0-9]+ reports? from 1 process; none failing now;"
                        + " failing when their process ended: store\n")
                .containsPattern("\n    20[0-9-]+T[0-9:.]+Z pid [0-9]+ store \\(failing at exit\\): cannot write logs: "
                        + java.util.regex.Pattern.quote(boot.toString())
                        + ": exists and is not a directory \\(lines stay in the ring; retrying\\)\n");
        String json = Cli.onRoot(root, "status", "-o", "json").out();
        assertThat(json).contains("\"logging\":{\"reports\":[{\"ts\":\"20").contains("\"kind\":\"store\",\"active\":true")
                .contains("\"running\":false").contains("\"failing\":[],\"failing_at_exit\":[\"store\"],\"unreadable\":0}");

        Files.delete(boot); // repaired: the next command writes out the ring; the first one's last word stands
        assertThat(Cli.process(new byte[0], "--root", root.toString(), "log", "app", "AGAIN").exit()).isZero();
        assertThat(Cli.onRoot(root, "status").out()).contains("none failing now; failing when their process ended: store");
    }

    @Test
    void everyLogAndCatWhileStorageIsBrokenReachesTheRingAndIsWrittenOutOnceItIsBack() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        Path boot = breakTheBootCategory();

        // the second command finds the first one's ring unwritable too: it must still log, not fail at start
        Cli.Result first = Cli.process(new byte[0], "--root", root.toString(), "log", "app", "FIRST");
        Cli.Result second = Cli.process(new byte[0], "--root", root.toString(), "log", "app", "SECOND");
        Cli.Result third = Cli.process("a line\n".getBytes(), "--root", root.toString(), "cat", "app");

        for (Cli.Result r : new Cli.Result[] {first, second, third}) {
            assertThat(r.exit()).as(r.err()).isEqualTo(10);
            assertThat(r.err()).contains("reached only the ring and the console").doesNotContain("Exception");
        }
        assertThat(second.err()).contains("cannot be written out yet (" + boot + ": exists and is not a directory)");

        Files.delete(boot); // storage repaired: the next start writes out what the rings held, once
        assertThat(Cli.onRoot(root, "log", "app", "FOURTH").exit()).isZero();
        String raw = ReadingCli.run(root, "logs", "-o", "cat").out();
        assertThat(raw.lines().filter(l -> l.matches("FIRST|SECOND|a line|FOURTH"))).containsExactlyInAnyOrder(
                "FIRST", "SECOND", "a line", "FOURTH");
    }
}
