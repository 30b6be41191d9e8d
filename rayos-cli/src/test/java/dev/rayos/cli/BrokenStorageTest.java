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

    @Test
    void logWithBrokenStorageSaysWhereTheEventWentAndExitsTen() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        Path boot = root.resolve("var/rayos/logs/boot");
        try (var s = Files.list(boot)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(boot);
        Files.writeString(boot, "not a directory\n"); // the category directory is a file: nothing can be written

        Cli.Result r = Cli.process(new byte[0], "--root", root.toString(), "log", "app", "HELLO");

        assertThat(r.exit()).isEqualTo(10);
        assertThat(r.err()).contains("rayos: the event reached only the ring and the console, not the log files ("
                + boot + ": exists and is not a directory)").doesNotContain("Exception");
        assertThat(Files.readString(boot)).isEqualTo("not a directory\n");
    }
    @Test
    void everyLogAndCatWhileStorageIsBrokenReachesTheRingAndIsWrittenOutOnceItIsBack() throws Exception {
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
        Path boot = root.resolve("var/rayos/logs/boot");
        try (var s = Files.list(boot)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(boot);
        Files.writeString(boot, "not a directory\n");

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
