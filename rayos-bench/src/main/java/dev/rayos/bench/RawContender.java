package dev.rayos.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The raw bound: each producer copies a preformatted line (timestamp fixed at open, only {@code t}
 * and {@code n} written per line) into a 64 KiB batch of its own and appends full batches to the
 * shared {@link FileChannel} under a lock, rotating to {@code app.<k>.log} (higher = newer) before a
 * batch would cross the size cap. No formatting, no queue, no second thread: what the disk and the
 * kernel allow. {@code raw_fsync} also fsyncs each file before rotating it away and at close, as
 * rayos-log does.
 */
final class RawContender implements Contender {
    private static final int BATCH = 64 * 1024;
    private final boolean fsync;
    private final Object lock = new Object();
    private Path dir;
    private long maxFileBytes;
    private FileChannel channel; // guarded by lock
    private long size; // guarded by lock
    private int rotated; // guarded by lock
    private byte[] ts;

    RawContender(boolean fsync) {
        this.fsync = fsync;
    }

    @Override
    public void open(Path dir, long maxFileBytes, int maxFiles) throws IOException {
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.ts = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now()).getBytes(StandardCharsets.US_ASCII);
        this.channel = openActive();
        this.size = 0;
        this.rotated = 0;
    }

    private FileChannel openActive() throws IOException {
        return FileChannel.open(dir.resolve("app.log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public Producer producer(int thread) {
        return new Producer() {
            private final ByteBuffer batch = ByteBuffer.allocateDirect(BATCH);
            private final byte[] line = new byte[256];
            private final int prefix;

            {
                int p = 0;
                System.arraycopy(ts, 0, line, 0, ts.length);
                p += ts.length;
                System.arraycopy(BenchLine.HEAD_BYTES, 0, line, p, BenchLine.HEAD_BYTES.length);
                p += BenchLine.HEAD_BYTES.length;
                p = digits(line, p, thread);
                line[p++] = ' ';
                line[p++] = 'n';
                line[p++] = '=';
                prefix = p;
            }

            @Override
            public void log(long n) {
                int p = digits(line, prefix, n);
                System.arraycopy(BenchLine.FIXED_BYTES, 0, line, p, BenchLine.FIXED_BYTES.length);
                p += BenchLine.FIXED_BYTES.length;
                line[p++] = '\n';
                if (batch.remaining() < p) {
                    flushBatch(batch);
                }
                batch.put(line, 0, p);
            }

            @Override
            public void finish() {
                flushBatch(batch);
            }
        };
    }

    private static int digits(byte[] b, int p, long v) {
        int d = 1;
        for (long t = v; t >= 10; t /= 10) {
            d++;
        }
        for (int i = p + d - 1; i >= p; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return p + d;
    }

    private void flushBatch(ByteBuffer batch) {
        batch.flip();
        try {
            synchronized (lock) {
                if (size > 0 && size + batch.remaining() > maxFileBytes) {
                    rotate();
                }
                while (batch.hasRemaining()) {
                    size += channel.write(batch);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        batch.clear();
    }

    private void rotate() throws IOException {
        if (fsync) {
            channel.force(false);
        }
        channel.close();
        Files.move(dir.resolve("app.log"), dir.resolve("app." + (++rotated) + ".log"), StandardCopyOption.ATOMIC_MOVE);
        channel = openActive();
        size = 0;
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (fsync) {
                channel.force(false);
            }
            channel.close();
        }
    }

    @Override
    public List<Path> files() throws IOException {
        return FileOrder.list(dir, "app.log", "app.", true);
    }
}
