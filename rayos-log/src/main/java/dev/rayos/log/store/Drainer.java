package dev.rayos.log.store;

import dev.rayos.log.root.BootId;
import dev.rayos.log.console.ConsoleSink;
import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.IoFailures;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.status.StatusChannel;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;

/**
 * The one thread that empties a process's ring: each pass copies a batch of records out of the
 * ring, offers the lines to the console, appends them to their category files (under the files'
 * locks, with the pass's intents in the ring header first), stores crash records, and only then
 * {@linkplain Ring#commit commits} the batch, so a failed pass is retried with the same records
 * and a killed one is redone by the next start exactly once. Fsyncs are the {@link Syncer}'s, which
 * moves the {@link DurableCursor} that urgent log calls wait on.
 *
 * <p>Waking costs a system call, so producers wake the drainer only for an urgent line or when a
 * batch's worth waits ({@link #afterAppend}); an idle drainer naps 1 ms, then sleeps until woken.
 * Before the store is mounted it feeds the console only and the ring keeps the lines.
 */
public final class Drainer {
    private static final long DURABLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A drainer that found the ring empty naps this long before it sleeps until woken. */
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final String STORE_FAILING = "store";
    static final String CRASH_HELD = "crash-report";

    private final Ring ring;
    private final ConsoleSink console;
    private final Policy policy;
    private final RootLayout layout;
    private final LogClock clock;
    private final StatusChannel status;
    private final int passBudget;
    /**
     * Pending bytes that wake a napping drainer early: a quarter of a lane. A steady flow then
     * finds the drainer's nap ending on its own, and the producers make no system call to wake it;
     * a burst still wakes it well before the ring is full.
     */
    private final long wakeBytes;
    private final Thread thread;
    private final Syncer syncer;
    private final CategoryFiles files;
    private final DurableCursor durable = new DurableCursor();
    private final Backoff backoff; // the drainer thread's
    private final ObjLongConsumer<Object> idle;
    private final BooleanSupplier pointlessToWait = this::pointlessToWait;
    private volatile boolean sleeping;
    private volatile boolean deepSleep; // sleeping until woken (or the idle timeout), not napping
    private volatile boolean stopping;
    private volatile long syncUpTo; // flush(): records below this order are wanted fsync'd now
    private volatile long consoleSeen; // records below this order were offered to the console
    private volatile IOException storeFailure;

    public Drainer(Ring ring, ConsoleSink console, Policy policy, RootLayout layout, BootId boot, LogClock clock,
                   StatusChannel status) {
        this(ring, console, policy, layout, boot, clock, status, LockSupport::parkNanos, LockSupport::parkNanos);
    }

    /**
     * @param pause how the drainer and its syncer wait out a failure's back-off (nanoseconds)
     * @param idle  how the idle drainer naps or sleeps until woken (its blocker, at most the
     *              nanoseconds given): {@link LockSupport#parkNanos}; a test's may sleep until woken
     */
    Drainer(Ring ring, ConsoleSink console, Policy policy, RootLayout layout, BootId boot, LogClock clock,
            StatusChannel status, LongConsumer pause, ObjLongConsumer<Object> idle) {
        this.idle = idle;
        this.ring = ring;
        this.console = console;
        this.policy = policy;
        this.layout = layout;
        this.clock = clock;
        this.status = status;
        long minFile = Long.MAX_VALUE;
        for (String c : policy.categories()) {
            minFile = Math.min(minFile, policy.retention(c).maxFileBytes());
        }
        this.passBudget = (int) Math.max(RingFormat.recordSize(dev.rayos.log.line.LineCodec.MAX_LINE_BYTES),
                Math.min(256 * 1024, minFile / 2));
        this.wakeBytes = ring.capacity() / 4;
        this.thread = new Thread(this::run, "rayos-log-drainer");
        this.thread.setDaemon(true);
        this.backoff = new Backoff(pause);
        this.syncer = new Syncer(durable::publish, this::storeFailed, "rayos-log-syncer", new Backoff(pause));
        this.files = new CategoryFiles(ring, layout, boot, policy, syncer,
                passBudget + RingFormat.recordSize(RingFormat.MAX_PAYLOAD));
    }

    public void start() {
        thread.start();
    }

