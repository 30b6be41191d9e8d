package dev.rayos.log;

import dev.rayos.log.line.Marker;
import dev.rayos.log.root.ProcessId;
import dev.rayos.log.console.ConsoleDevice;
import dev.rayos.log.console.ConsoleSink;
import dev.rayos.log.crash.CrashRecords;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.policy.PolicyException;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.IoFailures;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RingRecovery;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a log system, in the order crash consistency needs: the policy; when the store is
 * mounted, the rings that dead processes left are written out first ({@link RingRecovery}: what
 * never reached a file, exactly once, in order) and the crash reports found in them stored
 * (spec §4.1, "flush on next boot"), before this process logs anything, so a report is on disk
 * before a new crash could need its name; then this process's own ring and console; then what
 * start-up found is logged ({@code RAYOS_LOG_RECOVERED}, {@code RAYOS_LOG_CORRUPT}, …). A broken
 * store must not stop a process from logging into its ring and console: an orphan that cannot be
 * written out stays for the next start, and the status channel says so.
 */
final class LogStart {
    private LogStart() {}

    static LogSystem open(LogSystem.Builder b) throws IOException {
        if (b.boot == null) {
            throw new IllegalStateException("a log system needs the boot it logs for");
        }
        Policy p = b.policy;
        PolicyException policyError = null;
        if (p == null) {
            Policy.Loaded loaded = Policy.load(b.layout);
            p = loaded.policy();
            policyError = loaded.error();
        }
        RootLayout layout = b.layout;
        List<RingRecovery.Outcome> recovered = new ArrayList<>();
        IOException[] recoveryFailure = new IOException[1];
        Files.createDirectories(b.ringPath != null ? b.ringPath.getParent() : layout.ringDir());
        if (b.mounted) {
            prepareCrashDir(layout);
            recovered.addAll(RingRecovery.recoverOrphans(layout, p, layout.ringDir(), e -> {
                if (recoveryFailure[0] == null) {
                    recoveryFailure[0] = e;
                }
            }));
            if (b.ringPath != null && !b.ringPath.getParent().equals(layout.ringDir())) {
                RingRecovery.Outcome own = RingRecovery.recoverOne(layout, p, b.ringPath);
                if (own != null) {
                    recovered.add(own);
                }
            }
        }
        // Named only now: the name is one that recovery left free.
        Path ringFile = b.ringPath != null ? b.ringPath : ownRingPath(layout.ringDir(), ProcessId.current());
        if (b.ringPath != null && holdsOrphan(b.ringPath)) {
            // A name the caller chose has no free sibling a later recovery would look for, and
            // creating the ring over the orphan would truncate its lines.
            throw new IOException("ring " + b.ringPath + " holds lines of an earlier process that could not be written"
                    + " out" + (b.mounted ? "" : " (the store is not mounted)") + "; start with the store mounted to"
                    + " write them out, or give another ring path");
        }
        int lanes = b.lanes > 0 ? b.lanes : defaultLanes(p.ringBytes());
        if (lanes > RingFormat.MAX_LANES || p.ringBytes() / lanes < MIN_LANE_BYTES) {
            // A lane must hold the longest line with room to spare, as the smallest ring.size does.
            throw new IllegalArgumentException("ring.size " + p.ringBytes() + " is too small for " + lanes
                    + " lanes of at least 256 KiB each (at most " + RingFormat.MAX_LANES + " lanes)");
        }
        Ring ring = Ring.create(ringFile, (p.ringBytes() / lanes) & ~7L, lanes, b.boot);
        OutputStream out;
        try {
            out = b.consoleOut != null ? b.consoleOut : ConsoleDevice.open(layout, p.consoleDevice());
        } catch (IOException | RuntimeException e) {
            ring.close(); // nothing logged yet: the empty ring goes, and its lock with it
            throw e;
        }
        LogSystem[] holder = new LogSystem[1];
        ConsoleSink console = new ConsoleSink(out, p.consoleQueueBytes(),
                n -> dropNotice(holder[0], n), "rayos-log-console");
        LogSystem s = new LogSystem(b, p, recovered, ring, console);
        holder[0] = s;
        if (recoveryFailure[0] != null) {
            // not a store failure: this process's own lines may well be stored (another category)
            s.status().report("recovery", "lines of an earlier process held in " + layout.relative(layout.ringDir())
                    + " cannot be written out yet (" + IoFailures.inWords(recoveryFailure[0], null)
                    + "); they stay there for the next start");
        }
        if (b.mounted) {
            ring.mount();
        }
        s.startDrainer();
        s.crashWriteOuts = writeOutRecoveredCrashes(s, recovered);
        report(s, policyError, recovered);
        return s;
    }

