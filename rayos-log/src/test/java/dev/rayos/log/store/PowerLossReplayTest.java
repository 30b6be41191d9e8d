package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.LogSystems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.LogSystem;
import dev.rayos.log.Logger;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.LineFormat;
import dev.rayos.log.read.LogQuery;
import dev.rayos.log.read.LogReader;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Power cuts, replayed (ALICE's and CrashMonkey's idea). A real log system logs ordinary lines,
 * ERROR lines, markers and flushes while a {@link DiskTrace} records every write, truncation and
 * fsync of its log files, the names after each, and the ring's pages. Then for every fsync (the
 * moment after it and the moment before it) and a sample of what the unsynced writes since the
 * last fsync of each file could have left (none of them, all, a prefix, a random subset — holes
 * read as zeros), with the ring gone (run/ on tmpfs, as on a real machine) or left on disk with
 * any mix of its pages' past versions, the on-disk state is built in a fresh root and opened by
 * the real start-up path ({@link LogSystem}, which recovers orphaned rings), and read back with
 * the real reader. Each state must show every line the API promised durable (ERROR and markers
 * once their call returned, everything before a returned flush, every line older than the sync
 * interval plus a scheduling allowance), each line at most once, in order, and no line that was
 * never written; and start-up must not fail.
 */
class PowerLossReplayTest {
    static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));
    static final int LINES = Integer.getInteger("rayos.powerLossLines", 500);
    static final int MAX_CUTS = Integer.getInteger("rayos.powerLossCuts", Boolean.getBoolean("rayos.pit") ? 20 : 160);
    /** The sync interval of the run, and what the scheduler of a loaded 2-core machine may add to it. */
    static final long SYNC_MILLIS = 200;
    static final long ALLOWANCE_MILLIS = 2000;
    static final Pattern APP = Pattern.compile("\\S+ (INFO|ERROR) app (TICK|RAYOS_PROBE) n=([0-9]+) pad=(x*)");

    static final java.util.concurrent.atomic.AtomicInteger corruptNotices = new java.util.concurrent.atomic.AtomicInteger();

    enum Files_ { SYNCED, ALL, PREFIX, RANDOM }

    enum Ring_ { GONE, LATEST, MIXED }

    /** One recorded run shared by the tests below (recording it takes seconds). */
    static Path root;
    static Run run;

    @BeforeAll
    static void recordARun() throws Exception {
        root = Files.createTempDirectory(SCRATCH, "power-loss");
        run = record(root);
    }

    @AfterAll
    static void removeTheRun() throws IOException {
        deleteTree(root);
    }

    @Test
    void aPowerCutAtAnyFsyncLeavesEveryPromisedLineOnceAndNothingUnwritten() throws Exception {
        long seed = Long.getLong("rayos.powerLossSeed", System.nanoTime());
        Result r = replay(run, new Random(seed), seed);
        System.out.println("power-loss replay: " + r.states + " crash states checked at " + r.cuts
                + " cut points (" + corruptNotices.get() +  " corrupt-line notices for holes; "
                + run.fsyncs + " fsyncs, " + run.trace.events().size() + " recorded events), seed "
                + seed);
        assertThat(r.states).isGreaterThan(100);
        assertThat(run.ringBytes).as("the lines went round the ring: records wrap across its end").isGreaterThan(run.ringCapacity);
    }

    /**
     * What recovery trusts after a cut is the ring's header: its commit cursor (records before it
     * are in files) and the pass it announces (records up to the pending end, each category's
     * bytes going to {inode, offset, length}). At every write the store made, the ring as the file
     * showed it must say exactly that: the record at the commit position carries the commit
     * sequence number, the records from there to the pending end are intact and numbered one by
     * one, and the intent of the category written names this very write, whose bytes are those
     * records' lines.
     */
    @Test
    void atEveryWriteTheRingHeaderNamesTheRecordsBeingWrittenAndWhere() {
        List<DiskTrace.Event> events = run.trace.events();
        int checked = 0;
        for (int i = run.trace.watchedFrom(); i < events.size(); i++) {
            if (events.get(i).op() instanceof DiskTrace.Write w) {
                checkRingAtWrite(ringAt(run.trace.pages(), i), w, "write at event " + i);
                checked++;
            }
        }
        System.out.println("power-loss replay: the ring header checked at " + checked + " writes");
        assertThat(checked).isGreaterThan(10);
    }

    static void checkRingAtWrite(RingSnapshot ring, DiskTrace.Write w, String what) {
        assertThat(ring.isRing()).as("a ring at " + what).isTrue();
        long commit = ring.commitPos();
        long end = ring.pendingPos();
        assertThat(end).as("a pass announced beyond the commit position at " + what).isGreaterThan(commit);
        assertThat(end).as("the pass within head at " + what).isLessThanOrEqualTo(ring.head());
        Map<Integer, ByteArrayOutputStream> lines = new HashMap<>();
        long pos = commit;
        long seq = ring.commitSeq();
        while (pos < end) {
            RingSnapshot.Rec r = ring.at(pos);
            if (r == null) {
                throw new AssertionError("no intact record at " + pos + " (commit position " + commit
                        + ", pass end " + end + ") at " + what);
            }
            assertThat(r.seq()).as("seq of the record at " + pos + " (commit position " + commit + ") at " + what)
                    .isEqualTo(seq);
            if (r.type() == 1) {
                ByteArrayOutputStream o = lines.computeIfAbsent(r.category(), k -> new ByteArrayOutputStream());
                o.writeBytes(r.payload());
                o.write('\n');
            }
            pos += r.size();
            seq++;
        }
        assertThat(pos).as("the pass ends on a record boundary at " + what).isEqualTo(end);
        assertThat(seq).as("the pass's end seq at " + what).isEqualTo(ring.pendingSeq());
        List<RingSnapshot.Intent> naming = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            RingSnapshot.Intent in = ring.intent(c);
            if (in.length() > 0 && in.inode() == w.inode() && in.offset() <= w.pos()
                    && w.pos() + w.bytes().length <= in.offset() + in.length()) {
                naming.add(in);
            }
        }
        assertThat(naming).as("intents naming the write at " + what).hasSize(1);
        RingSnapshot.Intent in = naming.get(0);
        byte[] expected = lines.getOrDefault(in.category(), new ByteArrayOutputStream()).toByteArray();
        assertThat((long) expected.length).as("the intent's length: the category's lines in the pass, at " + what)
                .isEqualTo(in.length());
        int from = (int) (w.pos() - in.offset());
        assertThat(w.bytes()).as("the bytes written at " + what)
                .isEqualTo(Arrays.copyOfRange(expected, from, from + w.bytes().length));
    }

    /** The ring file as it showed at event {@code i}: each page's latest version by then. */
    static RingSnapshot ringAt(List<List<DiskTrace.PageVersion>> pages, int i) {
        byte[] ring = new byte[pages.size() * DiskTrace.PAGE];
        for (int p = 0; p < pages.size(); p++) {
            DiskTrace.PageVersion chosen = null;
            for (DiskTrace.PageVersion v : pages.get(p)) {
                if (v.after() <= i) {
                    chosen = v;
                }
            }
            System.arraycopy(chosen.bytes(), 0, ring, p * DiskTrace.PAGE, DiskTrace.PAGE);
        }
        return new RingSnapshot(ring);
    }

    record Run(DiskTrace trace, BootId boot, Policy policy, Map<Integer, String> expected, String ringName, int fsyncs,
               long ringBytes, long ringCapacity) {}

    record Result(int states, int cuts) {}

    /** Ordinary lines, ERROR lines, markers, a flush every 120 lines, pauses: each call noted when it returned. */
    static void logLines(LogSystem sys, DiskTrace trace, Map<Integer, String> expected) throws InterruptedException {
        Logger app = sys.logger("app");
        Random rnd = new Random(1);
        for (int i = 0; i < LINES; i++) {
            String pad = "x".repeat(50 + rnd.nextInt(1400));
            boolean urgent;
            if (i % 50 == 49) {
                app.info("RAYOS_PROBE").kv("n", i).kv("pad", pad).log();
                urgent = true;
                expected.put(i, "INFO app RAYOS_PROBE n=" + i + " pad=" + pad);
            } else if (i % 23 == 22) {
                app.error("TICK").kv("n", i).kv("pad", pad).log();
                urgent = true;
                expected.put(i, "ERROR app TICK n=" + i + " pad=" + pad);
            } else {
                app.info("TICK").kv("n", i).kv("pad", pad).log();
                urgent = false;
                expected.put(i, "INFO app TICK n=" + i + " pad=" + pad);
            }
            trace.returned(i, urgent);
            if (i % 120 == 119) {
                sys.flush();
                trace.returned(-1, true);
            }
            if (i % 10 == 9) {
                Thread.sleep(15); // time passes: the sync interval's promise comes into play
            }
        }
    }

    /** Logs through a real, recorded log system. */
    static Run record(Path root) throws Exception {
        RootLayout layout = new RootLayout(root);
        Policy policy = Policy.parse("ring.size = 256KiB\nstore.sync_interval = " + SYNC_MILLIS + "ms\n"
                + "retention.max_file_size = 128KiB\nretention.max_files = 100\n");
        BootId boot = BootId.random();
        DiskTrace trace = new DiskTrace(root, layout.logsDir());
        trace.install();
        Map<Integer, String> expected = new java.util.concurrent.ConcurrentHashMap<>();
        String ringName;
        long ringBytes;
        long ringCapacity;
        try (LogSystem sys = LogSystem.builder(layout).boot(boot).policy(policy).console(OutputStream.nullOutputStream())
                .open()) {
            ringName = LogSystems.ringOf(sys).path().getFileName().toString();
            trace.watchRing(LogSystems.ringOf(sys).path());
            // Logged on a thread of its own: a store that stops freeing the ring, or writes the same
            // batch again and again, must fail this test rather than hang it or fill the heap.
            java.util.concurrent.ExecutorService logging = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "power-loss-logging");
                t.setDaemon(true);
                return t;
            });
            java.util.concurrent.Future<?> done = logging.submit(() -> {
                logLines(sys, trace, expected);
                return null;
            });
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
            while (true) {
                try {
                    done.get(1, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException stillLogging) {
                    if (trace.overflowed() || System.nanoTime() > deadline) {
                        LogSystems.ringOf(sys).shutdown();
                        throw new AssertionError("the store stalled or looped: " + trace.events().size()
                                + " disk events for " + LINES + " lines" + (trace.overflowed() ? " (trace full)" : ""));
                    }
                }
            }
            logging.shutdown();
            Thread.sleep(SYNC_MILLIS * 3);
            ringBytes = LogSystems.ringOf(sys).commitPos();
            ringCapacity = LogSystems.ringOf(sys).capacity();
        } finally {
            trace.uninstall();
        }
        assertThat(trace.overflowed()).as("more than " + DiskTrace.MAX_EVENTS + " disk events for " + LINES + " lines")
                .isFalse();
        int fsyncs = (int) trace.events().stream().filter(e -> e.op() instanceof DiskTrace.Fsync).count();
        return new Run(trace, boot, policy, expected, ringName, fsyncs, ringBytes, ringCapacity);
    }

    /** Builds the crash states and checks each. */
    static Result replay(Run run, Random rnd, long seed) throws Exception {
        List<DiskTrace.Event> events = run.trace.events();
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).op() instanceof DiskTrace.Fsync) {
                cuts.add(i); // just before the fsync returned
                cuts.add(i + 1); // just after
            }
        }
        cuts.add(events.size());
        if (cuts.size() > MAX_CUTS) {
            List<Integer> sample = new ArrayList<>();
            for (int k = 0; k < MAX_CUTS; k++) {
                sample.add(cuts.get((int) ((long) k * cuts.size() / MAX_CUTS)));
            }
            sample.add(events.size());
            cuts = sample;
        }
        int states = 0;
        for (int cut : cuts) {
            for (Files_ f : Files_.values()) {
                for (Ring_ r : Ring_.values()) {
                    String what = "cut after event " + cut + " of " + events.size() + ", files " + f + ", ring " + r
                            + ", seed " + seed;
                    checkState(run, events, cut, f, r, rnd, what);
                    states++;
                }
            }
        }
        return new Result(states, cuts.size());
    }

    static void checkState(Run run, List<DiskTrace.Event> events, int cut, Files_ fmode, Ring_ rmode, Random rnd,
                           String what) throws Exception {
        Path dir = Files.createTempDirectory(SCRATCH, "power-cut");
        try {
            RootLayout layout = new RootLayout(dir);
            build(run, events, cut, fmode, rmode, rnd, dir);
            // The real start-up path: recovers the orphaned ring (if any), then logs a boot of its own.
            try (LogSystem next = LogSystem.builder(layout).boot(BootId.random()).policy(run.policy)
                    .console(OutputStream.nullOutputStream()).open()) {
                next.logger("app").info("NEXT_BOOT").log();
            } catch (IOException | RuntimeException e) {
                throw new AssertionError("start-up failed at " + what, e);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LineFormat form = LineFormat.of("raw", out, layout, false);
            try (LogReader reader = new LogReader(layout, LogQuery.ALL, 1)) {
                reader.read(List.of(new BootCatalog.Entry(run.boot, null)), form, false);
            }
            form.flush();
            List<String> shown = out.toString(StandardCharsets.UTF_8).lines().toList();
            Set<Integer> promised = promised(events, cut);
            Set<String> writtenOwn = linesWritten(events, cut);
            List<Integer> seen = new ArrayList<>();
            for (String line : shown) {
                Matcher m = APP.matcher(line);
                if (line.startsWith("!! corrupt line ")) {
                    // The reader's notice of bytes that are not a line (a hole the cut left), with
                    // the file and offset: shown as damage, never as a log line.
                    corruptNotices.incrementAndGet();
                } else if (m.matches()) {
                    int n = Integer.parseInt(m.group(3));
                    if (!line.endsWith(run.expected.get(n))) {
                        throw new AssertionError("line n=" + n + " shown altered at " + what + ": " + line);
                    }
                    seen.add(n);
                } else if (!writtenOwn.contains(line)) {
                    throw new AssertionError("a line shown at " + what + " that was never written: " + line);
                }
            }
            Set<Integer> twice = new java.util.TreeSet<>();
            Set<Integer> once = new HashSet<>();
            for (int n : seen) {
                if (!once.add(n)) {
                    twice.add(n);
                }
            }
            assertThat(twice).as("lines shown twice at " + what).isEmpty();
            // In order; but a ring left on a disk may hold a line that the cut took from its file
            // while a later write reached it: recovery writes it again, after the file's lines.
            // So in that case the lines the file kept and those recovery wrote are two runs.
            int runs = 1;
            for (int k = 1; k < seen.size(); k++) {
                if (seen.get(k) < seen.get(k - 1) && ++runs > (rmode == Ring_.MIXED ? 2 : 1)) {
                    throw new AssertionError("line n=" + seen.get(k) + " shown after n=" + seen.get(k - 1) + " at " + what);
                }
            }
            Set<Integer> missing = new java.util.TreeSet<>(promised);
            missing.removeAll(seen);
            assertThat(missing).as("lines promised durable but gone at " + what).isEmpty();
        } finally {
            deleteTree(dir);
        }
    }

    /** The lines a cut at {@code cut} must not lose. */
    static Set<Integer> promised(List<DiskTrace.Event> events, int cut) {
        Set<Integer> out = new HashSet<>();
        long at = cut == 0 ? 0 : events.get(cut - 1).nanos();
        long grace = (SYNC_MILLIS + ALLOWANCE_MILLIS) * 1_000_000L;
        List<Integer> sinceFlush = new ArrayList<>();
        for (int i = 0; i < cut; i++) {
            if (events.get(i).op() instanceof DiskTrace.Returned r) {
                if (r.n() < 0) {
                    out.addAll(sinceFlush);
                    sinceFlush.clear();
                } else {
                    sinceFlush.add(r.n());
                    if (r.urgent() || at - events.get(i).nanos() > grace) {
                        out.add(r.n());
                    }
                }
            }
        }
        return out;
    }

    /** Every whole line any write put in a log file before the cut (the system's own lines among them). */
    static Set<String> linesWritten(List<DiskTrace.Event> events, int cut) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < cut; i++) {
            if (events.get(i).op() instanceof DiskTrace.Write w) {
                out.addAll(new String(w.bytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        return out;
    }

    /** Lays out in {@code dir} what the disk could hold after a power cut at {@code cut}. */
    static void build(Run run, List<DiskTrace.Event> events, int cut, Files_ fmode, Ring_ rmode, Random rnd, Path dir)
            throws IOException {
        // Contents per inode: the last fsync'd content, then some of the writes after it.
        Map<Long, Integer> lastSync = new HashMap<>();
        int lastAnySync = -1;
        for (int i = 0; i < cut; i++) {
            if (events.get(i).op() instanceof DiskTrace.Fsync f) {
                lastSync.put(f.inode(), i);
                lastAnySync = i;
            }
        }
        Map<Long, byte[]> content = new HashMap<>();
        Map<Long, List<DiskTrace.Op>> unsynced = new HashMap<>();
        for (int i = 0; i < cut; i++) {
            DiskTrace.Op op = events.get(i).op();
            long inode = op instanceof DiskTrace.Write w ? w.inode() : op instanceof DiskTrace.Truncate t ? t.inode()
                    : op instanceof DiskTrace.Fsync f ? f.inode() : -1;
            if (inode < 0) {
                continue;
            }
            int synced = lastSync.getOrDefault(inode, -1);
            if (i == synced) {
                content.put(inode, ((DiskTrace.Fsync) op).content());
            } else if (i > synced && !(op instanceof DiskTrace.Fsync)) {
                unsynced.computeIfAbsent(inode, k -> new ArrayList<>()).add(op);
            }
            content.putIfAbsent(inode, new byte[0]);
        }
        for (Map.Entry<Long, List<DiskTrace.Op>> e : unsynced.entrySet()) {
            List<DiskTrace.Op> ops = e.getValue();
            int prefix = rnd.nextInt(ops.size() + 1);
            byte[] c = content.get(e.getKey());
            for (int k = 0; k < ops.size(); k++) {
                boolean keep = switch (fmode) {
                    case SYNCED -> false;
                    case ALL -> true;
                    case PREFIX -> k < prefix;
                    case RANDOM -> rnd.nextBoolean();
                };
                if (keep) {
                    c = apply(c, ops.get(k));
                }
            }
            content.put(e.getKey(), c);
        }
        // Names: metadata reaches the disk in order (a journal), and every fsync commits what came
        // before it; so the names of some moment between the last fsync and the cut.
        Map<String, Long> names;
        if (cut == 0) {
            names = Map.of();
        } else {
            int from = Math.max(0, lastAnySync);
            int j = fmode == Files_.SYNCED ? from : fmode == Files_.ALL ? cut - 1 : from + rnd.nextInt(cut - from);
            names = events.get(j).names();
        }
        for (Map.Entry<String, Long> n : names.entrySet()) {
            Path p = dir.resolve(n.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, content.getOrDefault(n.getValue(), new byte[0]));
        }
        if (rmode != Ring_.GONE) {
            List<List<DiskTrace.PageVersion>> pages = run.trace.pages();
            byte[] ring = new byte[pages.size() * DiskTrace.PAGE];
            for (int p = 0; p < pages.size(); p++) {
                List<DiskTrace.PageVersion> v = pages.get(p).stream().filter(x -> x.after() < cut).toList();
                DiskTrace.PageVersion chosen = rmode == Ring_.LATEST ? v.get(v.size() - 1) : v.get(rnd.nextInt(v.size()));
                System.arraycopy(chosen.bytes(), 0, ring, p * DiskTrace.PAGE, DiskTrace.PAGE);
            }
            // The files of this state are new files: their inodes are not the recorded ones. The
            // ring's intents name files by inode, so each is renamed to the inode its file has
            // here (an intent whose file is not in this state keeps one no file has).
            Map<Long, Long> inodes = new HashMap<>();
            for (Map.Entry<String, Long> n : names.entrySet()) {
                inodes.put(n.getValue(), LogFiles.inodeOf(dir.resolve(n.getKey())));
            }
            java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(ring).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < 16; c++) {
                int at = 1024 + c * 24;
                long recorded = header.getLong(at);
                header.putLong(at, inodes.getOrDefault(recorded, recorded == 0 ? 0 : -1L));
            }
            Path rp = new RootLayout(dir).ringDir().resolve(run.ringName);
            Files.createDirectories(rp.getParent());
            Files.write(rp, ring);
        }
    }

    static byte[] apply(byte[] c, DiskTrace.Op op) {
        if (op instanceof DiskTrace.Write w) {
            int end = (int) (w.pos() + w.bytes().length);
            byte[] out = c.length >= end ? c.clone() : Arrays.copyOf(c, end); // a hole reads as zeros
            System.arraycopy(w.bytes(), 0, out, (int) w.pos(), w.bytes().length);
            return out;
        }
        DiskTrace.Truncate t = (DiskTrace.Truncate) op;
        return Arrays.copyOf(c, (int) Math.min(c.length, t.size()));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
