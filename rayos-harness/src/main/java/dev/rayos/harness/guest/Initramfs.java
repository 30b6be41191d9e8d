package dev.rayos.harness.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a Linux initramfs: a gzip-compressed cpio archive in the {@code newc} format
 * (kernel {@code Documentation/driver-api/early-userspace/buffer-format.rst}).
 *
 * <p>Written here rather than by running {@code cpio} so a test controls every byte of its
 * guest and the build has no tool dependency beyond the JDK. Entries are directories,
 * regular files and symlinks; device nodes are not needed because the guests mount
 * devtmpfs first thing.
 */
public final class Initramfs {
    private record Entry(int mode, byte[] data) {}

    private static final int DIR = 0040000;
    private static final int FILE = 0100000;
    private static final int LINK = 0120000;

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** An empty archive; add to it with {@link #dir}, {@link #file} and {@link #symlink}. */
    public Initramfs() {}

    /** Adds a directory (and its parents). */
    public Initramfs dir(String path) {
        String p = strip(path);
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            dir(p.substring(0, slash));
        }
        entries.putIfAbsent(p, new Entry(DIR | 0755, new byte[0]));
        return this;
    }

    /** Adds a regular file with the given permission bits (for example {@code 0755}). */
    public Initramfs file(String path, byte[] content, int permissions) {
        String p = strip(path);
        parent(p);
        entries.put(p, new Entry(FILE | (permissions & 07777), content.clone()));
        return this;
    }

    /** Adds a text file (UTF-8). */
    public Initramfs file(String path, String content, int permissions) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), permissions);
    }

    /** Adds a file copied from the host. */
    public Initramfs copy(String path, Path from, int permissions) throws IOException {
        return file(path, Files.readAllBytes(from), permissions);
    }

    /** Adds a symbolic link. */
    public Initramfs symlink(String path, String target) {
        String p = strip(path);
        parent(p);
        entries.put(p, new Entry(LINK | 0777, target.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Writes the gzip-compressed archive to {@code out}. */
    public void writeTo(Path out) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out), 1 << 16)) {
            o.write(toCpio());
        }
    }

    /** The uncompressed cpio archive. */
    public byte[] toCpio() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ino = 1;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            write(out, e.getKey(), e.getValue().mode(), e.getValue().data(), ino++);
        }
        write(out, "TRAILER!!!", 0, new byte[0], 0);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String name, int mode, byte[] data, int ino) throws IOException {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        int[] fields = {ino, mode, 0, 0, (mode & 0170000) == DIR ? 2 : 1, 0, data.length, 0, 0, 0, 0, n.length, 0};
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(n);
        pad(out);
        out.write(data);
        pad(out);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }

    private void parent(String p) {
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            dir(p.substring(0, slash));
        }
    }

    private static String strip(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty() || p.contains("..")) {
            throw new IllegalArgumentException("bad archive path: " + path);
        }
        return p;
    }
}
