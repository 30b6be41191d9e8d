package dev.rayos.log.read;

import dev.rayos.log.line.LineCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * How a piece of a log file is read into memory, the same for a read's chunks and a follower's
 * polls: the lines that <em>start</em> in a window are read whole, so the bytes read run on past
 * the window's end by the longest line a writer makes, and a line that crosses the end is never
 * cut in two. Each thread keeps its buffers from one chunk to the next.
 */
final class ChunkReads {
    /** The most bytes read past a window's end: a line of the longest length, and its line feed. */
    static final int WINDOW_SLACK = LineCodec.MAX_LINE_BYTES + 2;
    private static final ThreadLocal<byte[]> BUFFERS =
            ThreadLocal.withInitial(() -> new byte[LogReader.CHUNK + WINDOW_SLACK]);
    private static final ThreadLocal<ByteBuffer> DIRECT =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(LogReader.CHUNK + WINDOW_SLACK));

    private ChunkReads() {}

    /** This thread's buffer, large enough for a chunk and its slack. */
    static byte[] buffer() {
        return BUFFERS.get();
    }

    /** Where reading stops for the lines that start before {@code end}, in a file of {@code size} bytes. */
    static long readEnd(long end, long size) {
        return Math.min(size, end + WINDOW_SLACK - 1);
    }

    /**
     * Reads {@code len} bytes at {@code at} into {@code buf}: {@code pread} into this thread's own
     * direct buffer, kept from chunk to chunk, then one copy into the heap array. A mapping of each
     * chunk (what this did before) cost about 0.8 s of CPU per GiB here, most of it in page faults
     * and unmapping; a {@code FileChannel.read} into a heap array goes through a temporary direct
     * buffer of its own. This costs about 0.3 s per GiB (docs/PERFORMANCE.md, "Reading logs").
     * Reads what is there when the file is shorter than its size taken at open (it was cut since).
     */
    static int read(FileChannel ch, long at, byte[] buf, int len) throws IOException {
        ByteBuffer d = DIRECT.get();
        d.clear().limit(len);
        while (d.hasRemaining()) {
            if (ch.read(d, at + d.position()) < 0) {
                break; // the file shrank (a repaired torn tail): read what is there
            }
        }
        int n = d.position();
        d.get(0, buf, 0, n);
        return n;
    }
}
