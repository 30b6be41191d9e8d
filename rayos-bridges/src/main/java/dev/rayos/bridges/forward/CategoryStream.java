package dev.rayos.bridges.forward;

import dev.rayos.log.root.LogFileName;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RemovedFiles;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A category's log files as one stream, oldest first: boots in the catalog's order, each boot's
 * numbered parts ascending, then its active file; and where a cursor stands in it. Files are
 * known by inode as well as name, since the active file is renamed to a part when it rotates.
 */
final class CategoryStream {
    /**
     * One file: its name's boot and part (0: active), its inode and size when listed, and
     * {@code ordinal}: its part number, or for the active file the number it gets when it rotates
     * (one above the boot's highest part, present or recorded removed, so that removing a boot's
     * parts does not change it). Cursors record the ordinal, so that when the file is gone the
     * parts removed with it can be counted.
     */
    record Seg(Path path, String boot, int part, long inode, long size, int ordinal) {}

    /**
     * Where to go on: segment {@code index} (may be {@code segs.size()}: nothing yet) at {@code offset},
     * after {@code line} lines of it; {@code moved} when the cursor's file is gone (the cursor must
     * move there), and what was removed before it was sent: {@code lost}.
     */
    record Position(int index, long offset, long line, boolean moved, Lost lost) {}

    /**
     * Files removed before they were sent to their end: how many, the lines they held that were not
     * sent (exact when {@code unrecorded} is 0), and how many of them left no record of their lines
     * (removed by hand or by an older rayos, the record's oldest half dropped, or a gap in the parts'
     * numbering).
     */
    record Lost(int files, long lines, int unrecorded) {
        static final Lost NONE = new Lost(0, 0, 0);
    }

    private CategoryStream() {}

    /** Each boot's place in the catalog's order (history, then boots known only by their files). */
    static Map<String, Integer> bootOrder(RootLayout layout) throws IOException {
        Map<String, Integer> order = new LinkedHashMap<>();
        for (BootCatalog.Entry e : BootCatalog.load(layout, new Boots(layout, LogClock.system())).all()) {
            order.putIfAbsent(e.id().hex(), order.size());
        }
        return order;
    }

    /** The category's files in stream order; files that vanish while listed are left out. */
    static List<Seg> list(Path dir, Map<String, Integer> bootOrder, List<RemovedFiles.Entry> removed) throws IOException {
        List<Seg> found = new ArrayList<>();
        for (LogFiles.Segment s : LogFiles.segments(dir)) {
            long ino = LogFiles.inodeOf(s.path());
            if (ino >= 0) {
                found.add(new Seg(s.path(), s.boot(), s.number(), ino, s.size(), 0));
            }
        }
        return arrange(found, bootOrder, removed);
    }

