package dev.rayos.recovery;

import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Destructive file operations confined to a machine's root, never following a symbolic link: a
 * link is removed (or moved) itself, and no path is walked through one.
 *
 * <p>Deletion walks with {@link SecureDirectoryStream} ({@code openat}/{@code unlinkat} on Linux):
 * each directory is opened relative to its already-open parent with {@code O_NOFOLLOW}, so even a
 * directory swapped for a link while the walk runs is not entered. Directories are reached from
 * the root one component at a time, each checked not to be a link.
 */
final class SafeTree {
    /** Told of each entry removed (the factory reset journals progress; tests kill in the middle). */
    @FunctionalInterface
    interface Removed {
        void removed(Path relative) throws IOException;
    }

    private final RootLayout layout;

    SafeTree(RootLayout layout) {
        this.layout = layout;
    }

    RootLayout layout() {
        return layout;
    }

    /**
     * The directory at {@code rel} (relative to the root) when it exists, every component a real
     * directory; empty when it is absent.
     *
     * @throws IOException when a component is a link or not a directory (nothing is followed)
     */
    java.util.Optional<Path> existingDir(Path rel) throws IOException {
        Path p = layout.root();
        for (Path c : rel) {
            p = p.resolve(c.toString());
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return java.util.Optional.empty();
            }
            if (a.isSymbolicLink()) {
                throw new IOException(layout.relative(p) + " is a symbolic link; recovery does not follow it");
            }
            if (!a.isDirectory()) {
                throw new IOException(layout.relative(p) + " is not a directory");
            }
        }
        return java.util.Optional.of(p);
    }

    /** Like {@link #existingDir} but creates the missing directories. */
    Path dir(Path rel) throws IOException {
        Path p = layout.root();
        for (Path c : rel) {
            p = p.resolve(c.toString());
            try {
                Files.createDirectory(p);
                continue;
            } catch (FileAlreadyExistsException exists) {
                // check it below
            }
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new IOException(layout.relative(p) + " is a symbolic link; recovery does not follow it");
            }
            if (!a.isDirectory()) {
                throw new IOException(layout.relative(p) + " is not a directory");
            }
        }
        return p;
    }

    /** The path of {@code abs} relative to the root, refusing one outside it. */
    Path rel(Path abs) {
        Path n = abs.toAbsolutePath().normalize();
        if (!n.startsWith(layout.root())) {
            throw new IllegalArgumentException(abs + " is outside the root " + layout.root());
        }
        return layout.root().relativize(n);
    }

    /**
     * Moves the entry {@code from} (a file, a link or a directory; a link moves itself) to
     * {@code to}, creating {@code to}'s directory; when {@code to} exists, to the first free
     * {@code to.1}, {@code to.2} … instead.
     *
     * @return where it went
     */
    Path move(Path from, Path to) throws IOException {
        Path fromRel = rel(from);
        Path toRel = rel(to);
        if (fromRel.getParent() != null && existingDir(fromRel.getParent()).isEmpty()) {
            throw new NoSuchFileException(layout.relative(from));
        }
        Path dir = dir(toRel.getParent());
        Path target = dir.resolve(toRel.getFileName().toString());
        for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
            target = dir.resolve(toRel.getFileName() + "." + n);
        }
        Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.syncDirectory(dir);
        if (from.getParent() != null) {
            AtomicFiles.syncDirectory(from.getParent());
        }
        return target;
    }

    /**
     * Removes what is inside the directory {@code rel} except the entries {@code keep} accepts
     * (given each entry's path relative to the root, and whether it is a real directory: a kept
     * directory stays and its content is walked the same way). Links are removed, never followed.
     *
     * @return how many entries were removed
     */
    long removeContents(Path rel, Keep keep, Removed removed) throws IOException {
        java.util.Optional<Path> dir = existingDir(rel);
        if (dir.isEmpty()) {
            return 0;
        }
        try (SecureDirectoryStream<Path> ds = secure(dir.get())) {
            long[] count = {0};
            walk(ds, rel, keep, removed, count);
            return count[0];
        }
    }

    /** Decides what a removal keeps. */
    @FunctionalInterface
    interface Keep {
        /**
         * @param relative  the entry, relative to the root
         * @param directory true for a real directory (never for a link to one)
         * @return true to keep a file or link; for a directory, true to keep it and walk into it,
         *         false to remove it whole
         */
        boolean keep(Path relative, boolean directory);

        Keep NOTHING = (p, d) -> false;
    }

    /**
     * Removes the entry {@code rel} (relative to the root): a file, a link (itself) or a whole
     * directory tree. Absent is fine.
     *
     * @return how many entries were removed
     */
    long removeEntry(Path rel, Removed removed) throws IOException {
        java.util.Optional<Path> parent = rel.getParent() == null ? java.util.Optional.of(layout.root())
                : existingDir(rel.getParent());
        if (parent.isEmpty()) {
            return 0;
        }
        try (SecureDirectoryStream<Path> ds = secure(parent.get())) {
            long[] count = {0};
            Path name = rel.getFileName();
            BasicFileAttributes a;
            try {
                a = ds.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (NoSuchFileException gone) {
                return 0;
            }
            removeOne(ds, name, rel, a.isDirectory() && !a.isSymbolicLink(), removed, count);
            return count[0];
        }
    }

    private static SecureDirectoryStream<Path> secure(Path dir) throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
        if (!(ds instanceof SecureDirectoryStream)) {
            ds.close();
            throw new IOException("this platform cannot walk directories without following links");
        }
        return (SecureDirectoryStream<Path>) ds;
    }

    /** @return true when everything inside was removed */
    private boolean walk(SecureDirectoryStream<Path> ds, Path rel, Keep keep, Removed removed, long[] count)
            throws IOException {
        List<Path> names = new ArrayList<>();
        for (Path p : ds) {
            names.add(p.getFileName());
        }
        names.sort(null);
        boolean empty = true;
        for (Path name : names) {
            Path childRel = rel.resolve(name.toString());
            BasicFileAttributes a;
            try {
                a = ds.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (NoSuchFileException gone) {
                continue;
            }
            boolean isDir = a.isDirectory() && !a.isSymbolicLink();
            if (!keep.keep(childRel, isDir)) {
                removeOne(ds, name, childRel, isDir, removed, count);
                continue;
            }
            if (isDir) {
                try (SecureDirectoryStream<Path> sub = ds.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    walk(sub, childRel, keep, removed, count);
                }
            }
            empty = false;
        }
        return empty;
    }

    private void removeOne(SecureDirectoryStream<Path> ds, Path name, Path rel, boolean isDir, Removed removed,
                           long[] count) throws IOException {
        if (isDir) {
            try (SecureDirectoryStream<Path> sub = ds.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                walk(sub, rel, Keep.NOTHING, removed, count);
            }
            try {
                ds.deleteDirectory(name);
            } catch (NoSuchFileException gone) {
                return; // removed by a run before
            }
        } else {
            try {
                ds.deleteFile(name); // unlinkat: a link goes, its target stays
            } catch (NoSuchFileException gone) {
                return;
            }
        }
        count[0]++;
        removed.removed(rel);
    }
}
