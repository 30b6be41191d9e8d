package dev.rayos.machine.image;

import dev.rayos.machine.disk.PartitionTable;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.disk.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code rayos image extract}: copies the data partition of an image ({@code /var/rayos} of the
 * machine) to {@code DIR/var/rayos} on the host, so {@code rayos --root DIR} reads the guest's
 * boots, logs and crashes. No root, no mount: the partition is copied out (sparse, with dd), its
 * journal replayed on the copy by {@code e2fsck -fy} (a machine reset by its watchdog leaves
 * fsync'd data that is still only in the journal; debugfs alone would not see it), and read with
 * {@code debugfs rdump}. The image itself is never written.
 */
public final class ImageExtract {
    private ImageExtract() {}

    /**
     * Extracts; {@code to/var/rayos} must not exist or be empty.
     *
     * @return the directory the files landed in ({@code to/var/rayos})
     */
    public static Path extract(Path image, Path to) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new IOException("no image file at " + image);
        }
        Path target = to.resolve("var/rayos");
        if (Files.isSymbolicLink(to) || Files.isSymbolicLink(to.resolve("var")) || Files.isSymbolicLink(target)) {
            throw new IOException(to + " holds a symbolic link on the way to var/rayos; refusing to write through it");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(target + " is not empty; extract into a new directory");
                }
            }
        }
        Path copy = null;
        try {
            PartitionTable pt = PartitionTable.read(image);
            PartitionTable.Partition d = pt.data().orElseThrow(() -> new IOException(image + " has no RAYOS_DATA partition"));
            Files.createDirectories(target);
            copy = Files.createTempFile(to.toAbsolutePath().getParent() != null ? to.toAbsolutePath().getParent() : Path.of("/tmp"),
                    "rayos-data", ".ext4");
            long mib = 1L << 20;
            Tool.run(List.of("dd", "if=" + image, "of=" + copy, "bs=1M", "skip=" + (d.offset() / mib), "count=" + (d.size() / mib),
                    "conv=sparse,notrunc", "status=none"));
            Tool.Result fsck = Tool.runAllowingFailure(List.of("e2fsck", "-fy", copy.toString()), null, Map.of(), 300);
            if (fsck.exit() >= 4) {
                throw new IOException("e2fsck could not repair the data partition of " + image + " (exit " + fsck.exit() + "): "
                        + fsck.err().strip().replace('\n', ' '));
            }
            Tool.Result r = Tool.run(List.of("debugfs", "-R", "rdump / " + target.toAbsolutePath(), copy.toString()));
            if (r.err().contains("rdump:")) {
                throw new IOException("debugfs could not copy everything: " + r.err().strip().replace('\n', ' '));
            }
            Path lost = target.resolve("lost+found");
            if (Files.isDirectory(lost, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> s = Files.list(lost)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(lost);
                    }
                }
            }
            return target;
        } catch (ToolException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
        }
    }
}
