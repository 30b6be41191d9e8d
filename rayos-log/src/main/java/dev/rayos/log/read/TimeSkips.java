package dev.rayos.log.read;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.LogFileName;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One time-window read's use of the time index ({@code docs/log-times.md}): which chunks of each
 * file cannot hold a line of the window and need not be read, and, for files with no index entry
 * that still describes them, the times measured while they are read, saved once the read is done.
 *
 * <p>What keeps it honest: an entry is used only when the file's {@link FileStamp} is the one it
 * was measured with, so a missing, stale or damaged index costs a full read, never a line; the
 * files of the boots being written (the current boot's and the last read's {@code <boot_id>.log})
 * are read in full and never indexed; a chunk holding a line with no time a window can judge is
 * always read, since the scanner shows such lines whatever the window. The index is a cache under
 * {@code var/cache/}: written without fsync (a torn file fails its checksum and is rebuilt), and a
 * failure to write it (a read-only root, another user's files) is ignored.
 */
final class TimeSkips {
    private final RootLayout layout;
    private final LogQuery query;
    private final int chunk;
    /** Boots whose active file may be growing: read in full. */
    private final Set<String> activeBoots;
    /** The index entries read, per category and boot ({@code "boot/0123…"}), by file name. */
    private final Map<String, Map<String, TimeIndex.FileTimes>> loaded = new HashMap<>();
    private final Map<String, List<FileRead>> reads = new LinkedHashMap<>();

    /** One file of the read: its stamp, what the index says of it, or the times measured now. */
    static final class FileRead {
        final String name;
        final FileStamp stamp;
        final TimeIndex.FileTimes known;
        final boolean[] skip;
        final ChunkTimes[] measured;

        FileRead(String name, FileStamp stamp, TimeIndex.FileTimes known, boolean[] skip, ChunkTimes[] measured) {
            this.name = name;
            this.stamp = stamp;
            this.known = known;
            this.skip = skip;
            this.measured = measured;
        }

        /** True when chunk {@code k} cannot hold a line of the window. */
        boolean skips(int k) {
            return skip != null && skip[k];
        }

        /** Null unless this file's times are being measured in this read. */
        ChunkTimes[] measuring() {
            return measured;
        }
    }

    TimeSkips(RootLayout layout, LogQuery query, int chunk, Set<String> activeBoots) {
        this.layout = layout;
        this.query = query;
        this.chunk = chunk;
        this.activeBoots = activeBoots;
    }

    /** The boots whose active files are always read: the machine's current one, and {@code last}. */
    static Set<String> activeBoots(RootLayout layout, BootId last) {
        Set<String> s = new java.util.HashSet<>();
        if (last != null) {
            s.add(last.hex());
        }
        try {
            Optional<byte[]> cur = AtomicFiles.readSmall(layout.currentBootIdFile(), 64);
            cur.map(b -> new String(b, java.nio.charset.StandardCharsets.US_ASCII).trim()).filter(BootId::isValid)
                    .ifPresent(s::add);
        } catch (IOException unreadable) {
            // no current boot known: the last read's stands for it
        }
        return s;
    }

    /** How one file is to be read; null: in full, and not indexed. */
    FileRead plan(String category, BootCatalog.Entry boot, Path path, FileChannel ch, long inode, long size)
            throws IOException {
        String name = path.getFileName().toString();
        Optional<LogFileName> n = LogFileName.parse(name);
        if (size == 0 || n.isEmpty() || (n.get().number() == 0 && activeBoots.contains(boot.id().hex()))) {
            return null;
        }
        Optional<FileStamp> stamp = FileStamp.of(path, ch, inode, size);
        if (stamp.isEmpty()) {
            return null;
        }
        String key = category + "/" + boot.id().hex();
        TimeIndex.FileTimes e = loaded.computeIfAbsent(key, k -> load(category, boot.id())).get(name);
        int chunks = (int) ((size + chunk - 1) / chunk);
        FileRead r;
        if (e != null && e.stamp().equals(stamp.get())) {
            boolean[] skip = new boolean[chunks];
            BootRecord.TimeSync pair = boot.clockPair();
            if (e.chunk() == chunk) {
                for (int k = 0; k < chunks; k++) {
                    skip[k] = !e.chunks().get(k).mayHold(query.since(), query.until(), pair);
                }
            } else {
                java.util.Arrays.fill(skip, !e.whole().mayHold(query.since(), query.until(), pair));
            }
            r = new FileRead(name, stamp.get(), e, skip, null);
        } else {
            r = new FileRead(name, stamp.get(), null, null, new ChunkTimes[chunks]);
        }
        reads.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        return r;
    }

    private Map<String, TimeIndex.FileTimes> load(String category, BootId boot) {
        Map<String, TimeIndex.FileTimes> m = new HashMap<>();
        try {
            Optional<byte[]> b = AtomicFiles.readSmall(layout.logTimesFile(category, boot), TimeIndex.MAX_BYTES + 1);
            if (b.isPresent()) {
                for (TimeIndex.FileTimes f : TimeIndex.parse(b.get(), boot.hex())) {
                    m.put(f.name(), f);
                }
            }
        } catch (IOException | TimeIndexException | RuntimeException unusable) {
            // missing, unreadable or damaged: its files are read in full and measured again
        }
        return m;
    }

    /** Saves the index of each boot and category where a file was measured in this read. */
    void save() {
        for (Map.Entry<String, List<FileRead>> g : reads.entrySet()) {
            List<TimeIndex.FileTimes> files = new ArrayList<>();
            boolean measuredOne = false;
            for (FileRead r : g.getValue()) {
                if (r.known != null) {
                    files.add(r.known);
                } else if (java.util.Arrays.stream(r.measured).allMatch(java.util.Objects::nonNull)) {
                    files.add(new TimeIndex.FileTimes(r.name, r.stamp, chunk, List.of(r.measured)));
                    measuredOne = true;
                }
            }
            if (measuredOne) {
                String[] cb = g.getKey().split("/");
                write(layout.logTimesFile(cb[0], new BootId(cb[1])), TimeIndex.format(files));
            }
        }
    }

    /** Writes a boot's index (never through a link, nowhere outside the root), or nothing. */
    private void write(Path target, byte[] content) {
        try {
            Path existing = target.getParent();
            while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return;
            }
            layout.requireInside(existing); // a link out of the root stops here, before a directory is made there
            Files.createDirectories(target.getParent());
            layout.requireInside(target.getParent());
            AtomicFiles.writeUnsynced(target, content);
        } catch (IOException | RuntimeException notWritten) {
            // a read-only root, another user's cache: the next read measures again
        }
    }
}
