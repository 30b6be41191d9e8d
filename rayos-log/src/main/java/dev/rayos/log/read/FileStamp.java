package dev.rayos.log.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * What tells a log file apart from what it was when its times were measured: inode, size,
 * modification and change times (one {@code stat}), and a CRC-32C of its last {@value #TAIL} bytes.
 * An append changes size and times; a rename or a cut changes the change time; ext4 gives a freed
 * inode to the next file at once, so the inode alone proves nothing, and the times and the tail
 * checksum cover a file rewritten within the clock's tick.
 */
record FileStamp(long inode, long size, long mtimeNanos, long ctimeNanos, int tailCrc) {
    /** How many of the file's last bytes the checksum covers. */
    static final int TAIL = 4096;

    /**
     * The stamp of the file at {@code path}, open as {@code ch} whose size was taken as {@code size}
     * and inode {@code inode}; empty when the file changed between (it is read in full then).
     */
    static java.util.Optional<FileStamp> of(Path path, FileChannel ch, long inode, long size) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
            return java.util.Optional.empty();
        }
        if (((Number) a.get("ino")).longValue() != inode || ((Number) a.get("size")).longValue() != size) {
            return java.util.Optional.empty();
        }
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
        int n = (int) Math.min(size, TAIL);
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, size - n + b.position()) < 0) {
                return java.util.Optional.empty(); // cut since its size was taken
            }
        }
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, n);
        return java.util.Optional.of(new FileStamp(inode, size, mtime, ctime, (int) c.getValue()));
    }
}
