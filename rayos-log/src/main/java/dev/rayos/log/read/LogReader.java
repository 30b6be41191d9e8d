package dev.rayos.log.read;

import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.RootLayout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Reads the logs of a machine's boots: every category of each boot, every segment oldest first,
 * lines of a boot merged by time across categories, filtered by a {@link LogQuery}; then, when
 * asked, follows the current boot as it grows, through rotations and into the next boot.
 *
 * <p>How it is fast: files are cut into chunks of {@value #CHUNK} bytes at line boundaries, and
 * the chunks are scanned by a pool of threads (one per core), a bounded window ahead of the thread
 * that merges and writes, so memory stays bounded whatever the amount of logs. A scan looks at
 * each line's level and names as bytes ({@link LineScanner}) and copies out only the lines that
 * pass. Selecting one boot opens only that boot's files.
 *
 * <p>How it stays correct while files change: every file is opened before it is read and its size
 * taken then, so a rotation (a rename) during the read changes nothing; the follower remembers how
 * far it read each file by inode, so after a rotation it finishes the renamed file, then reads the
 * new one from its start. Nothing here writes.
 *
 * <p>The parts: {@link BootFiles} lists and opens a boot's files, {@link ChunkScans} scans their
 * chunks on the pool, {@link ChunkReads} reads a chunk's bytes, this class plans a read and merges
 * its categories by time, and {@link LogFollower} polls for what is appended after.
 */
public final class LogReader implements Closeable {
    static final int CHUNK = 1 << 20;

    private final RootLayout layout;
    private final LogQuery query;
    private final ExecutorService pool;
    private final int threads;
    /** Chunk size; smaller in tests, to cross chunk boundaries with little data. */
    int chunk = CHUNK;
    /** False to scan without the level-skip fast path (tests compare the outputs of both). */
    boolean fastPath = true;
    /** False to read every file in full under a time window, with no time index (tests compare both). */
    boolean timeIndex = true;
    /** The files read (a chunk of them at least) and the chunks read and left unread, of every read so far. */
    private final ReadTally tally = new ReadTally();
    /** Files that could not be read, each once, with why: skipped, the rest read (the caller reports them). */
    private final Set<String> problems = Collections.synchronizedSet(new LinkedHashSet<>());
    private final BootFiles files;

    /** The files skipped because they could not be read ({@code "var/rayos/logs/boot/….log: permission denied"}). */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /**
     * What the reads so far read: files with a chunk read, and chunks read and skipped (a time
     * window's time index leaves out those that cannot hold a line of it; docs/log-times.md).
     */
    public record Counts(int filesRead, long chunksRead, long chunksSkipped) {
        @Override
        public String toString() {
            return filesRead + " files read, " + chunksRead + " chunks read, " + chunksSkipped + " skipped by the time index";
        }
    }

    public Counts counts() {
        return tally.counts();
    }

    /** False to read every file in full under a time window, without the time index ({@code RAYOS_TIME_INDEX=off}). */
    public void useTimeIndex(boolean on) {
        timeIndex = on;
    }

    /** The files a chunk of which was read (tests). */
    Set<Path> filesRead() {
        return tally.files();
    }

    /** How far each file of one boot has been read: category → inode → offset after the last whole line. */
    public static final class Position {
        final BootId boot;
        final Map<String, Map<Long, Long>> consumed = new HashMap<>();
        /** The boot's separator was shown (by the read that made this position): a follower does not repeat it. */
        boolean announced;

        /** A position at the start of {@code boot} (null: the current boot, whichever it is then). */
        public Position(BootId boot) {
            this.boot = boot;
        }

        public BootId boot() {
            return boot;
        }

        void put(String category, long inode, long offset) {
            consumed.computeIfAbsent(category, c -> new HashMap<>()).merge(inode, offset, Math::max);
        }

        long get(String category, long inode) {
            return consumed.getOrDefault(category, Map.of()).getOrDefault(inode, 0L);
        }
    }

    /** A reader over the machine at {@code layout} with one scanning thread per core. */
    public LogReader(RootLayout layout, LogQuery query) {
        this(layout, query, Runtime.getRuntime().availableProcessors());
    }

    public LogReader(RootLayout layout, LogQuery query, int threads) {
        this.layout = layout;
        this.query = query;
        this.files = new BootFiles(layout, query, problems);
        this.threads = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "rayos-read");
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------ read

    /**
     * Reads the lines of {@code boots} (oldest first) into {@code sink}.
     *
     * @param holdTail true to leave a last line without a line feed of the last boot for a
     *                 follower (it is being written), false to show it flagged as partial
     * @return how far the last boot's files were read, for {@link #follow}
     */
    public Position read(List<BootCatalog.Entry> boots, LineSink sink, boolean holdTail) throws IOException {
        List<Seg> opened = new ArrayList<>();
        try {
            List<Path> dirs = files.categories();
            // Each directory is listed once for all boots but the last (listing it per boot made
            // reading N boots cost N listings of N files); the last boot, the one that may be being
            // written and rotated, is listed just before its files are opened, as before.
            List<Map<String, List<LogFiles.Segment>>> listings = new ArrayList<>();
            for (Path dir : dirs) {
                Map<String, List<LogFiles.Segment>> byBoot = new HashMap<>();
                if (boots.size() > 1) {
                    for (LogFiles.Segment s : LogFiles.segments(dir)) {
                        byBoot.computeIfAbsent(s.boot(), k -> new ArrayList<>()).add(s);
                    }
                }
                listings.add(byBoot);
            }
            TimeSkips skips = query.needsTime() && timeIndex && !boots.isEmpty()
                    ? new TimeSkips(layout, query, chunk, TimeSkips.activeBoots(layout, boots.get(boots.size() - 1).id()))
                    : null;
            List<ChunkScans.Task> tasks = new ArrayList<>();
            // per boot, per category: the task index range [from, to)
            List<int[][]> ranges = new ArrayList<>();
            for (int b = 0; b < boots.size(); b++) {
                int[][] r = new int[dirs.size()][];
                boolean last = b == boots.size() - 1;
                for (int c = 0; c < dirs.size(); c++) {
                    int from = tasks.size();
                    for (Seg s : files.open(dirs.get(c), boots.get(b).id(), opened, last ? null : listings.get(c))) {
                        if (s.size == 0) {
                            tasks.add(new ChunkScans.Task(b, c, s, 0, 0, null, 0));
                            continue;
                        }
                        TimeSkips.FileRead times = skips == null ? null
                                : skips.plan(s.category, boots.get(b), s.path, s.ch, s.inode, s.size);
                        int k = 0;
                        for (long at = 0; at < s.size; at += chunk) {
                            tasks.add(new ChunkScans.Task(b, c, s, at, Math.min(s.size, at + chunk), times, k++));
                        }
                    }
                    r[c] = new int[] {from, tasks.size()};
                }
                ranges.add(r);
            }
            ChunkScans pipe = new ChunkScans(tasks, boots, holdTail, pool, threads, query, fastPath, tally);
            Position pos = new Position(boots.isEmpty() ? null : boots.get(boots.size() - 1).id());
            for (int b = 0; b < boots.size(); b++) {
                emitBoot(boots.get(b), ranges.get(b), pipe, sink, b == boots.size() - 1 ? pos : null);
            }
            if (skips != null) {
                skips.save();
            }
            return pos;
        } finally {
            BootFiles.closeAll(opened);
        }
    }

    /** Delivers one boot's lines: bulk for a single category, merged by time for several. */
    private void emitBoot(BootCatalog.Entry boot, int[][] ranges, ChunkScans pipe, LineSink sink, Position pos)
            throws IOException {
        List<int[]> nonEmpty = new ArrayList<>();
        for (int[] r : ranges) {
            if (r[1] > r[0]) {
                nonEmpty.add(r);
            }
        }
        boolean[] started = {false};
        if (nonEmpty.size() == 1) {
            int[] r = nonEmpty.get(0);
            for (int i = r[0]; i < r[1]; i++) {
                Matches m = pipe.take(i);
                note(pos, pipe.tasks.get(i), m);
                if (m.count > 0) {
                    start(boot, sink, started);
                    sink.lines(boot, m, 0, m.count);
                }
            }
        } else {
            List<Cursor> cursors = new ArrayList<>();
            for (int[] r : nonEmpty) {
                cursors.add(new Cursor(pipe, r[0], r[1], pos));
            }
            try {
                merge(boot, cursors, sink, started);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        if (pos != null) {
            pos.announced = started[0];
        }
    }

    private void merge(BootCatalog.Entry boot, List<Cursor> cursors, LineSink sink, boolean[] started)
            throws IOException {
        // Indexed loops, not for-each: C1 (what ./rayos runs on two cores) makes an iterator each time.
        int n = cursors.size();
        while (true) {
            Cursor best = null;
            int bestK = -1;
            for (int k = 0; k < n; k++) {
                Cursor c = cursors.get(k);
                if (c.ready() && (best == null || Matches.compare(c.m, c.i, best.m, best.i) < 0)) {
                    best = c;
                    bestK = k;
                }
            }
            if (best == null) {
                return;
            }
            start(boot, sink, started);
            // Emit the run of lines that stay ahead of every other cursor in one call. Equal times go
            // in category order (cursors are in it), as the pick above and -f's merge have them: a
            // line of an earlier category as early as the next of this run ends the run.
            int from = best.i;
            int to = from + 1;
            while (to < best.m.count) {
                boolean stillFirst = true;
                for (int k = 0; k < n; k++) {
                    Cursor c = cursors.get(k);
                    if (k == bestK || !c.ready()) {
                        continue;
                    }
                    int cmp = Matches.compare(c.m, c.i, best.m, to);
                    if (cmp < 0 || (cmp == 0 && k < bestK)) {
                        stillFirst = false;
                        break;
                    }
                }
                if (!stillFirst) {
                    break;
                }
                to++;
            }
            sink.lines(boot, best.m, from, to);
            best.i = to;
        }
    }

    private static void note(Position pos, ChunkScans.Task t, Matches m) {
        if (pos != null) {
            pos.put(t.seg.category, t.seg.inode, t.seg.size == 0 ? 0 : m.consumedEnd);
        }
    }

    private static void start(BootCatalog.Entry boot, LineSink sink, boolean[] started) throws IOException {
        if (!started[0]) {
            started[0] = true;
            sink.boot(boot);
        }
    }

    /** The lines of one category of a boot, chunk after chunk. */
    private final class Cursor {
        final ChunkScans pipe;
        final int end;
        final Position pos;
        int task;
        Matches m;
        int i;

        Cursor(ChunkScans pipe, int from, int to, Position pos) {
            this.pipe = pipe;
            this.task = from;
            this.end = to;
            this.pos = pos;
        }

        /** True when a line is at {@code m[i]}, loading the next chunks as needed. */
        boolean ready() {
            return (m != null && i < m.count) || advance();
        }

        /** Loads the next chunks until one has a line: apart from {@link #ready} so C2 keeps the merge loop small. */
        private boolean advance() {
            while (m == null || i >= m.count) {
                if (task >= end) {
                    return false;
                }
                try {
                    m = pipe.take(task);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                note(pos, pipe.tasks.get(task), m);
                task++;
                i = 0;
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ follow

    /**
     * Follows the machine from {@code pos} on: every {@code pollMillis}, the new whole lines of the
     * followed boot's files (merged by time across categories); when {@code current_boot_id} names
     * another boot, the rest of the old boot's lines, then the new boot's from their start. Returns
     * when {@code stop} says so (checked after each poll).
     */
    public void follow(Position pos, Boots boots, LineSink sink, long pollMillis, BooleanSupplier stop)
            throws IOException, InterruptedException {
        new LogFollower(files, query, fastPath, chunk).follow(pos, boots, sink, pollMillis, stop);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
