package dev.rayos.log.read;

import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.BootId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code rayos logs -f}: polls the followed boot's files for whole lines appended since the last
 * poll, merges them by time across categories, and moves on to the next boot when the history
 * names another as current. Files are known by inode, so a rotation between two polls only means
 * the renamed file is finished and the new one read from its start.
 */
final class LogFollower {
    private final BootFiles files;
    private final LogQuery query;
    private final boolean fastPath;
    private final int chunk;

    LogFollower(BootFiles files, LogQuery query, boolean fastPath, int chunk) {
        this.files = files;
        this.query = query;
        this.fastPath = fastPath;
        this.chunk = chunk;
    }

    /** As {@link LogReader#follow}. */
    void follow(LogReader.Position pos, Boots boots, LineSink sink, long pollMillis, BooleanSupplier stop)
            throws IOException, InterruptedException {
        BootId followed = pos.boot != null ? pos.boot : boots.current().orElse(null);
        LogReader.Position at = pos.boot != null ? pos : new LogReader.Position(followed);
        boolean announced = pos.boot != null && pos.announced;
        while (true) {
            if (followed != null) {
                announced |= pollOnce(entryOf(boots, followed), at, sink, !announced);
            }
            sink.flush();
            Optional<BootId> cur = boots.current();
            if (cur.isPresent() && !cur.get().equals(followed)) {
                if (followed != null) {
                    pollOnce(entryOf(boots, followed), at, sink, !announced); // what the old boot wrote last
                }
                followed = cur.get();
                at = new LogReader.Position(followed);
                announced = false;
                continue; // read the new boot at once
            }
            if (stop.getAsBoolean()) {
                return;
            }
            Thread.sleep(pollMillis);
        }
    }

    private static BootCatalog.Entry entryOf(Boots boots, BootId id) {
        try {
            return new BootCatalog.Entry(id, boots.read(id));
        } catch (IOException | BootHistoryException e) {
            return new BootCatalog.Entry(id, null); // reads on, in mono if it must
        }
    }

    /** Reads what was appended to the boot's files since {@code at}; true when a line was shown. */
    private boolean pollOnce(BootCatalog.Entry boot, LogReader.Position at, LineSink sink, boolean announce)
            throws IOException {
        List<Seg> opened = new ArrayList<>();
        try {
            List<List<Matches>> perCat = new ArrayList<>();
            for (Path dir : files.categories()) {
                List<Matches> got = new ArrayList<>();
                for (Seg s : files.open(dir, boot.id(), opened, null)) {
                    long from = at.get(s.category, s.inode);
                    while (from < s.size) {
                        Matches m = new Matches(s.category, s.path, 0, 0);
                        // The lines that start in [from, to), read whole as a chunk's are.
                        long to = Math.min(s.size, from + chunk);
                        byte[] buf = ChunkReads.buffer();
                        int len = ChunkReads.read(s.ch, from, buf, (int) (ChunkReads.readEnd(to, s.size) - from));
                        int after = new LineScanner(query, boot.clockPair(), fastPath).scan(buf, 0,
                                (int) Math.min(len, to - from), len, from, from + len == s.size, false, m);
                        if (after == 0) {
                            break; // only a line being written: wait for its line feed
                        }
                        from += after;
                        at.put(s.category, s.inode, from);
                        if (m.count > 0) {
                            got.add(m);
                        }
                    }
                }
                if (!got.isEmpty()) {
                    perCat.add(got);
                }
            }
            if (perCat.isEmpty()) {
                return false;
            }
            if (announce) {
                sink.boot(boot);
            }
            mergeSmall(boot, perCat, sink);
            return true;
        } finally {
            BootFiles.closeAll(opened);
        }
    }

    /** Merges a poll's lines of several categories by time (equal times in category order). */
    private static void mergeSmall(BootCatalog.Entry boot, List<List<Matches>> perCat, LineSink sink)
            throws IOException {
        int n = perCat.size();
        int[] chunk = new int[n];
        int[] line = new int[n];
        while (true) {
            int best = -1;
            for (int c = 0; c < n; c++) {
                List<Matches> l = perCat.get(c);
                while (chunk[c] < l.size() && line[c] >= l.get(chunk[c]).count) {
                    chunk[c]++;
                    line[c] = 0;
                }
                if (chunk[c] >= l.size()) {
                    continue;
                }
                if (best < 0 || Matches.compare(l.get(chunk[c]), line[c],
                        perCat.get(best).get(chunk[best]), line[best]) < 0) {
                    best = c;
                }
            }
            if (best < 0) {
                return;
            }
            Matches m = perCat.get(best).get(chunk[best]);
            sink.lines(boot, m, line[best], line[best] + 1);
            line[best]++;
        }
    }
}
