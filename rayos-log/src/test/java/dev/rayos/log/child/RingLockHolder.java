package dev.rayos.log.child;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stands in for another process's start that recovers an orphaned ring: it takes the lock of the
 * file at {@code args[0]}, prints {@code locked}, and on a line {@code delete} from its input
 * deletes the file under the lock (as recovery does once the ring is written out) and exits, which
 * lets the lock go. On {@code keep} it exits leaving the file.
 */
public final class RingLockHolder {
    private RingLockHolder() {}

    public static void main(String[] args) throws Exception {
        Path ring = Path.of(args[0]);
        try (FileChannel ch = FileChannel.open(ring, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            String order = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            if ("delete".equals(order)) {
                Files.delete(ring);
            }
        }
    }
}
