package dev.rayos.machine.entries;

import dev.rayos.machine.disk.PartitionTable;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.disk.ToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ESP inside a disk image file, reached with mtools at the partition's byte offset
 * ({@code -i image@@OFFSET}), so the host needs no root and no loop mount. Used on the host only,
 * on an image no machine is running: mtools gives no atomicity against a concurrent reader.
 */
public final class ImageEsp implements Esp {
    private static final Map<String, String> ENV = Map.of("MTOOLS_SKIP_CHECK", "1", "MTOOLS_NO_VFAT", "0");
    private final Path image;
    private final long offset;

    public ImageEsp(Path image, long offset) {
        this.image = image;
        this.offset = offset;
    }

    /** The ESP of an image, found in its partition table. */
    public static ImageEsp of(Path image) throws EntryException {
        if (!Files.isRegularFile(image)) {
            throw new EntryException("no image file at " + image);
        }
        try {
            PartitionTable pt = PartitionTable.read(image);
            return new ImageEsp(image, pt.esp().orElseThrow(() -> new EntryException(image + " has no EFI system partition")).offset());
        } catch (ToolException e) {
            throw new EntryException(image + " is not a disk image with a partition table: " + e.getMessage(), e);
        }
    }

    private String drive() {
        return image + "@@" + offset;
    }

    @Override
    public List<String> list(String dir) throws EntryException {
        Esp.checkPath(dir);
        Tool.Result r = mtools(List.of("mdir", "-b", "-i", drive(), "::/" + dir + "/"), true);
        if (r.exit() != 0) {
            return List.of(); // absent directory
        }
        List<String> out = new ArrayList<>();
        for (String line : r.outText().split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.endsWith("/.") || l.endsWith("/..")) {
                continue;
            }
            String name = l.substring(l.lastIndexOf('/') + 1);
            if (!name.isEmpty() && !l.endsWith("/")) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public Optional<byte[]> read(String path) throws EntryException {
        Esp.checkPath(path);
        Tool.Result r = mtools(List.of("mtype", "-i", drive(), "::/" + path), true);
        return r.exit() == 0 ? Optional.of(r.out()) : Optional.empty();
    }

    @Override
    public void write(String path, byte[] data) throws EntryException {
        Esp.checkPath(path);
        Path tmp = null;
        try {
            tmp = Files.createTempFile("rayos-esp", ".tmp");
            Files.write(tmp, data);
            mtools(List.of("mcopy", "-o", "-i", drive(), tmp.toString(), "::/" + path), false);
        } catch (IOException e) {
            throw new EntryException("cannot stage " + path + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** Copies a host file onto the ESP (for files too large to hold in memory twice). */
    public void copyIn(Path from, String path) throws EntryException {
        Esp.checkPath(path);
        mtools(List.of("mcopy", "-o", "-i", drive(), from.toString(), "::/" + path), false);
    }

    @Override
    public void rename(String from, String to) throws EntryException {
        Esp.checkPath(from);
        Esp.checkPath(to);
        if (read(to).isPresent()) {
            throw new EntryException(to + " already exists on " + describe());
        }
        // mren takes the new name within the same directory
        mtools(List.of("mren", "-i", drive(), "::/" + from, "::/" + to), false);
    }

    @Override
    public void delete(String path) throws EntryException {
        Esp.checkPath(path);
        Tool.Result r = mtools(List.of("mdel", "-i", drive(), "::/" + path), true);
        // mdel fails on an absent file, which is what "delete if present" wants; any other failure
        // (a read-only image, a damaged FAT) leaves the file there and must be said
        if (r.exit() != 0 && read(path).isPresent()) {
            throw new EntryException("mdel on " + describe() + " failed: " + r.err().strip().replace('\n', ' '));
        }
    }

    @Override
    public void mkdirs(String dir) throws EntryException {
        Esp.checkPath(dir);
        StringBuilder p = new StringBuilder();
        for (String seg : dir.split("/")) {
            p.append(p.length() == 0 ? "" : "/").append(seg);
            mtools(List.of("mmd", "-D", "s", "-i", drive(), "::/" + p), true);
        }
    }

    @Override
    public String describe() {
        return "the ESP of " + image;
    }

    private Tool.Result mtools(List<String> cmd, boolean mayFail) throws EntryException {
        try {
            Tool.Result r = Tool.runAllowingFailure(cmd, null, ENV, 60);
            if (r.exit() != 0 && !mayFail) {
                throw new EntryException(cmd.get(0) + " on " + describe() + " failed: " + r.err().strip().replace('\n', ' '));
            }
            return r;
        } catch (ToolException e) {
            throw new EntryException(e.getMessage(), e);
        }
    }
}
