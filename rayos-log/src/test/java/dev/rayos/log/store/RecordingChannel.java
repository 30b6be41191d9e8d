package dev.rayos.log.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A log file's channel that tells a {@link DiskTrace} of every write, truncation and fsync made
 * through it, then does it on the real file. Installed through {@link CategoryFile#opener}.
 */
final class RecordingChannel extends FileChannel {
    private final FileChannel real;
    private final long inode;
    private final DiskTrace trace;
    /** Reads made through this channel (a writer's turn should not read back its own last write). */
    volatile int reads;

    RecordingChannel(FileChannel real, long inode, DiskTrace trace) {
        this.real = real;
        this.inode = inode;
        this.trace = trace;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        ByteBuffer copy = src.duplicate();
        int n = real.write(src, position);
        byte[] b = new byte[n];
        copy.get(b);
        trace.write(inode, position, b);
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        long at = real.position();
        int n = write(src, at);
        real.position(at + n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        trace.truncate(inode, size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        // What the file holds when the fsync starts is durable once it returns.
        byte[] content = trace.contentOf(real);
        real.force(metaData);
        trace.fsync(inode, content);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        reads++;
        return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        reads++;
        return real.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        reads++;
        return real.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException("log files are written by positional writes only");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("log files are written by positional writes only");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("log files are not mapped");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