    /**
     * {@code segs} with the cursor's own file put back when the listing missed it. A rotation renames
     * the active file to its part and then makes a new active file; a directory read meanwhile can
     * miss the renamed entry yet already show the new file, and the cursor's file would look removed
     * with its unsent tail (reported lost and skipped). The renamed file has the name the cursor
     * foresaw (its boot and part) and its inode, so it is looked up by that name before the listing
     * is believed.
     */
    static List<Seg> withCursorsFile(Path dir, List<Seg> segs, ForwardCursor c, Map<String, Integer> bootOrder,
                                     List<RemovedFiles.Entry> removed) throws IOException {
        if (!c.started() || c.part() < 1 || c.part() > LogFileName.MAX_NUMBER) {
            return segs;
        }
        for (Seg s : segs) {
            if (s.inode() == c.inode() && s.boot().equals(c.boot()) && s.ordinal() == c.part()) {
                return segs; // listed
            }
        }
        LogFileName name;
        try {
            name = new LogFileName(c.boot(), c.part());
        } catch (IllegalArgumentException notAName) {
            return segs;
        }
        Path part = dir.resolve(name.fileName());
        Map<String, Object> a;
        try {
            a = Files.readAttributes(part, "unix:ino,size", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return segs; // really gone (retention, vacuum, repair): locate counts what was lost
        }
        if (((Number) a.get("ino")).longValue() != c.inode()) {
            return segs;
        }
        List<Seg> all = new ArrayList<>(segs);
        all.add(new Seg(part, c.boot(), c.part(), c.inode(), ((Number) a.get("size")).longValue(), 0));
        return arrange(all, bootOrder, removed);
    }

    /** {@code files} (ordinals not yet set) with their ordinals, in stream order. */
    static List<Seg> arrange(List<Seg> files, Map<String, Integer> bootOrder, List<RemovedFiles.Entry> removed) {
        Map<String, Integer> highest = new java.util.HashMap<>();
        for (Seg s : files) {
            highest.merge(s.boot(), s.part(), Math::max);
        }
        for (RemovedFiles.Entry e : removed) {
            highest.merge(e.boot(), e.part(), Math::max);
        }
        List<Seg> out = new ArrayList<>();
        for (Seg s : files) {
            int ordinal = s.part() == 0 ? highest.get(s.boot()) + 1 : s.part();
            out.add(new Seg(s.path(), s.boot(), s.part(), s.inode(), s.size(), ordinal));
        }
        out.sort(Comparator.<Seg>comparingInt(s -> bootOrder.getOrDefault(s.boot(), Integer.MAX_VALUE))
                .thenComparing(Seg::boot)
                .thenComparingInt(s -> s.part() == 0 ? Integer.MAX_VALUE : s.part()));
        return out;
    }

    /**
     * Where {@code c} stands in {@code segs}. Its file found by inode (and boot and ordinal): there
     * (unless that file is the last and shorter than the cursor's offset: then it is a new file).
     * Gone (removed before it was sent to its end): the first file after it, and what was lost, from
     * the store's record of removed files ({@link RemovedFiles}): the rest of the cursor's file (its
     * recorded lines less the cursor's {@code line}) and every recorded file between it and the
     * first one left; parts of the boots concerned missing from both the directory and the record
     * are counted as files whose lines are unknown.
     */
    static Position locate(List<Seg> segs, ForwardCursor c, Map<String, Integer> bootOrder,
                           List<RemovedFiles.Entry> removed) {
        if (!c.started()) {
            return new Position(0, 0, 0, false, Lost.NONE);
        }
        for (int i = 0; i < segs.size(); i++) {
            Seg s = segs.get(i);
            // the ordinal too: a removed file's inode is soon given to a newer file of the boot (ext4 reuses them)
            if (s.inode() == c.inode() && s.boot().equals(c.boot()) && s.ordinal() == c.part()) {
                if (s.size() >= c.offset()) {
                    return new Position(i, c.offset(), c.line(), false, Lost.NONE);
                }
                if (i < segs.size() - 1) {
                    // cut shorter: a repair cut the torn tail the forwarder read past, which it does
                    // only in a file that another follows
                    return new Position(i, s.size(), c.line(), false, Lost.NONE);
                }
                // shorter and last: not the cursor's file but a new active file of the boot that was
                // given its inode after it was removed (or it was emptied by hand); gone, as below
                break;
            }
        }
        RemovedFiles.Entry mine = null;
        for (RemovedFiles.Entry e : removed) {
            if (e.boot().equals(c.boot()) && e.inode() == c.inode() && e.part() == c.part()) {
                mine = e; // it rotated to the part number the cursor foresaw, then went
            }
        }
        if (mine == null) {
            for (RemovedFiles.Entry e : removed) {
                // removed as the boot's <boot>.log: no part of the boot was numbered at or above the cursor's
                if (e.boot().equals(c.boot()) && e.inode() == c.inode() && e.part() == 0 && highestPart(c.boot(), segs, removed) < c.part()) {
                    mine = e;
                }
            }
        }
        Key from = mine != null ? key(bootOrder, mine.boot(), mine.part()) : new Key(order(bootOrder, c.boot()), c.boot(), c.part());
        int index = segs.size();
        for (int i = 0; i < segs.size(); i++) {
            if (key(bootOrder, segs.get(i).boot(), segs.get(i).part()).compareTo(from) > 0) {
                index = i;
                break;
            }
        }
        Key to = index < segs.size() ? key(bootOrder, segs.get(index).boot(), segs.get(index).part()) : null;
        // the cursor's own file counts when some of it was not sent (or that cannot be told)
        int files = mine != null && mine.lines() <= c.line() ? 0 : 1;
        long lines = mine != null ? Math.max(0, mine.lines() - c.line()) : 0;
        int unrecorded = mine != null ? 0 : 1;
        for (RemovedFiles.Entry e : removed) {
            Key k = key(bootOrder, e.boot(), e.part());
            if (e != mine && k.compareTo(from) > 0 && (to == null || k.compareTo(to) < 0)) {
                files++;
                lines += e.lines();
            }
        }
        int gaps = gaps(c.boot(), c.part() + 1, index < segs.size() ? segs.get(index) : null, segs, removed);
        if (index < segs.size() && !segs.get(index).boot().equals(c.boot())) {
            gaps += gaps(segs.get(index).boot(), 1, segs.get(index), segs, removed);
        }
        Lost lost = files + gaps == 0 ? Lost.NONE : new Lost(files + gaps, lines, unrecorded + gaps);
        return new Position(index, 0, 0, true, lost);
    }

    /** A file's place in the stream: its boot's place, the boot id, its part (the active file last). */
    private record Key(int boot, String id, int part) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(boot, o.boot);
            c = c != 0 ? c : id.compareTo(o.id);
            return c != 0 ? c : Integer.compare(part, o.part);
        }
    }

    private static Key key(Map<String, Integer> bootOrder, String boot, int part) {
        return new Key(order(bootOrder, boot), boot, part == 0 ? Integer.MAX_VALUE : part);
    }

    private static int order(Map<String, Integer> bootOrder, String boot) {
        return bootOrder.getOrDefault(boot, Integer.MAX_VALUE);
    }

    private static int highestPart(String boot, List<Seg> segs, List<RemovedFiles.Entry> removed) {
        int max = 0;
        for (Seg s : segs) {
            if (s.boot().equals(boot)) {
                max = Math.max(max, s.part());
            }
        }
        for (RemovedFiles.Entry e : removed) {
            if (e.boot().equals(boot)) {
                max = Math.max(max, e.part());
            }
        }
        return max;
    }

    /**
     * Part numbers of {@code boot} from {@code lo} up to the file resumed at (when it is the boot's)
     * or the boot's highest known part, that are neither in the directory nor in the record.
     */
    private static int gaps(String boot, int lo, Seg resume, List<Seg> segs, List<RemovedFiles.Entry> removed) {
        int hi = resume != null && resume.boot().equals(boot) && resume.part() > 0 ? resume.part() - 1
                : highestPart(boot, segs, removed);
        java.util.Set<Integer> known = new java.util.HashSet<>();
        segs.stream().filter(s -> s.boot().equals(boot)).forEach(s -> known.add(s.part()));
        removed.stream().filter(e -> e.boot().equals(boot)).forEach(e -> known.add(e.part()));
        int n = 0;
        for (int p = Math.max(1, lo); p <= hi; p++) {
            n += known.contains(p) ? 0 : 1;
        }
        return n;
    }
}
