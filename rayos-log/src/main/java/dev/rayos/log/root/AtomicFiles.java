package dev.rayos.log.root;

import dev.rayos.log.root.ProcessId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that a crash cannot leave half done: temp file in the same directory, fsync,
 * rename over the target, fsync of the directory. A reader sees the old content or the new, never
 * a mix.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content} atomically and durably. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Replaces {@code target} with {@code content} atomically, without fsync: for a cache, whose
     * reader refuses a file a power cut tore (the time index's checksum) and makes it again.
     */
    public static void writeUnsynced(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessId.current() + "-"
                + Thread.currentThread().getId());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (durable) {
                    ch.force(true);
                }
            } catch (java.nio.file.FileSystemException named) {
                throw named;
            } catch (IOException e) {
                // a write names no file ("No space left on device"): say which
                throw new java.nio.file.FileSystemException(target.toString(), null, e.getMessage());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (durable) {
                syncDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A small state file's bytes, at most {@code max} (a longer file reads cut short, for its parser
     * to refuse), never through a link; empty when there is none.
     *
     * @throws java.nio.file.FileSystemException when it is there but not a regular file (a link, a directory)
     */
    public static java.util.Optional<byte[]> readSmall(Path f, int max) throws IOException {
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Optional.empty();
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new java.nio.file.FileSystemException(f.toString(), null, "not a regular file");
        }
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Room for what the file holds, not for max: the time index reads hundreds of these
            // with a max of 8 MiB, and zeroing that much each time cost more than the whole read.
            b = ByteBuffer.allocate((int) Math.min(max, ch.size() + 1));
            while (true) {
                while (b.hasRemaining() && ch.read(b) > 0) {
                    // fill up
                }
                if (b.hasRemaining() || b.capacity() >= max) {
                    break; // the end of the file, or max
                }
                ByteBuffer more = ByteBuffer.allocate((int) Math.min(max, 2L * b.capacity())); // it grew since
                more.put(b.flip());
                b = more;
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            return java.util.Optional.empty();
        }
        byte[] data = new byte[b.position()];
        b.flip().get(data);
        return java.util.Optional.of(data);
    }

    /** fsync of a directory, so a rename or a new file in it survives power loss. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
