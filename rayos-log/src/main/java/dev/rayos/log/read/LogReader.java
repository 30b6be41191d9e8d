package dev.rayos.log.read;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.RootLayout;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 */
public final class LogReader implements Closeable {
    static final int CHUNK = 1 << 20;
    private static final int WINDOW_SLACK = LineCodec.MAX_LINE_BYTES + 2;
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[CHUNK + WINDOW_SLACK]);
    private static final ThreadLocal<UtcStamps> STAMPS = ThreadLocal.withInitial(UtcStamps::new);
    private static final ThreadLocal<ByteBuffer> DIRECT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK + WINDOW_SLACK));

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
    private final java.util.Set<Path> filesRead = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong chunksRead = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong chunksSkipped = new java.util.concurrent.atomic.AtomicLong();
    /** Files that could not be read, each once, with why: skipped, the rest read (the caller reports them). */
    private final java.util.Set<String> problems = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

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
        return new Counts(filesRead.size(), chunksRead.get(), chunksSkipped.get());
    }

    /** False to read every file in full under a time window, without the time index ({@code RAYOS_TIME_INDEX=off}). */
    public void useTimeIndex(boolean on) {
        timeIndex = on;
    }

    /** The files a chunk of which was read (tests). */
    java.util.Set<Path> filesRead() {
        return java.util.Set.copyOf(filesRead);
    }

    /** How far each file of one boot has been read: category → inode → offset after the last whole line. */
    public static final class Position {
        final BootId boot;
        final Map<String, Map<Long, Long>> consumed = new HashMap<>();

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
        this.threads = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "rayos-read");
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------ plan

    private static final class Seg {
        final String category;
        final Path path;
        final FileChannel ch;
        final long size;
        final long inode;

        Seg(String category, Path path, FileChannel ch, long size, long inode) {
            this.category = category;
            this.path = path;
            this.ch = ch;
            this.size = size;
            this.inode = inode;
        }
    }

    private static final class Task {
        final int boot;
        final int cat;
        final Seg seg;
        final long start;
        final long end;
        /** The file's use of the time index, or null; this is its chunk number {@code k}. */
        final TimeSkips.FileRead times;
        final int k;
        Future<Matches> future;

        Task(int boot, int cat, Seg seg, long start, long end, TimeSkips.FileRead times, int k) {
            this.boot = boot;
            this.cat = cat;
            this.seg = seg;
            this.start = start;
            this.end = end;
            this.times = times;
            this.k = k;
        }
    }

    /** The categories to read: all directories, or those the query names. */
    private List<Path> categories() throws IOException {
        List<Path> dirs = BootCatalog.categoryDirs(layout); // unreadable ones left out (BootCatalog.unreadable says)
        if (query.categories() == null) {
            return dirs;
        }
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (query.categories().contains(d.getFileName().toString())) {
                out.add(d);
            }
        }
        return out;
    }

    /** Opens the segments of one boot in one category, oldest first (a file that vanished is skipped). */
    private List<Seg> openSegments(Path dir, BootId boot, List<Seg> opened) throws IOException {
        return openSegments(dir, boot, opened, null);
    }

    /**
     * The same, from a listing of {@code dir} grouped by boot, taken once for many boots (or null: list
     * now). Listed now, the files opened are checked against a second listing: a rotation in between
     * (the active file renamed to a new part, a new active file made) would have the new active file
     * read before the rest of the renamed one, so the lines came out of order; then it is done again.
     */
    private List<Seg> openSegments(Path dir, BootId boot, List<Seg> opened,
                                   Map<String, List<LogFiles.Segment>> listing) throws IOException {
        if (listing != null) {
            return openListed(dir, listing.getOrDefault(boot.hex(), List.of()), opened);
        }
        for (int attempt = 0; ; attempt++) {
            List<LogFiles.Segment> segs = listOf(dir, boot);
            int mark = opened.size(); // the caller closes what is in opened, whatever happens
            List<Seg> out = openListed(dir, segs, opened);
            java.util.Set<Path> before = new java.util.HashSet<>();
            segs.forEach(x -> before.add(x.path()));
            boolean rotated = listOf(dir, boot).stream().anyMatch(x -> !before.contains(x.path()));
            if (!rotated || attempt == 4) {
                return out; // (after five rotations in a row, the next poll puts the rest in order)
            }
            while (opened.size() > mark) {
                opened.remove(opened.size() - 1).ch.close();
            }
        }
    }

    private static List<LogFiles.Segment> listOf(Path dir, BootId boot) throws IOException {
        List<LogFiles.Segment> segs = new ArrayList<>();
        for (LogFiles.Segment s : LogFiles.segments(dir, boot.hex())) {
            if (s.boot().equals(boot.hex())) {
                segs.add(s);
            }
        }
        return segs;
    }

    /** Opens the listed segments, oldest first (a file that vanished since is skipped). */
    private List<Seg> openListed(Path dir, List<LogFiles.Segment> listed, List<Seg> opened) throws IOException {
        List<LogFiles.Segment> segs = new ArrayList<>(listed);
        segs.sort((a, b) -> a.order().compareTo(b.order())); // not Comparator.comparing: see CategoryFile.overCap
        List<Seg> out = new ArrayList<>();
        String cat = dir.getFileName().toString();
        for (LogFiles.Segment s : segs) {
            // The inode before and after opening agree: the channel is that file, even if a
            // rotation renames it a moment later (the follower tracks files by inode).
            for (int attempt = 0; attempt < 3; attempt++) {
                long before = LogFiles.inodeOf(s.path());
                if (before < 0) {
                    break; // rotated or retained away since the listing
                }
                FileChannel ch;
                try {
                    ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    break;
                } catch (java.nio.file.AccessDeniedException denied) {
                    problems.add(layout.relative(s.path()) + ": permission denied");
                    break;
                }
                try {
                    long size = ch.size();
                    if (LogFiles.inodeOf(s.path()) != before) {
                        ch.close();
                        continue;
                    }
                    Seg seg = new Seg(cat, s.path(), ch, size, before);
                    opened.add(seg);
                    out.add(seg);
                    break;
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
            }
        }
        return out;
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
            List<Path> dirs = categories();
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
            List<Task> tasks = new ArrayList<>();
            // per boot, per category: the task index range [from, to)
            List<int[][]> ranges = new ArrayList<>();
            for (int b = 0; b < boots.size(); b++) {
                int[][] r = new int[dirs.size()][];
                boolean last = b == boots.size() - 1;
                for (int c = 0; c < dirs.size(); c++) {
                    int from = tasks.size();
                    for (Seg s : openSegments(dirs.get(c), boots.get(b).id(), opened, last ? null : listings.get(c))) {
                        if (s.size == 0) {
                            tasks.add(new Task(b, c, s, 0, 0, null, 0));
                            continue;
                        }
                        TimeSkips.FileRead times = skips == null ? null
                                : skips.plan(s.category, boots.get(b), s.path, s.ch, s.inode, s.size);
                        int k = 0;
                        for (long at = 0; at < s.size; at += chunk) {
                            tasks.add(new Task(b, c, s, at, Math.min(s.size, at + chunk), times, k++));
                        }
                    }
                    r[c] = new int[] {from, tasks.size()};
                }
                ranges.add(r);
            }
            Pipeline pipe = new Pipeline(tasks, boots, holdTail);
            Position pos = new Position(boots.isEmpty() ? null : boots.get(boots.size() - 1).id());
            for (int b = 0; b < boots.size(); b++) {
                emitBoot(boots.get(b), ranges.get(b), pipe, sink, b == boots.size() - 1 ? pos : null);
            }
            if (skips != null) {
                skips.save();
            }
            return pos;
        } finally {
            for (Seg s : opened) {
                try {
                    s.ch.close();
                } catch (IOException ignored) {
                    // read-only: nothing to lose
                }
            }
        }
    }

    /** Scans tasks ahead of the consumer, at most a window of them at a time. */
    private final class Pipeline {
        final List<Task> tasks;
        final List<BootCatalog.Entry> boots;
        final boolean holdTail;
        final int window = threads * 3;
        int ahead; // tasks before this index were submitted (or are being consumed)
        int outstanding;

        Pipeline(List<Task> tasks, List<BootCatalog.Entry> boots, boolean holdTail) {
            this.tasks = tasks;
            this.boots = boots;
            this.holdTail = holdTail;
        }

        Matches take(int i) throws IOException {
            Task t = tasks.get(i);
            if (t.future == null) {
                submit(t);
            }
            topUp(i);
            try {
                Matches m = t.future.get();
                t.future = null; // the consumer holds it now; the window may move on
                outstanding--;
                topUp(i);
                return m;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading logs", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException) {
                    throw (IOException) c;
                }
                throw new IOException("reading " + t.seg.path + ": " + c, c);
            }
        }

        private void submit(Task t) {
            boolean keepPartial = !(holdTail && t.boot == boots.size() - 1);
            BootRecord.TimeSync pair = boots.get(t.boot).clockPair();
            t.future = pool.submit(() -> scanTask(t, pair, keepPartial));
            outstanding++;
        }

        private void topUp(int consumer) {
            ahead = Math.max(ahead, consumer + 1);
            while (ahead < tasks.size() && outstanding < window) {
                Task t = tasks.get(ahead++);
                if (t.future == null) {
                    submit(t);
                }
            }
        }
    }

    private Matches scanTask(Task t, BootRecord.TimeSync pair, boolean keepPartial) throws IOException {
        if (t.seg.size == 0) {
            return new Matches(t.seg.category, t.seg.path, 0, 0);
        }
        // Room for what is likely to pass, so the arrays are not regrown line after line: all of the
        // chunk when any line may, else a little of it.
        int guess = (int) Math.min(t.end - t.start + 1, query.passesEveryLine() ? Integer.MAX_VALUE : 64 << 10);
        if (t.times != null && t.times.skips(t.k)) {
            chunksSkipped.incrementAndGet();
            Matches none = new Matches(t.seg.category, t.seg.path, 0, 0);
            none.consumedEnd = t.end; // whole lines only: a chunk with a partial line is never skipped
            return none;
        }
        chunksRead.incrementAndGet();
        filesRead.add(t.seg.path);
        Matches m = new Matches(t.seg.category, t.seg.path, guess, guess / 64);
        byte[] buf = BUFFERS.get();
        long rs = t.start == 0 ? 0 : t.start - 1;
        long re = Math.min(t.seg.size, t.end + WINDOW_SLACK - 1);
        int len = readChunk(t.seg.ch, rs, buf, (int) (re - rs));
        int from = 0;
        if (t.start > 0) {
            int lf = LineScanner.indexOfLf(buf, 0, len);
            if (lf < 0 || lf + 1 > t.end - rs) {
                m.consumedEnd = t.end; // no line starts here: it is the middle of an overlong one
                measured(t, ChunkTimes.EMPTY);
                return m;
            }
            from = lf + 1;
        }
        int startLimit = (int) Math.min(len, t.end - rs);
        boolean atFileEnd = rs + len == t.seg.size;
        int after = new LineScanner(query, pair, fastPath).scan(buf, from, startLimit, len, rs, atFileEnd, keepPartial, m);
        m.consumedEnd = rs + after;
        if (t.times != null && t.times.measuring() != null) {
            measured(t, ChunkTimes.measure(buf, from, startLimit, len, STAMPS.get()));
        }
        return m;
    }

    private static void measured(Task t, ChunkTimes c) {
        if (t.times != null && t.times.measuring() != null) {
            t.times.measuring()[t.k] = c; // seen by save() through the future's get
        }
    }

    /**
     * Reads {@code len} bytes at {@code at} into {@code buf}: {@code pread} into this thread's own
     * direct buffer, kept from chunk to chunk, then one copy into the heap array. A mapping of each
     * chunk (what this did before) cost about 0.8 s of CPU per GiB here, most of it in page faults
     * and unmapping; a {@code FileChannel.read} into a heap array goes through a temporary direct
     * buffer of its own. This costs about 0.3 s per GiB (docs/PERFORMANCE.md, "Reading logs").
     * Reads what is there when the file is shorter than its size taken at open (it was cut since).
     */
    private static int readChunk(FileChannel ch, long at, byte[] buf, int len) throws IOException {
        ByteBuffer d = DIRECT.get();
        d.clear().limit(len);
        while (d.hasRemaining()) {
            if (ch.read(d, at + d.position()) < 0) {
                break; // the file shrank (a repaired torn tail): read what is there
            }
        }
        int n = d.position();
        d.get(0, buf, 0, n);
        return n;
    }

    /** Delivers one boot's lines: bulk for a single category, merged by time for several. */
    private void emitBoot(BootCatalog.Entry boot, int[][] ranges, Pipeline pipe, LineSink sink, Position pos)
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
            return;
        }
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

    private void note(Position pos, Task t, Matches m) {
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
        final Pipeline pipe;
        final int end;
        final Position pos;
        int task;
        Matches m;
        int i;

        Cursor(Pipeline pipe, int from, int to, Position pos) {
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
        BootId followed = pos.boot != null ? pos.boot : boots.current().orElse(null);
        Position at = pos.boot != null ? pos : new Position(followed);
        boolean announced = pos.boot != null;
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
                at = new Position(followed);
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
    private boolean pollOnce(BootCatalog.Entry boot, Position at, LineSink sink, boolean announce) throws IOException {
        List<Seg> opened = new ArrayList<>();
        try {
            List<List<Matches>> perCat = new ArrayList<>();
            for (Path dir : categories()) {
                List<Matches> got = new ArrayList<>();
                for (Seg s : openSegments(dir, boot.id(), opened)) {
                    long from = at.get(s.category, s.inode);
                    while (from < s.size) {
                        Matches m = new Matches(s.category, s.path, 0, 0);
                        // Lines that start in [from, to), read on past it as a chunk task does, so a
                        // line that crosses `to` is read whole rather than shown as two corrupt halves.
                        long to = Math.min(s.size, from + chunk);
                        long readTo = Math.min(s.size, to + WINDOW_SLACK - 1);
                        byte[] buf = BUFFERS.get();
                        int len = readChunk(s.ch, from, buf, (int) (readTo - from));
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
            for (Seg s : opened) {
                s.ch.close();
            }
        }
    }

    /** Merges a poll's lines of several categories by time. */
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