    /** Called after every append to {@code lane}: wakes the drainer when the record should not wait for its nap. */
    public void afterAppend(int lane, boolean urgent) {
        // An unpark is a system call: wake a napping drainer only for an urgent line or when
        // a batch's worth is waiting in the caller's lane (the others' cursors are other cores'
        // lines); otherwise it finds the lines when its nap ends.
        if (urgent || (sleeping && (deepSleep || ring.pendingBytes(lane) >= wakeBytes))) {
            wake();
        }
    }

    public void wake() {
        sleeping = false;
        LockSupport.unpark(thread);
    }

    /** Waits (at most 10 s, less when the store is failing) until the record of {@code order} is fsync'd. */
    public void awaitDurable(long order) {
        if (ring.isMounted()) { // early boot: the ring is as durable as it gets
            durable.await(order, DURABLE_WAIT_NANOS, clock, pointlessToWait);
        }
    }

    // A failing store does not get better by waiting: the line is in the ring (the next start
    // writes it out) and the caller can ask storeFailure() and say so at once.
    private boolean pointlessToWait() {
        return stopping || !thread.isAlive() || storeFailure != null;
    }

    /** Waits until every record appended so far is in its file and fsync'd. */
    public void flush() {
        long target = ring.nextOrder();
        if (target == 0 || !ring.isMounted()) {
            return;
        }
        syncUpTo = Math.max(syncUpTo, target);
        wake();
        awaitDurable(target - 1);
    }

