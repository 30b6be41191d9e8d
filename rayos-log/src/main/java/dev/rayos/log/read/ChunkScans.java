package dev.rayos.log.read;

import dev.rayos.log.boot.BootRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The chunks of one read, scanned by the reader's pool at most a window of them ahead of the one
 * thread that merges and writes ({@link #take}), so memory stays bounded whatever the amount of
 * logs. A chunk is the lines that start in {@code [start, end)} of one file; the time index may
 * say it holds no line of the query's window, and then it is not read at all.
 */
final class ChunkScans {
    private static final ThreadLocal<UtcStamps> STAMPS = ThreadLocal.withInitial(UtcStamps::new);

    /** One chunk of one file of one boot's category. */
    static final class Task {
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

    final List<Task> tasks;
    private final List<BootCatalog.Entry> boots;
    private final boolean holdTail;
    private final ExecutorService pool;
    private final int window;
    private final LogQuery query;
    private final boolean fastPath;
    private final ReadTally tally;
    private int ahead; // tasks before this index were submitted (or are being consumed)
    private int outstanding;

    ChunkScans(List<Task> tasks, List<BootCatalog.Entry> boots, boolean holdTail, ExecutorService pool, int threads,
               LogQuery query, boolean fastPath, ReadTally tally) {
        this.tasks = tasks;
        this.boots = boots;
        this.holdTail = holdTail;
        this.pool = pool;
        this.window = threads * 3;
        this.query = query;
        this.fastPath = fastPath;
        this.tally = tally;
    }

    /** The lines of task {@code i} that passed, once scanned; moves the window on. */
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
        t.future = pool.submit(() -> scan(t, pair, keepPartial));
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

    private Matches scan(Task t, BootRecord.TimeSync pair, boolean keepPartial) throws IOException {
        if (t.seg.size == 0) {
            return new Matches(t.seg.category, t.seg.path, 0, 0);
        }
        // Room for what is likely to pass, so the arrays are not regrown line after line: all of the
        // chunk when any line may, else a little of it.
        int guess = (int) Math.min(t.end - t.start + 1, query.passesEveryLine() ? Integer.MAX_VALUE : 64 << 10);
        if (t.times != null && t.times.skips(t.k)) {
            tally.chunkSkipped();
            Matches none = new Matches(t.seg.category, t.seg.path, 0, 0);
            none.consumedEnd = t.end; // whole lines only: a chunk with a partial line is never skipped
            return none;
        }
        tally.chunkRead(t.seg.path);
        Matches m = new Matches(t.seg.category, t.seg.path, guess, guess / 64);
        byte[] buf = ChunkReads.buffer();
        long rs = t.start == 0 ? 0 : t.start - 1; // the byte before: is a line starting at t.start?
        long re = ChunkReads.readEnd(t.end, t.seg.size);
        int len = ChunkReads.read(t.seg.ch, rs, buf, (int) (re - rs));
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
}
