package dev.rayos.machine.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small real ext4 images for the tests of the data partition's check: made by {@code mke2fs -d},
 * damaged on purpose with {@code debugfs -w} the way a crash or a bad disk damages them, and marked
 * as having errors, as the kernel marks a file system it found an error in (so {@code e2fsck -p}
 * at boot reads it through rather than trusting its clean flag).
 */
public final class Ext4Images {
    /** PATH with the sbin directories, where e2fsprogs lives. */
    public static final String PATH = "/usr/sbin:/sbin:/usr/bin:/bin";

    private Ext4Images() {}

    /** True when mke2fs, e2fsck and debugfs run here. */
    public static boolean present() {
        return run("mke2fs", "-V").code() == 0 && run("e2fsck", "-V").code() == 0 && run("debugfs", "-V").code() == 0;
    }

    /** An 8 MiB ext4 image holding {@code scratch/junk.txt} and {@code logs/boot/a.log}. */
    public static Path make(Path img) throws IOException {
        Path content = Files.createDirectories(img.resolveSibling(img.getFileName() + ".content"));
        Files.createDirectories(content.resolve("scratch"));
        Files.createDirectories(content.resolve("logs/boot"));
        Files.writeString(content.resolve("scratch/junk.txt"), "scratch\n");
        Files.writeString(content.resolve("logs/boot/a.log"), "a log line\n");
        Ran r = run("mke2fs", "-q", "-t", "ext4", "-F", "-d", content.toString(), img.toString(), "8M");
        assertThat(r.code()).as(r.output()).isZero();
        return img;
    }

    /** Runs debugfs requests on the image, writing it. */
    public static void debugfs(Path img, String... requests) {
        for (String q : requests) {
            Ran r = run("debugfs", "-w", "-R", q, img.toString());
            assertThat(r.code()).as(q + ": " + r.output()).isZero();
        }
    }

    /** A wrong link count on the root directory, the file system marked with errors: e2fsck -p fixes it. */
    public static Path withWrongLinkCount(Path img) throws IOException {
        make(img);
        debugfs(img, "sif <2> links_count 7", "ssv state 2");
        return img;
    }

    /**
     * A regular file turned into a socket with data blocks (an inode scribbled on), the file system
     * marked with errors: e2fsck -p stops ("UNEXPECTED INCONSISTENCY"), e2fsck -y clears the inode.
     */
    public static Path withIllegalSocket(Path img) throws IOException {
        make(img);
        debugfs(img, "sif /scratch/junk.txt mode 0140644", "ssv state 2");
        return img;
    }

    /** A file of zeros: no file system e2fsck can open. */
    public static Path notAFileSystem(Path img) throws IOException {
        Files.write(img, new byte[1 << 20]);
        return img;
    }

    /** {@code e2fsck -f -n}: 0 when the file system is clean. */
    public static int checkOnly(Path img) {
        return run("e2fsck", "-f", "-n", img.toString()).code();
    }

    /** A process's exit code and output. */
    public record Ran(int code, String output) {}

    /** Runs a command (the sbin directories on PATH) and waits for it; -1 when it cannot start. */
    public static Ran run(String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true);
            pb.environment().put("PATH", PATH);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Ran(p.exitValue(), out);
        } catch (IOException e) {
            return new Ran(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ran(-1, "interrupted");
        }
    }
}