    /**
     * This process's ring file: {@code <pid>.ring}, or {@code <pid>-<n>.ring} when a file at that
     * name still holds something. That is an orphan of an earlier process with the same pid (pids
     * are reused) that could not be written out, because the store is not mounted yet or failed:
     * creating the ring there would truncate its lines. The next start that can write recovers it
     * under whichever name it has ({@code *.ring}).
     */
    static Path ownRingPath(Path ringDir, long pid) throws IOException {
        for (int n = 0; n < 1000; n++) {
            Path p = ringDir.resolve(n == 0 ? pid + ".ring" : pid + "-" + n + ".ring");
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile() && a.size() == 0) {
                    return p; // holds nothing (a ring being created is locked, and the lock is waited for)
                }
            } catch (NoSuchFileException free) {
                return p;
            }
        }
        throw new IOException("no free ring name for pid " + pid + " in " + ringDir + ": 1000 rings of that pid are held");
    }

    /** True when {@code path} is a ring an earlier process left with something in it, not written out. */
    private static boolean holdsOrphan(Path path) throws IOException {
        try (FileChannel ch = RingRecovery.lockOrphan(path)) {
            return ch != null; // closing it lets the lock go: creating the ring takes it again
        }
    }

    /** The console's {@code RAYOS_LOG_DROPPED} line, formatted here: the console sink knows no grammar. */
    static byte[] dropNotice(LogSystem s, long dropped) {
        LogLine line = new LogLine(LineCodec.now(s.clock(), s.wallClockKnown()), Level.WARN, LogSystem.SELF,
                Marker.LOG_DROPPED, List.of(new LogLine.Field("sink", "serial"),
                        new LogLine.Field("count", Long.toString(dropped))));
        // A buffer of the notice's size: LineCodec.format's takes a whole line's 64 KiB, and under a
        // slow console notices come often enough for that to be most of what the threads allocate.
        LineBuffer b = new LineBuffer(256);
        LineCodec.appendLine(b, line);
        return java.util.Arrays.copyOf(b.array(), b.length());
    }

    /**
     * Creates {@code crash/panics/}: a mounted store means the data partition is there, so a panic
     * from now on writes its report there rather than into the ring. Best effort: when it cannot be
     * made, panics fall back to the ring, which is the point.
     */
    static void prepareCrashDir(RootLayout layout) {
        try {
            Files.createDirectories(layout.crashPanicsDir());
        } catch (IOException | RuntimeException e) {
            // reported by the panic that finds it missing
        }
    }

    /** The crash reports that recovery found go to {@code crash/panics/<their boot>.log}. */
    private static List<CrashRecords.Result> writeOutRecoveredCrashes(LogSystem s, List<RingRecovery.Outcome> recovered) {
        List<byte[]> payloads = new ArrayList<>();
        for (RingRecovery.Outcome o : recovered) {
            for (var r : o.crashRecords()) {
                payloads.add(r.payload());
            }
        }
        return payloads.isEmpty() ? List.of() : List.copyOf(CrashRecords.storeAll(s.layout(), s.clock(), payloads));
    }

    private static void report(LogSystem s, PolicyException policyError, List<RingRecovery.Outcome> recovered) {
        RootLayout layout = s.layout();
        Logger self = s.logger(LogSystem.SELF);
        if (policyError != null) {
            self.warn(Marker.POLICY_INVALID).kv("file", layout.relative(layout.policyFile()))
                    .kv("line", policyError.line()).kv("error", policyError.getMessage()).log();
        }
        for (CrashRecords.Result c : s.crashWriteOuts()) {
            if (c.report() != null) {
                EventBuilder e = self.warn("CRASH_REPORT_RECOVERED").kv("boot", c.boot().hex())
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

    /** Lanes by default: one per processor, at most 4, each of at least 256 KiB of the ring. */
    static int defaultLanes(long ringBytes) {
        int byCpu = Math.min(MAX_DEFAULT_LANES, Runtime.getRuntime().availableProcessors());
        return (int) Math.max(1, Math.min(byCpu, ringBytes / MIN_LANE_BYTES));
    }

    private static final int MAX_DEFAULT_LANES = 4;
    private static final long MIN_LANE_BYTES = 256 * 1024;
}
