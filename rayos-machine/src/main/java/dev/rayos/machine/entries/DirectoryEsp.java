package dev.rayos.machine.entries;

import dev.rayos.log.root.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A mounted ESP (vfat at {@code /efi} in the guest, or any directory in tests). Writes go to a
 * temporary file that is fsync'd and renamed over the target, then the directory is fsync'd, so a
 * power cut leaves the old entry or the new one. Symlinks are never followed out of the directory.
 *
 * <p>Why the file is fsync'd again after each rename: Linux's vfat gives a renamed file a new
 * directory entry with size 0 and no first cluster, and fills them in only when the file's inode
 * is written back. An fsync of the directory does not write it; a reset soon after (a watchdog, a
 * reboot) left a blessed {@code rayos.conf} of 0 bytes. fsync of the file writes the inode.
 */
public final class DirectoryEsp implements Esp {
    private final Path dir;

    public DirectoryEsp(Path dir) throws EntryException {
        if (Files.isSymbolicLink(dir)) {
            throw new EntryException("the ESP path " + dir + " is a symbolic link; refusing to follow it (give the directory it names)");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new EntryException("no ESP at " + dir + " (not a directory; is it mounted?)");
        }
        this.dir = dir.toAbsolutePath().normalize();
    }

    @Override
    public List<String> list(String d) throws EntryException {
        Path p = resolve(d);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            List<String> out = new ArrayList<>();
            s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).forEach(f -> out.add(f.getFileName().toString()));
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw failed("list", d, e);
        }
    }

    @Override
    public Optional<byte[]> read(String path) throws EntryException {
        Path p = resolve(path);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failed("read", path, e);
        }
    }

    @Override
    public void write(String path, byte[] data) throws EntryException {
        Path p = resolve(path);
        try {
            AtomicFiles.write(p, data);
            syncFile(p);
        } catch (IOException e) {
            throw failed("write", path, e);
        }
    }

    @Override
    public void rename(String from, String to) throws EntryException {
        Path a = resolve(from);
        Path b = resolve(to);
        if (Files.exists(b, LinkOption.NOFOLLOW_LINKS)) {
            throw new EntryException(to + " already exists on " + describe());
        }
        try {
            Files.move(a, b, StandardCopyOption.ATOMIC_MOVE);
            syncFile(b);
            AtomicFiles.syncDirectory(b.getParent());
        } catch (IOException e) {
            throw failed("rename", from, e);
        }
    }

    @Override
    public void delete(String path) throws EntryException {
        Path p = resolve(path);
        try {
            if (Files.deleteIfExists(p)) {
                AtomicFiles.syncDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw failed("delete", path, e);
        }
    }

    @Override
    public void mkdirs(String d) throws EntryException {
        try {
            Files.createDirectories(resolve(d));
        } catch (IOException e) {
            throw failed("create", d, e);
        }
    }

    @Override
    public String describe() {
        return "the ESP at " + dir;
    }

    private Path resolve(String path) throws EntryException {
        Path p = dir.resolve(Esp.checkPath(path)).normalize();
        // a symlinked directory inside the ESP could lead out of it: refuse any link on the way
        for (Path q = p.getParent(); q != null && q.startsWith(dir) && !q.equals(dir); q = q.getParent()) {
            if (Files.isSymbolicLink(q)) {
                throw new EntryException(dir.relativize(q) + " on " + describe() + " is a symbolic link; refusing to follow it");
            }
        }
        if (Files.isSymbolicLink(p)) {
            throw new EntryException(path + " on " + describe() + " is a symbolic link; refusing to follow it");
        }
        return p;
    }

    private static void syncFile(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private EntryException failed(String what, String path, IOException e) {
        return new EntryException("cannot " + what + " " + path + " on " + describe() + ": " + why(e), e);
    }

    /** Why an operation failed, in a person's words. */
    static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && String.valueOf(f.getReason()).contains("Read-only")) {
            return "the ESP is mounted read-only";
        }
        return String.valueOf(e.getMessage());
    }
}
