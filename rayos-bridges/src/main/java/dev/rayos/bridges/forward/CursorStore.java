package dev.rayos.bridges.forward;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/** The cursor files {@code var/rayos/forward/<category>.cursor}: read without following links, replaced atomically and durably. */
final class CursorStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final RootLayout layout;

    CursorStore(RootLayout layout) {
        this.layout = layout;
    }

    Path file(String category) {
        return layout.forwardCursor(category);
    }

    /** The category's cursor, or empty when it was never forwarded. */
    Optional<ForwardCursor> read(String category) throws IOException, CursorException {
        Path f = file(category);
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw new CursorException("not a regular file");
        }
        ByteBuffer b = ByteBuffer.allocate(1024);
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read at most 1 KiB: a longer file is damaged anyway
            }
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        byte[] data = new byte[b.position()];
        b.flip().get(data);
        return Optional.of(ForwardCursor.parse(data));
    }

    /** Replaces the category's cursor: temp file, fsync, rename, fsync of the directory. */
    void write(String category, ForwardCursor c) throws IOException {
        Path dir = layout.forwardDir();
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(layout.relative(dir) + " is not a directory");
        }
        layout.requireInside(dir);
        AtomicFiles.write(file(category), c.encode());
    }

    static String newStream() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
