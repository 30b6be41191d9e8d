package dev.rayos.bridges.forward;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
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
     * (the boot's highest part + 1). Cursors record the ordinal, so that when the file is gone the
     * parts removed with it can be counted.
     */
    record Seg(Path path, String boot, int part, long inode, long size, int ordinal) {}

    /** Where to go on: segment {@code index} (may be {@code segs.size()}: nothing yet) at {@code offset}; {@code lostFiles} removed first. */
    record Position(int index, long offset, int lostFiles) {}

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
    static List<Seg> list(Path dir, Map<String, Integer> bootOrder) throws IOException {
        List<Seg> out = new ArrayList<>();
        List<LogFiles.Segment> all = LogFiles.segments(dir);
        Map<String, Integer> highest = new java.util.HashMap<>();
        for (LogFiles.Segment s : all) {
            highest.merge(s.boot(), s.number(), Math::max);
        }
        for (LogFiles.Segment s : all) {
            long ino = LogFiles.inodeOf(s.path());
            if (ino >= 0) {
                int ordinal = s.number() == 0 ? highest.get(s.boot()) + 1 : s.number();
                out.add(new Seg(s.path(), s.boot(), s.number(), ino, s.size(), ordinal));
            }
        }
        out.sort(Comparator.<Seg>comparingInt(s -> bootOrder.getOrDefault(s.boot(), Integer.MAX_VALUE))
                .thenComparing(Seg::boot)
                .thenComparingInt(s -> s.part() == 0 ? Integer.MAX_VALUE : s.part()));
        return out;
    }

    /**
     * Where {@code c} stands in {@code segs}. Its file found by inode (and boot): there. Gone
     * (retention removed it): the first file after it, counting the files removed — the cursor's
     * own and the parts of its boot between it and the first one left (one when the numbering
     * cannot tell: another boot's file, or only the active file left).
     */
    static Position locate(List<Seg> segs, ForwardCursor c, Map<String, Integer> bootOrder) {
        if (!c.started()) {
            return new Position(0, 0, 0);
        }
        for (int i = 0; i < segs.size(); i++) {
            Seg s = segs.get(i);
            // the ordinal too: a removed file's inode is soon given to a newer file of the boot (ext4 reuses them)
            if (s.inode() == c.inode() && s.boot().equals(c.boot()) && s.ordinal() == c.part()) {
                return new Position(i, Math.min(c.offset(), s.size()), 0);
            }
        }
        int cursorBoot = bootOrder.getOrDefault(c.boot(), Integer.MAX_VALUE);
        for (int i = 0; i < segs.size(); i++) {
            Seg s = segs.get(i);
            int b = bootOrder.getOrDefault(s.boot(), Integer.MAX_VALUE);
            boolean sameBoot = s.boot().equals(c.boot());
            boolean after = sameBoot ? s.part() == 0 || s.part() > c.part()
                    : b > cursorBoot || (b == cursorBoot && s.boot().compareTo(c.boot()) > 0);
            if (after) {
                int removed = sameBoot && s.part() > c.part() ? s.part() - c.part() : 1;
                return new Position(i, 0, removed);
            }
        }
        return new Position(segs.size(), 0, 1);
    }
}
