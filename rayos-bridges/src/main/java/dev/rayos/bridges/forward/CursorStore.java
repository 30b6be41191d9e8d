package dev.rayos.bridges.forward;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
        Optional<byte[]> data;
        try {
            data = AtomicFiles.readSmall(file(category), 1024); // a longer file is damaged anyway
        } catch (java.nio.file.FileSystemException notRegular) {
            throw new CursorException("not a regular file");
        }
        return data.isEmpty() ? Optional.empty() : Optional.of(ForwardCursor.parse(data.get()));
    }

    /**
     * The category's cursor; a new stream's when there is none, written (durably) before the first
     * line is sent, so a forwarder killed after sending goes on in the same stream and what it sends
     * again has the same sequence numbers.
     *
     * @throws CursorException naming the damaged file and the way out
     */
    ForwardCursor load(String category) throws IOException, CursorException {
        Optional<ForwardCursor> read;
        try {
            read = read(category);
        } catch (CursorException e) {
            throw new CursorException(layout.relative(file(category)) + " is damaged (" + e.getMessage()
                    + "): remove it to forward " + category + " again from its oldest file");
        }
        if (read.isPresent()) {
            return read.get();
        }
        ForwardCursor c = ForwardCursor.fresh(newStream());
        write(category, c);
        return c;
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

    /**
     * Takes the machine's forwarder lock ({@code var/rayos/forward/.lock}, an fcntl lock that goes
     * with the process): two forwarders on one machine would move the same cursors.
     *
     * @throws CursorException when another forwarder holds it, saying which when it can
     */
    Closeable claim() throws IOException, CursorException {
        Path dir = layout.forwardDir();
        Files.createDirectories(dir);
        layout.requireInside(dir);
        FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            String who;
            try {
                who = ForwardState.read(layout).filter(ForwardState::alive).map(s -> ": " + s.describe()).orElse("");
            } catch (ForwardState.DamagedException e) {
                who = "";
            }
            throw new CursorException("another forwarder is running on this machine" + who + "; stop it first");
        }
        return ch; // closing the channel releases the lock
    }

    static String newStream() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
