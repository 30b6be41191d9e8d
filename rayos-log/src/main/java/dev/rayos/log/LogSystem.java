package dev.rayos.log;

import dev.rayos.log.boot.BootId;
import dev.rayos.log.console.ConsoleSink;
import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.policy.PolicyException;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.store.RingRecovery;
import dev.rayos.log.store.Syncer;
import dev.rayos.log.time.LogClock;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The logging pipeline of one process for one boot (ARCHITECTURE.md, "The pipeline"):
 *
 * <pre>
 * log call → format into the thread's buffer → redact (policy) → append to the RING → return
 *                                    drainer thread: ring → category files (lock, rotate, retain,
 *                                    fsync policy, commit cursor) and ring → console queue
 * </pre>
 *
 * <p>Durability: markers and ERROR-and-worse lines are fsync'd in their file before the log call
 * returns; other lines are written within milliseconds and fsync'd within the policy's
 * {@code store.sync_interval} (≤ 1 s). Before {@link #mount()} (early boot, no data partition) lines
 * are held in the ring and shown on the console only. On start, rings left by dead processes are
 * written out first ({@link RingRecovery}).
 *
 * <p>Crash reports in the ring ({@link RingFormat#TYPE_CRASH}, put there by a panic that could
 * not write its report): the drainer writes them to {@code crash/panics/} once the store is
 * mounted, and on start the ones found in orphaned rings are written out ({@link #crashWriteOuts()});
 * one that cannot be written is set aside for the next start ({@link CrashRecords}).
 *
 * <p>Several processes may log under one root at once: each has its own ring, and the files are
 * shared under per-category file locks (see {@link CategoryFile}).
 */
public final class LogSystem implements AutoCloseable {
    /** The component of the logging system's own lines. */
    public static final String SELF = "log";
    private static final long DURABLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A drainer that found the ring empty naps this long before it sleeps until woken. */
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Pending bytes that wake a napping drainer early. */
    private static final long WAKE_BYTES = 64 * 1024;

    private final RootLayout layout;
    private final BootId boot;
    private final Policy policy;
    private final LogClock clock;
    private final Ring ring;
    private final ConsoleSink console;
    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ThreadLocal<Event> events;
    private final CategoryFile[] files = new CategoryFile[RingFormat.MAX_CATEGORIES];
    private final ByteBuffer[] catBufs = new ByteBuffer[RingFormat.MAX_CATEGORIES];
    private final int passBudget;
    private final Thread drainer;
    private final Syncer syncer;
    private final List<RingRecovery.Outcome> recovered;
    private List<CrashRecords.Result> crashWriteOuts = List.of();
    private final ReentrantLock durableLock = new ReentrantLock();
    private final Condition durableAdvanced = durableLock.newCondition();
    private long durableSeq; // guarded by durableLock: every seq below it is fsync'd
    private volatile boolean wallClockKnown;
    private final MarkerListener markerListener;
    private volatile boolean markerListenerFailed;
    private volatile boolean drainerSleeping;
    private volatile boolean deepSleep; // sleeping until woken (or the idle timeout), not napping
    private volatile boolean stopping;
    private volatile long syncUpTo; // flush(): records below this seq are wanted fsync'd now
    private volatile long consoleSeen; // records below this seq were offered to the console
    private volatile IOException storeFailure;
    private final Logger self;

    private LogSystem(Builder b, Policy policy, List<RingRecovery.Outcome> recovered, Ring ring, ConsoleSink console) {
        this.layout = b.layout;
        this.boot = b.boot;
        this.policy = policy;
        this.clock = b.clock;
        this.ring = ring;
        this.console = console;
        this.recovered = recovered;
        this.wallClockKnown = b.wallClockKnown;
        this.markerListener = b.markerListener;
        long minFile = Long.MAX_VALUE;
        for (String c : policy.categories()) {
            minFile = Math.min(minFile, policy.retention(c).maxFileBytes());
        }
        this.passBudget = (int) Math.max(RingFormat.recordSize(LineCodec.MAX_LINE_BYTES),
                Math.min(256 * 1024, minFile / 2));
        this.events = ThreadLocal.withInitial(() -> new Event(this));
        this.self = logger(SELF);
        this.drainer = new Thread(this::drainLoop, "rayos-log-drainer");
        this.drainer.setDaemon(true);
        this.syncer = new Syncer(this::publishDurable, this::reportStoreFailure, "rayos-log-syncer");
    }

    /** Starts building a log system for the machine at {@code layout}. */
    public static Builder builder(RootLayout layout) {
        return new Builder(layout);
    }

    /** Options of a log system; {@link #open()} starts it. */
    public static final class Builder {
        private final RootLayout layout;
        private BootId boot;
        private Policy policy;
        private PolicyException policyError;
        private LogClock clock = LogClock.system();
        private OutputStream consoleOut;
        private Path ringPath;
        private boolean mounted = true;
        private boolean wallClockKnown = true;
        private MarkerListener markerListener;

        Builder(RootLayout layout) {
            this.layout = layout;
        }

        /** The boot lines belong to (required). */
        public Builder boot(BootId boot) {
            this.boot = boot;
            return this;
        }

        /** Use this policy instead of reading {@code etc/rayos/policy.conf}. */
        public Builder policy(Policy policy) {
            this.policy = policy;
            return this;
        }

        public Builder clock(LogClock clock) {
            this.clock = clock;
            return this;
        }

        /** Write the console here instead of the policy's {@code console.device}. */
        public Builder console(OutputStream out) {
            this.consoleOut = out;
            return this;
        }

        /** The ring file (default {@code run/rayos/ring/<pid>.ring}). */
        public Builder ring(Path path) {
            this.ringPath = path;
            return this;
        }

        /** False for early boot: hold lines in the ring until {@link LogSystem#mount()}. */
        public Builder mounted(boolean mounted) {
            this.mounted = mounted;
            return this;
        }

        /** False when lines must carry {@code mono:} time until the wall clock is known. */
        public Builder wallClockKnown(boolean known) {
            this.wallClockKnown = known;
            return this;
        }

        /** Told of every readiness marker logged (the CLI records them in the boot history). */
        public Builder onMarker(MarkerListener listener) {
            this.markerListener = listener;
            return this;
        }

        /**
         * Recovers orphaned rings, creates this process's ring, opens the console and starts the
         * drainer.
         */
        public LogSystem open() throws IOException {
            if (boot == null) {
                throw new IllegalStateException("a log system needs the boot it logs for");
            }
            Policy p = policy;
            if (p == null) {
                Policy.Loaded loaded = Policy.load(layout);
                p = loaded.policy();
                policyError = loaded.error();
            }
            List<RingRecovery.Outcome> recovered = new ArrayList<>();
            // A broken store must not stop this process from logging (into its ring and console):
            // an orphan that cannot be written out stays for the next start.
            IOException[] recoveryFailure = new IOException[1];
            Path ringFile = ringPath != null ? ringPath
                    : layout.ringDir().resolve(ProcessId.current() + ".ring");
            Files.createDirectories(ringFile.getParent());
            if (mounted) {
                prepareCrashDir(layout);
                recovered.addAll(RingRecovery.recoverOrphans(layout, p, layout.ringDir(), e -> {
                    if (recoveryFailure[0] == null) {
                        recoveryFailure[0] = e;
                    }
                }));
                if (ringPath != null && !ringPath.getParent().equals(layout.ringDir())) {
                    RingRecovery.Outcome own = RingRecovery.recoverOne(layout, p, ringPath);
                    if (own != null) {
                        recovered.add(own);
                    }
                }
            }
            long capacity = p.ringBytes() & ~7L;
            Ring ring = Ring.create(ringFile, capacity, boot);
            OutputStream out;
            try {
                out = consoleOut != null ? consoleOut : openConsole(layout, p.consoleDevice());
            } catch (IOException | RuntimeException e) {
                ring.close(); // nothing logged yet: the empty ring goes, and its lock with it
                throw e;
            }
            LogSystem[] holder = new LogSystem[1];
            ConsoleSink console = new ConsoleSink(out, p.consoleQueueBytes(),
                    n -> holder[0].noticeLine(Marker.LOG_DROPPED, "sink=serial count=" + n), "rayos-log-console");
            LogSystem s = new LogSystem(this, p, recovered, ring, console);
            holder[0] = s;
            if (recoveryFailure[0] != null) {
                // not storeFailure: this process's own lines may well be stored (another category)
                System.err.println("rayos-log: lines of an earlier process held in " + layout.relative(layout.ringDir())
                        + " cannot be written out yet (" + inWords(recoveryFailure[0]) + "); they stay there for the next start");
            }
            if (mounted) {
                ring.mount();
            }
            s.drainer.start();
            s.writeOutRecoveredCrashes();
            s.reportStart(policyError);
            return s;
        }
    }

    /** Opens the console device: stdout, stderr, an absolute path, or a path under the root. */
    static OutputStream openConsole(RootLayout layout, String device) throws IOException {
        switch (device) {
            case "stdout":
                return unclosable(new FileOutputStream(FileDescriptor.out));
            case "stderr":
                return unclosable(new FileOutputStream(FileDescriptor.err));
            default:
                Path p = Path.of(device);
                if (!p.isAbsolute()) {
                    p = layout.root().resolve(device).normalize();
                    if (!p.startsWith(layout.root())) {
                        throw new IOException("console.device '" + device + "' leads outside the root");
                    }
                    Files.createDirectories(p.getParent());
                }
                return new FileOutputStream(p.toFile(), true);
        }
    }

    /**
     * Creates {@code crash/panics/}: a mounted store means the data partition is there, so a panic
     * from now on writes its report there rather than into the ring. Best effort: when it cannot be
     * made, panics fall back to the ring, which is the point.
     */
    private static void prepareCrashDir(RootLayout layout) {
        try {
            Files.createDirectories(layout.crashPanicsDir());
        } catch (IOException | RuntimeException e) {
            // reported by the panic that finds it missing
        }
    }

    /**
     * Spec §4.1, "flush on next boot": the crash reports that recovery found in orphaned rings go to
     * {@code crash/panics/<their boot>.log} and mark their boots crashed. Here, at every mounted
     * start of a writer (so {@code rayos boot} does it first thing), and before this process logs
     * anything, so the report is on disk before a new crash could need the name.
     */
    private void writeOutRecoveredCrashes() {
        List<byte[]> payloads = new ArrayList<>();
        for (RingRecovery.Outcome o : recovered) {
            for (var r : o.crashRecords()) {
                payloads.add(r.payload());
            }
        }
        if (!payloads.isEmpty()) {
            crashWriteOuts = List.copyOf(CrashRecords.storeAll(layout, clock, payloads));
        }
    }

    /** What start-up did with the crash reports found in orphaned rings. */
    public List<CrashRecords.Result> crashWriteOuts() {
        return crashWriteOuts;
    }

    /** The process's own stdout or stderr: the console sink closes its device, but not these. */
    public static OutputStream unclosable(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private void reportStart(PolicyException policyError) {
        if (policyError != null) {
            self.warn(Marker.POLICY_INVALID).kv("file", layout.relative(layout.policyFile()))
                    .kv("line", policyError.line()).kv("error", policyError.getMessage()).log();
        }
        for (CrashRecords.Result c : crashWriteOuts) {
            if (c.report() != null) {
                Event e = self.warn("CRASH_REPORT_RECOVERED").kv("boot", c.boot().hex())
                        .kv("report", layout.relative(c.report()));
                if (c.problem() != null) {
                    e.kv("problem", c.problem());
                }
                e.log();
            } else {
                self.error("CRASH_REPORT_HELD").kv("boot", c.boot() == null ? "unknown" : c.boot().hex())
                        .kv("held_in", c.heldIn() == null ? "nothing" : layout.relative(c.heldIn()))
                        .kv("problem", c.problem()).log();
            }
        }
        for (RingRecovery.Outcome o : recovered) {
            String ringName = o.ring().getFileName().toString();
            if (o.error() != null) {
                self.warn(Marker.LOG_CORRUPT).kv("ring", ringName).kv("count", o.corrupt())
                        .kv("error", o.error()).log();
                continue;
            }
            self.info(Marker.LOG_RECOVERED).kv("ring", ringName).kv("boot", o.boot().hex())
                    .kv("lines", o.written()).kv("already_in_files", o.alreadyInFiles()).log();
            if (o.corrupt() > 0) {
                self.warn(Marker.LOG_CORRUPT).kv("ring", ringName).kv("boot", o.boot().hex())
                        .kv("count", o.corrupt()).log();
            }
            if (o.lost() > 0) {
                self.warn(Marker.LOG_DROPPED).kv("sink", "ring").kv("boot", o.boot().hex())
                        .kv("count", o.lost()).log();
            }
        }
    }

    /** The logger of a component (created on first use, then shared). */
    public Logger logger(String component) {
        Logger l = loggers.get(component);
        if (l != null) {
            return l;
        }
        LineCodec.requireComponent(component);
        return loggers.computeIfAbsent(component, c -> {
            String cat = policy.categoryOf(c);
            return new Logger(this, c, cat, ring.categoryIndex(cat), policy.isRedacted(cat), policy.minLevel());
        });
    }

    /**
     * The logger of a component whose lines go to a named category rather than the one the policy
     * maps the component to: for bridges whose source names the category (a syslog facility mapped
     * by {@code syslog.facility.<name>}). Created on first use, then shared.
     */
    public Logger logger(String component, String category) {
        String key = category + "/" + component;
        Logger l = loggers.get(key);
        if (l != null) {
            return l;
        }
        LineCodec.requireComponent(component);
        RootLayout.requireCategory(category);
        return loggers.computeIfAbsent(key, k -> new Logger(this, component, category, ring.categoryIndex(category),
                policy.isRedacted(category), policy.minLevel()));
    }

    public BootId boot() {
        return boot;
    }

    public RootLayout layout() {
        return layout;
    }

    public Policy policy() {
        return policy;
    }

    public LogClock clock() {
        return clock;
    }

    /** What start-up recovery wrote out of orphaned rings (crash records among it). */
    public List<RingRecovery.Outcome> recovered() {
        return recovered;
    }

    public boolean wallClockKnown() {
        return wallClockKnown;
    }

    /**
     * Called by an event after a readiness marker was written: tells the listener, which must never
     * make the log call fail (a history that cannot be updated is reported once on stderr).
     */
    void markerReached(String marker) {
        MarkerListener l = markerListener;
        if (l == null) {
            return;
        }
        long mono = clock.monoNanos();
        String utc = null;
        if (wallClockKnown) {
            LineBuffer b = new LineBuffer(40);
            LineCodec.appendUtc(b, clock.utcNanos() / 1000 * 1000);
            utc = b.toString();
        }
        try {
            l.reached(boot, marker, mono, utc);
        } catch (Exception | LinkageError e) {
            if (!markerListenerFailed) {
                markerListenerFailed = true;
                System.err.println("rayos-log: cannot record marker " + marker + " in the boot history: " + e);
            }
        }
    }

    /** From now on lines carry UTC time. */
    public void wallClockBecameKnown() {
        wallClockKnown = true;
    }

    /** The ring behind this log system (crash reports read their last lines from it). */
    public Ring ring() {
        return ring;
    }

    /**
     * The data partition is mounted: the drainer writes out the ring, oldest first, and from now on
     * keeps the files current. Reports lines the ring lost meanwhile.
     */
    public void mount() {
        if (ring.isMounted()) {
            return;
        }
        prepareCrashDir(layout);
        ring.mount();
        wakeDrainer();
        long lost = ring.lost();
        if (lost > 0) {
            self.warn(Marker.LOG_DROPPED).kv("sink", "ring").kv("count", lost).log();
        }
    }

    Event event() {
        Event e = events.get();
        if (e.active) {
            return new Event(this); // a value's toString() logging mid-event: rare, allocation is fine
        }
        return e;
    }

    void write(Logger logger, LineBuffer line, boolean urgent) {
        long seq = ring.append(RingFormat.TYPE_LINE, logger.categoryIndex(), urgent ? RingFormat.FLAG_URGENT : 0,
                line.array(), 0, line.length());
        // An unpark is a system call: wake a napping drainer only for an urgent line or when
        // a batch's worth is waiting; otherwise it finds the lines when its nap ends.
        if (urgent || (drainerSleeping && (deepSleep || ring.pendingBytes() >= WAKE_BYTES))) {
            wakeDrainer();
        }
        if (urgent) {
            awaitDurable(seq);
        }
    }

    /** Appends a record of another type (crash reports) to the ring; durable like a marker. */
    public long writeRecord(byte type, byte[] payload) {
        long seq = ring.append(type, 0, RingFormat.FLAG_URGENT, payload, 0, payload.length);
        wakeDrainer();
        return seq;
    }

    private void wakeDrainer() {
        drainerSleeping = false;
        LockSupport.unpark(drainer);
    }

    private void awaitDurable(long seq) {
        if (!ring.isMounted()) {
            return; // early boot: the ring is as durable as it gets
        }
        long deadline = System.nanoTime() + DURABLE_WAIT_NANOS;
        durableLock.lock();
        try {
            // A failing store does not get better by waiting here: the line is in the ring (the next
            // start writes it out) and the caller can ask storeFailure() and say so at once.
            while (durableSeq <= seq && !stopping && drainer.isAlive() && storeFailure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return; // the store is failing; the line stays in the ring for recovery
                }
                durableAdvanced.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            durableLock.unlock();
        }
    }

    /**
     * Writes text straight to the console device and returns once the device has it: a panic
     * banner, which cannot wait in the console queue because the process may die next. Lines
     * already logged are given up to 200 ms to reach the console first, so the banner comes after
     * what led up to it.
     */
    public void writeConsoleNow(byte[] text) throws IOException {
        awaitConsole(200);
        console.writeNow(text);
    }

    /** Waits until every line logged so far is in its file and fsync'd. */
    public void flush() {
        long target = ring.nextSeq();
        if (target == 0 || !ring.isMounted()) {
            return;
        }
        syncUpTo = Math.max(syncUpTo, target);
        wakeDrainer();
        awaitDurable(target - 1);
    }

    /**
     * Waits until every line logged so far has been handed to the console and written there (at
     * most {@code millis}); lines the console dropped under pressure do not count.
     */
    public void awaitConsole(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long target = ring.nextSeq();
        while (consoleSeen < target && System.nanoTime() < deadline) {
            wakeDrainer();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        try {
            console.awaitWritten(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the store last failed to write, if it is failing. */
    public IOException storeFailure() {
        return storeFailure;
    }

    /** Lines the console dropped under pressure. */
    public long consoleDropped() {
        return console.droppedTotal();
    }

    byte[] noticeLine(String event, String fields) {
        LineBuffer b = new LineBuffer(512);
        if (wallClockKnown) {
            LineCodec.appendUtc(b, clock.utcNanos() / 1000 * 1000);
        } else {
            b.putAscii("mono:").putDecimal(clock.monoNanos());
        }
        b.putAscii(" WARN ").putAscii(SELF).putAscii(" ").putAscii(event).putAscii(" ").putAscii(fields);
        byte[] out = new byte[b.length()];
        System.arraycopy(b.array(), 0, out, 0, b.length());
        return out;
    }

    // ------------------------------------------------------------------ drainer

    private void drainLoop() {
        byte[] staging = new byte[passBudget + RingFormat.recordSize(RingFormat.MAX_PAYLOAD)];
        ByteBuffer view = ByteBuffer.wrap(staging).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int maxRecords = staging.length / RingFormat.RECORD_HEADER + 1;
        int[] lineOffs = new int[maxRecords];
        int[] lineLens = new int[maxRecords];
        boolean[] lineUrgent = new boolean[maxRecords];
        long consoleSeq = 0;
        long consolePos = 0;
        long lastSync = System.nanoTime();
        long requestedSeq = 0; // the last seq handed to the syncer
        boolean napped = false;
        List<byte[]> crashes = new ArrayList<>();
        long backoffMillis = 0;
        while (true) {
            boolean mounted = ring.isMounted();
            long from = mounted ? ring.commitPos() : consolePos;
            long fromSeq = mounted ? ring.commitSeq() : consoleSeq;
            Ring.Batch b = ring.read(from, fromSeq, staging, passBudget);
            if (b.isEmpty()) {
                if (mounted && (syncUpTo > requestedSeq || stopping
                        || (syncer.hasDirty() && System.nanoTime() - lastSync >= policy.syncInterval().toNanos()))) {
                    syncer.request(b.endSeq());
                    requestedSeq = b.endSeq();
                    lastSync = System.nanoTime();
                }
                if (stopping) {
                    break;
                }
                drainerSleeping = true;
                if (ring.nextSeq() != b.endSeq() || stopping || syncUpTo > requestedSeq) {
                    drainerSleeping = false;
                    continue;
                }
                // A nap first: under steady logging the next lines come within it, and producers
                // need not wake the drainer. Idle after the nap, it sleeps until a line wakes it.
                if (!napped) {
                    napped = true;
                    LockSupport.parkNanos(this, NAP_NANOS);
                } else {
                    long park = !syncer.hasDirty() ? IDLE_PARK_NANOS
                            : Math.max(1_000_000L, policy.syncInterval().toNanos() - (System.nanoTime() - lastSync));
                    deepSleep = true;
                    if (ring.nextSeq() == b.endSeq() && !stopping) {
                        LockSupport.parkNanos(this, park);
                    }
                    deepSleep = false;
                }
                drainerSleeping = false;
                continue;
            }
            napped = false;
            boolean urgent = false;
            int used = 0;
            int lines = 0;
            crashes.clear();
            for (int off = 0; off < b.length(); ) {
                int len = view.getInt(off);
                long seq = view.getLong(off + 8);
                int cat = staging[off + 17] & 0xFF;
                boolean recUrgent = (view.getShort(off + 18) & RingFormat.FLAG_URGENT) != 0;
                byte type = staging[off + 16];
                if (type == RingFormat.TYPE_LINE) {
                    if (seq >= consoleSeq) {
                        lineOffs[lines] = off + RingFormat.RECORD_HEADER;
                        lineLens[lines] = len;
                        lineUrgent[lines] = recUrgent;
                        lines++;
                    }
                    if (mounted) {
                        ByteBuffer cb = catBuf(cat);
                        cb.put(staging, off + RingFormat.RECORD_HEADER, len).put((byte) '\n');
                        used |= 1 << cat;
                    }
                } else if (type == RingFormat.TYPE_CRASH && mounted) {
                    crashes.add(Arrays.copyOfRange(staging, off + RingFormat.RECORD_HEADER,
                            off + RingFormat.RECORD_HEADER + len));
                }
                urgent |= recUrgent;
                off += RingFormat.recordSize(len);
            }
            try {
                console.offerAll(staging, lineOffs, lineLens, lineUrgent, lines);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consoleSeq = Math.max(consoleSeq, b.endSeq());
            consolePos = Math.max(consolePos, b.endPos());
            consoleSeen = consoleSeq;
            if (!mounted) {
                continue;
            }
            boolean sync = urgent || syncUpTo > requestedSeq
                    || System.nanoTime() - lastSync >= policy.syncInterval().toNanos();
            try {
                ring.beginPass(b.endPos(), b.endSeq());
                for (int cat = 0; cat < RingFormat.MAX_CATEGORIES; cat++) {
                    if ((used & (1 << cat)) == 0) {
                        continue;
                    }
                    ByteBuffer cb = catBufs[cat];
                    cb.flip();
                    CategoryFile cf = file(cat);
                    cf.lock();
                    try {
                        long at = cf.prepare(cb.remaining());
                        ring.intent(cat, cf.inode(), at, cb.remaining());
                        cf.write(cb);
                        syncer.dirty(cf.channel());
                    } finally {
                        cf.unlock();
                    }
                }
                // A crash report is committed like a line once it is in its file, or set aside
                // for the next start when it cannot be: never blocking the lines behind it, and
                // never logged from here (an urgent line would wait for this very thread).
                for (byte[] c : crashes) {
                    CrashRecords.Result r = CrashRecords.store(layout, clock, c);
                    if (r.problem() != null) {
                        System.err.println("rayos-log: crash report of boot "
                                + (r.boot() == null ? "?" : r.boot().hex()) + ": " + r.problem()
                                + (r.heldIn() != null ? "; held in " + layout.relative(r.heldIn()) : ""));
                    }
                }
                ring.commit(b.endPos(), b.endSeq());
                if (sync) {
                    // The syncer fsyncs what was written and then publishes the batch as durable;
                    // the drainer goes on with the next batch meanwhile.
                    syncer.request(b.endSeq());
                    requestedSeq = b.endSeq();
                    lastSync = System.nanoTime();
                }
                backoffMillis = 0;
                storeFailure = null;
            } catch (IOException | RuntimeException e) {
                // Logback's lesson: never throw into the application; report, back off, retry the
                // same records (they stay in the ring until committed).
                reportStoreFailure(e);
                backoffMillis = Math.min(5000, Math.max(50, backoffMillis * 2));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMillis));
                if (stopping) {
                    break; // closing: what is left stays in the ring for the next start
                }
            } finally {
                for (ByteBuffer cb : catBufs) {
                    if (cb != null) {
                        cb.clear();
                    }
                }
            }
        }
    }

    private void reportStoreFailure(Exception e) {
        IOException io = e instanceof IOException ? (IOException) e : new IOException(e);
        boolean first = storeFailure == null;
        storeFailure = io;
        if (first) {
            System.err.println("rayos-log: cannot write logs: " + dev.rayos.log.root.IoFailures.inWords(io, layout.logsDir())
                    + " (lines stay in the ring; retrying)");
        }
    }

    /** An I/O failure as a person reads it: the path and why, not an exception class. */
    static String inWords(IOException e) {
        return dev.rayos.log.root.IoFailures.inWords(e, null);
    }

    /** {@link #storeFailure()} in words ({@code /root/var/rayos/logs/boot: permission denied}), or null. */
    public String storeFailureInWords() {
        IOException f = storeFailure;
        return f == null ? null : dev.rayos.log.root.IoFailures.inWords(f, layout.logsDir());
    }

    private void publishDurable(long seq) {
        durableLock.lock();
        try {
            if (seq > durableSeq) {
                durableSeq = seq;
            }
            durableAdvanced.signalAll();
        } finally {
            durableLock.unlock();
        }
    }

    private ByteBuffer catBuf(int cat) {
        ByteBuffer b = catBufs[cat];
        if (b == null) {
            b = ByteBuffer.allocateDirect(passBudget + RingFormat.recordSize(RingFormat.MAX_PAYLOAD));
            catBufs[cat] = b;
        }
        return b;
    }

    private CategoryFile file(int cat) throws IOException {
        CategoryFile f = files[cat];
        if (f == null) {
            String name = ring.category(cat);
            f = new CategoryFile(layout, name, boot, policy.retention(name), syncer::retire);
            files[cat] = f;
        }
        return f;
    }

    /**
     * Writes everything out (when mounted), fsyncs, stops the threads and releases the ring. A ring
     * that could not be written out stays on disk for the next start to recover.
     */
    @Override
    public void close() throws IOException {
        if (stopping) {
            return;
        }
        if (ring.isMounted()) {
            flush();
        }
        stopping = true;
        wakeDrainer();
        try {
            drainer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        syncer.close(TimeUnit.SECONDS.toMillis(30));
        console.close(5000);
        IOException first = null;
        for (CategoryFile f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        ring.close();
        if (first != null) {
            throw first;
        }
    }
}