    /** Waits (at most {@code millis}) until every line appended so far was offered to the console. */
    public void awaitConsole(long millis) {
        long deadline = clock.monoNanos() + TimeUnit.MILLISECONDS.toNanos(millis);
        long target = ring.nextOrder();
        while (consoleSeen < target && clock.monoNanos() < deadline) {
            wake();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        try {
            console.awaitWritten(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - clock.monoNanos())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The order below which every record is in its file and fsync'd. */
    long durableSeq() {
        return durable.durableSeq();
    }

    /** Why the store last failed to write, if it is failing. */
    public IOException storeFailure() {
        return storeFailure;
    }

    private void run() {
        byte[] staging = new byte[passBudget + RingFormat.recordSize(RingFormat.MAX_PAYLOAD)];
        ByteBuffer view = ByteBuffer.wrap(staging).order(ByteOrder.LITTLE_ENDIAN);
        int maxRecords = staging.length / RingFormat.RECORD_HEADER + 1;
        int[] lineOffs = new int[maxRecords];
        int[] lineLens = new int[maxRecords];
        boolean[] lineUrgent = new boolean[maxRecords];
        long consoleOrder = 0; // records below it were offered to the console
        long[] consolePos = new long[ring.lanes()];
        long lastSync = clock.monoNanos();
        long requestedOrder = 0; // the last order handed to the syncer
        boolean napped = false;
        List<byte[]> crashes = new ArrayList<>();
        long syncInterval = policy.syncInterval().toNanos();
        while (true) {
            // Read before the batch: a stop seen here comes after every line appended before it,
            // so an empty batch then means all is out. Read after it, a line appended between the
            // batch and the stop would be left in the ring.
            boolean stop = stopping;
            boolean mounted = ring.isMounted();
            // Mounted, a pass starts at the commit cursors; before, the console's reading has its own.
            Ring.Pass b = ring.read(mounted ? null : consolePos, staging, passBudget);
            if (b.isEmpty()) {
                if (mounted && (syncUpTo > requestedOrder || stop
                        || (syncer.hasDirty() && clock.monoNanos() - lastSync >= syncInterval))) {
                    syncer.request(b.endOrder());
                    requestedOrder = b.endOrder();
                    lastSync = clock.monoNanos();
                }
                if (stop) {
                    break;
                }
                sleeping = true;
                if (ring.nextOrder() != b.endOrder() || stopping || syncUpTo > requestedOrder) {
                    sleeping = false;
                    continue;
                }
                // A nap first: under steady logging the next lines come within it, and producers
                // need not wake the drainer. Idle after the nap, it sleeps until a line wakes it.
                if (!napped) {
                    napped = true;
                    idle.accept(this, NAP_NANOS);
                } else {
                    long park = !syncer.hasDirty() ? IDLE_PARK_NANOS
                            : Math.max(1_000_000L, syncInterval - (clock.monoNanos() - lastSync));
                    deepSleep = true;
                    if (ring.nextOrder() == b.endOrder() && !stopping) {
                        idle.accept(this, park);
                    }
                    deepSleep = false;
                }
                sleeping = false;
                continue;
            }
            napped = false;
            boolean urgent = false;
            int lines = 0;
            crashes.clear();
            // A pass is in order: only when it starts below what the console was offered (the first
            // pass after the mount) does any record need the check.
            boolean offered = RingFormat.recordOrder(staging, 0, b.endOrder()) < consoleOrder;
            for (int off = 0; off < b.length(); ) {
                int len = RingFormat.recordLength(view, off);
                int payload = RingFormat.payloadAt(off);
                int cat = RingFormat.recordCategory(staging, off);
                boolean recUrgent = (RingFormat.recordFlags(view, off) & RingFormat.FLAG_URGENT) != 0;
                byte type = RingFormat.recordType(staging, off);
                if (type == RingFormat.TYPE_LINE) {
                    if (!offered || RingFormat.recordOrder(staging, off, b.endOrder()) >= consoleOrder) {
                        lineOffs[lines] = payload;
                        lineLens[lines] = len;
                        lineUrgent[lines] = recUrgent;
                        lines++;
                    }
                    if (mounted) {
                        files.add(cat, staging, payload, len);
                    }
                } else if (type == RingFormat.TYPE_CRASH && mounted) {
                    crashes.add(Arrays.copyOfRange(staging, payload, payload + len));
                }
                urgent |= recUrgent;
                off += RingFormat.recordSize(len);
            }
            try {
                console.offerAll(staging, lineOffs, lineLens, lineUrgent, lines);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consoleOrder = Math.max(consoleOrder, b.endOrder());
            if (!mounted) {
                consolePos = b.endPos();
            }
            consoleSeen = consoleOrder;
            if (!mounted) {
                continue;
            }
            boolean sync = urgent || syncUpTo > requestedOrder || clock.monoNanos() - lastSync >= syncInterval;
            try {
                ring.beginPass(b);
                files.writeAll();
                storeCrashes(crashes);
                ring.commit(b);
                if (sync) {
                    // The syncer fsyncs what was written and then publishes the batch as durable;
                    // the drainer goes on with the next batch meanwhile.
                    syncer.request(b.endOrder());
                    requestedOrder = b.endOrder();
                    lastSync = clock.monoNanos();
                }
                backoff.succeeded();
                if (storeFailure != null) {
                    storeFailure = null;
                    status.cleared(STORE_FAILING);
                }
            } catch (IOException | RuntimeException e) {
                // Logback's lesson: never throw into the application; report, back off, retry the
                // same records (they stay in the ring until committed).
                storeFailed(e);
                backoff.failedAndWait();
                if (stopping) {
                    break; // closing: what is left stays in the ring for the next start
                }
            } finally {
                files.clear();
            }
        }
    }

    /**
     * A crash report is committed like a line once it is in its file, or set aside for the next
     * start when it cannot be: never blocking the lines behind it, and never logged from here (an
     * urgent line would wait for this very thread).
     */
    private void storeCrashes(List<byte[]> crashes) throws IOException {
        for (byte[] c : crashes) {
            CrashRecords.Result r = CrashRecords.store(layout, clock, c);
            if (r.problem() != null) {
                status.report(CRASH_HELD, "crash report of boot " + (r.boot() == null ? "?" : r.boot().hex())
                        + ": " + r.problem() + (r.heldIn() != null ? "; held in " + layout.relative(r.heldIn()) : ""));
            }
        }
    }

    private void storeFailed(Exception e) {
        IOException io = e instanceof IOException ? (IOException) e : new IOException(e);
        storeFailure = io;
        status.report(STORE_FAILING, "cannot write logs: " + IoFailures.inWords(io, layout.logsDir())
                + " (lines stay in the ring; retrying)");
    }

    /**
     * Stops the thread after a last pass (what cannot be written stays in the ring for the next
     * start), runs the last fsync round, and closes the files.
     */
    public void stop() throws IOException {
        stopping = true;
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        syncer.close(TimeUnit.SECONDS.toMillis(30));
    }

    /** Closes the category files once the threads have stopped; the first failure is thrown. */
    public void closeFiles() throws IOException {
        files.close();
    }

    public boolean isStopping() {
        return stopping;
    }
}
