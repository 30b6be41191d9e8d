package dev.rayos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, bug 5: a full disk, for real (a small tmpfs mounted for the test), is said as "disk
 * full" with the path, never a stack trace. The ring used to be a sparse mapping whose first write
 * on a full disk was a SIGBUS: InternalError and a Java stack trace out of 'rayos log'.
 */
class FullDiskTest {
    @TempDir
    Path tmp;
    Path disk;
    Path root;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = tmp.resolve("disk");
        Files.createDirectories(disk);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes()).strip();
        assumeTrue(p.waitFor() == 0, "skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): " + why);
        root = disk.resolve("m");
        Files.createDirectories(root.resolve("etc/rayos"));
        Files.writeString(root.resolve("etc/rayos/policy.conf"), "ring.size = 256KiB\n");
        assertThat(Cli.onRoot(root, "boot").exit()).isZero();
    }

    @AfterEach
    void unmount() throws Exception {
        if (root != null) {
            // lazily: this JVM still maps the ring of the in-process commands until it is collected
            Process p = new ProcessBuilder("umount", "-l", disk.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("umount: " + out).isTrue();
        }
    }

    /** Fills the disk but {@code leaveKiB}. */
    void fill(long leaveKiB) throws IOException {
        long free = Files.getFileStore(disk).getUsableSpace();
        byte[] mib = new byte[1 << 20];
        try (var out = Files.newOutputStream(disk.resolve("filler"))) {
            long left = free - leaveKiB * 1024;
            while (left > 0) {
                int n = (int) Math.min(left, mib.length);
                out.write(mib, 0, n);
                left -= n;
            }
        }
    }

    @Test
    void aFullDiskIsSaidWithThePathAndLeavesNoHalfMadeRing() throws Exception {
        fill(0);

        for (List<String> cmd : List.of(List.of("log", "app", "HELLO"), List.of("time-sync"), List.of("shutdown"),
                List.of("boot"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--root", root.toString()));
            args.addAll(cmd);
            Cli.Result r = Cli.process(new byte[0], args.toArray(String[]::new));
            assertThat(r.exit()).as(cmd + ": " + r.err()).isEqualTo(3);
            assertThat(r.err()).as(cmd.toString()).startsWith("rayos: " + cmd.get(0) + ": " + root)
                    .endsWith(": disk full (no space left on device)\n").doesNotContain("Exception").hasLineCount(1);
        }
        try (var rings = Files.list(root.resolve("run/rayos/ring"))) {
            assertThat(rings).as("no ring left half made (the next start would set it aside as corrupt)").isEmpty();
        }
    }

    @Test
    void roomForTheRingButNotTheLineIsExitTenSayingDiskFull() throws Exception {
        fill(256 + 4 + 16); // the ring (256 KiB and its 4 KiB header) fits, a 60 KB line does not

        Cli.Result r = Cli.process(new byte[0], "--root", root.toString(), "log", "app", "BIG", "v=" + "x".repeat(60_000));

        assertThat(r.exit()).as(r.err()).isEqualTo(10);
        assertThat(r.err()).contains("rayos: the event reached only the ring and the console, not the log files ("
                + root.resolve("var/rayos/logs")).contains("disk full (no space left on device)").doesNotContain("Exception");
        Files.delete(disk.resolve("filler")); // room again: the next start writes the line out of the ring
        assertThat(Cli.onRoot(root, "log", "app", "AFTER").exit()).isZero();
        assertThat(ReadingCli.run(root, "logs", "-o", "cat").out()).contains("BIG v=xxx").contains("AFTER");
    }
}
