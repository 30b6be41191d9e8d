package dev.rayos.log;

import dev.rayos.log.line.Marker;
import dev.rayos.log.root.BootId;
import dev.rayos.log.console.ConsoleSink;
import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.IoFailures;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.root.ProcessId;
import dev.rayos.log.status.StatusChannel;
import dev.rayos.log.status.StatusFile;
import dev.rayos.log.store.Drainer;
import dev.rayos.log.store.RingRecovery;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logging pipeline of one process for one boot (ARCHITECTURE.md, "The pipeline"): open it
 * with {@link #builder}, take a {@link #logger} per component, {@link #close} it at the end.
 *
 * <pre>
 * log call → format into the thread's buffer → redact (policy) → append to the RING → return
 *                                    {@link Drainer}: ring → category files and the console
 * </pre>
 *
 * <p>Durability: markers and ERROR-and-worse lines are fsync'd in their file before the log call
 * returns; other lines are written within milliseconds and fsync'd within the policy's {@code
 * store.sync_interval} (≤ 1 s). Before {@link #mount()} (early boot, no data partition) lines are
 * held in the ring and shown on the console only. Start-up ({@link LogStart}) first writes out the
 * rings dead processes left. Several processes may log under one root at once: each has its own
 * ring, and the files are shared under per-category file locks.
 */
public final class LogSystem implements AutoCloseable {
    /** The component of the logging system's own lines. */
    public static final String SELF = "log";

    private final RootLayout layout;
    private final BootId boot;
    private final Policy policy;
    private final LogClock clock;
    private final Ring ring;
    private final ConsoleSink console;
    private final Drainer drainer;
    private final StatusChannel status;
    private final ConcurrentHashMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ThreadLocal<EventBuilder> events;
    private final List<RingRecovery.Outcome> recovered;
    List<CrashRecords.Result> crashWriteOuts = List.of(); // set once by LogStart
    private volatile boolean wallClockKnown;
    private final MarkerListener markerListener;
    private volatile boolean closed;

    LogSystem(Builder b, Policy policy, List<RingRecovery.Outcome> recovered, Ring ring, ConsoleSink console) {
        this.layout = b.layout;
        this.boot = b.boot;
        this.policy = policy;
        this.clock = b.clock;
        this.ring = ring;
        this.console = console;
        this.recovered = recovered;
        this.wallClockKnown = b.wallClockKnown;
        this.markerListener = b.markerListener;
        this.status = new StatusChannel(b.statusOut, clock::monoNanos, new StatusFile(
                layout, boot, ProcessId.current(), clock, () -> wallClockKnown));
        this.events = ThreadLocal.withInitial(() -> new EventBuilder(this));
        this.drainer = new Drainer(ring, console, policy, layout, boot, clock, status);
    }

    /** Starts building a log system for the machine at {@code layout}. */
    public static Builder builder(RootLayout layout) {
        return new Builder(layout);
    }

    /** Options of a log system; {@link #open()} starts it. */
    public static final class Builder {
        final RootLayout layout;
        BootId boot;
        Policy policy;
        LogClock clock = LogClock.system();
        OutputStream consoleOut;
        Path ringPath;
        int lanes;
        boolean mounted = true;
        boolean wallClockKnown = true;
        MarkerListener markerListener;
        java.io.PrintStream statusOut = System.err;

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

        /** The one clock of the log system: line times, the sync interval and every wait. */
        public Builder clock(LogClock clock) {
            this.clock = clock;
            return this;
        }

        /** Write the console here instead of the policy's {@code console.device}. */
        public Builder console(OutputStream out) {
            this.consoleOut = out;
            return this;
        }

        /**
         * The ring file (default {@code run/rayos/ring/<pid>.ring}). An earlier process's ring left
         * there with lines is written out first when the store is mounted; one that cannot be makes
         * {@link #open} fail rather than truncate it.
         */
        public Builder ring(Path path) {
            this.ringPath = path;
            return this;
        }

        /**
         * How many lanes the ring has (default: one per processor, at most 4, each of at least
         * 256 KiB of the policy's {@code ring.size}): threads logging at once in different lanes
         * share no lock. Tests choose it to be independent of the machine.
         */
        public Builder lanes(int lanes) {
            this.lanes = lanes;
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

        /** Where the status channel prints the first report of each kind (default stderr). */
        public Builder statusTo(java.io.PrintStream out) {
            this.statusOut = out;
            return this;
        }

        /** Recovers orphaned rings, creates this process's ring, opens the console, starts the drainer. */
        public LogSystem open() throws IOException {
            return LogStart.open(this);
        }
    }

    void startDrainer() {
        drainer.start();
    }

    /** What start-up did with the crash reports found in orphaned rings. */
    public List<CrashRecords.Result> crashWriteOuts() {
        return crashWriteOuts;
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

    /** The logging system's own troubles (store failing, crash report held, …), recent first-hand. */
    public StatusChannel status() {
        return status;
    }

    /** What start-up recovery wrote out of orphaned rings (crash records among it). */
    public List<RingRecovery.Outcome> recovered() {
        return recovered;
    }

    public boolean wallClockKnown() {
        return wallClockKnown;
    }

    /** From now on lines carry UTC time. */
    public void wallClockBecameKnown() {
        wallClockKnown = true;
    }

    /** How many lines (and other records) this process has logged so far. */
    public long linesLogged() {
        return ring.nextOrder(); // one order per record, every lane's
    }

    /**
     * Called by an event after a readiness marker was written: tells the listener, which must never
     * make the log call fail (a history that cannot be updated goes to the status channel).
     */
    void markerReached(String marker) {
        MarkerListener l = markerListener;
        if (l == null) {
            return;
        }
        long mono = clock.monoNanos();
        String utc = wallClockKnown ? LineCodec.utcNow(clock) : null;
        try {
            l.reached(boot, marker, mono, utc);
        } catch (Exception | LinkageError e) {
            status.report("marker-history", "cannot record marker " + marker + " in the boot history: " + e);
        }
    }

    /** The ring behind this log system (a panic reads its last lines from it). */
    Ring ring() {
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
        LogStart.prepareCrashDir(layout);
        ring.mount();
        drainer.wake();
        long lost = ring.lost();
        if (lost > 0) {
            logger(SELF).warn(Marker.LOG_DROPPED).kv("sink", "ring").kv("count", lost).log();
        }
    }

    EventBuilder event() {
        EventBuilder e = events.get();
        if (e.active) {
            return new EventBuilder(this); // a value's toString() logging mid-event: rare, allocation is fine
        }
        return e;
    }

    /** The ring lane for a thread's first line. */
    int laneFor() {
        return ring.laneFor();
    }

    void write(int lane, Logger logger, LineBuffer line, boolean urgent) {
        long order = ring.appendFramed(lane, RingFormat.TYPE_LINE, logger.categoryIndex(),
                urgent ? RingFormat.FLAG_URGENT : 0, line.array(), line.offset(), line.length());
        drainer.afterAppend(lane, urgent);
        if (urgent) {
            drainer.awaitDurable(order);
        }
    }

    /** Appends a crash record to the ring (a panic that cannot write its report); durable like a marker. */
    long writeCrashRecord(byte[] payload) {
        long order = ring.append(RingFormat.TYPE_CRASH, 0, RingFormat.FLAG_URGENT, payload, 0, payload.length);
        drainer.wake();
        return order;
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
        drainer.flush();
    }

    /**
     * Waits until every line logged so far has been handed to the console and written there (at
     * most {@code millis}); lines the console dropped under pressure do not count.
     */
    public void awaitConsole(long millis) {
        drainer.awaitConsole(millis);
    }

    /** Why the store last failed to write, if it is failing. */
    public IOException storeFailure() {
        return drainer.storeFailure();
    }

    /** {@link #storeFailure()} in words ({@code /root/var/rayos/logs/boot: permission denied}), or null. */
    public String storeFailureInWords() {
        IOException f = drainer.storeFailure();
        return f == null ? null : IoFailures.inWords(f, layout.logsDir());
    }

    /** Lines the console dropped under pressure. */
    public long consoleDropped() {
        return console.droppedTotal();
    }

    /**
     * Writes everything out (when mounted), fsyncs, stops the threads and releases the ring. A ring
     * that could not be written out stays on disk for the next start to recover.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (ring.isMounted()) {
            flush();
        }
        closed = true;
        drainer.stop();
        console.close(5000);
        try {
            drainer.closeFiles();
        } finally {
            ring.close();
        }
    }
}
