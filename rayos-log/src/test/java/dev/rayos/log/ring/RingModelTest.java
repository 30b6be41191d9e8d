package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.store.RingRecovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The real mapped ring and a plain model of it ({@link RingModel}), driven side by side through
 * random action sequences: appends of random sizes (records that end exactly at the end of the
 * data area, that wrap across it, that fill the free space, that take the whole ring), drain
 * passes of random budgets, commits, mounting, crashes (the process state dropped, the file
 * recovered by the real start-up path and reopened) and crashes in the middle of a pass. After
 * every step, what a reader recovers from the file equals the model: its pending and committed
 * records, once each, in order; and a crash at that very moment would leave every record ever
 * appended (less those the model says were overwritten in early boot) in the files exactly once.
 * When this fails, jqwik shrinks it to a short sequence of actions.
 */
class RingModelTest {
    static final long CAPACITY = 4096; // the smallest ring: records wrap every few appends
    static final int MIN_LINE = 64;
    static final int MIN_RECORD = RingFormat.recordSize(MIN_LINE);
    static final String[] CATEGORIES = {"boot", "app"};
    static final boolean PIT = Boolean.getBoolean("rayos.pit");
    /**
     * How long an append may wait for room the model says it has before the property fails. Under
     * PIT a mutant that makes appends wait forever should cost seconds, not PIT's timeout.
     */
    static final long APPEND_WAIT_SECONDS = PIT ? 2 : 10;
    /**
     * Roots go to tmpfs when there is one: recovery fsyncs what it writes, and thousands of
     * fsyncs on a shared disk would make this test minutes long without testing anything more
     * (power loss is PowerLossReplayTest's business, not this one's).
     */
    static final Path SCRATCH = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
            : Path.of(System.getProperty("java.io.tmpdir"));

    private final List<Machine> machines = new ArrayList<>();

    @Property(tries = 120)
    void whatTheRingHoldsAndWhatRecoveryWritesAlwaysMatchThePlainModel(@ForAll("chains") ActionChain<Machine> chain) {
        chain.withInvariant(Machine::check).run();
    }

    @Provide
    Arbitrary<ActionChain<Machine>> chains() {
        return ActionChain.<Machine>startWith(() -> {
                    Machine m = new Machine();
                    machines.add(m);
                    return m;
                })
                .withAction(6, new Append())
                .withAction(3, new Drain())
                .withAction(1, new Mount())
                .withAction(1, new Crash())
                .withAction(1, new CrashMidPass())
                .withMaxTransformations(PIT ? 20 : 40);
    }

    @AfterTry
    void removeTheRoots() throws IOException {
        for (Machine m : machines) {
            m.dispose();
        }
        machines.clear();
    }

    /** The real thing and its model. */
    static final class Machine {
        final Path root;
        final RootLayout layout;
        final BootId boot = BootId.random();
        final Path ringPath;
        final RingModel model = new RingModel(CAPACITY);
        final List<List<String>> delivered = List.of(new ArrayList<>(), new ArrayList<>());
        final CategoryFile[] files = new CategoryFile[CATEGORIES.length];
        final ExecutorService producer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ring-model-producer");
            t.setDaemon(true);
            return t;
        });
        Ring ring;
        int lineNo;

        Machine() {
            try {
                root = Files.createTempDirectory(SCRATCH, "ring-model");
                layout = new RootLayout(root);
                ringPath = layout.ringDir().resolve("1.ring");
                openRing(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void openRing(boolean mounted) throws IOException {
            ring = Ring.create(ringPath, CAPACITY, boot);
            assertThat(ring.categoryIndex("app")).isEqualTo(1);
            if (mounted) {
                ring.mount();
            }
            model.restart(mounted);
        }

        String line(int length) {
            String base = "2026-12-03T11:00:00.000000Z INFO app TICK n=" + lineNo++ + " pad=";
            return base + "x".repeat(length - base.length());
        }

        void append(int recordSize, int r, int category, int flags) {
            int len = recordSize - RingFormat.RECORD_HEADER - r;
            String text = line(len);
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            // On a thread of its own: a mounted ring that wrongly finds no room waits for a
            // drainer that never comes, and the property must fail rather than hang.
            // Every other line takes the log call's path: framed in the caller's array.
            boolean framed = (lineNo & 1) == 0;
            byte[] rec = new byte[RingFormat.RECORD_HEADER + b.length + 8];
            System.arraycopy(b, 0, rec, RingFormat.RECORD_HEADER, b.length);
            Future<Long> f = producer.submit(() -> framed
                    ? ring.appendFramed(RingFormat.TYPE_LINE, category, flags, rec, RingFormat.RECORD_HEADER, b.length)
                    : ring.append(RingFormat.TYPE_LINE, category, flags, b, 0, b.length));
            long seq;
            try {
                seq = f.get(APPEND_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                ring.shutdown();
                throw new AssertionError("append of a " + recordSize + "-byte record waited for room the model says it has");
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e.getCause() != null ? e.getCause() : e);
            }
            assertThat(seq).as("seq of the appended record").isEqualTo(model.nextSeq);
            model.append(RingFormat.recordSize(len), category, flags, text);
        }

        /** One store pass as the drainer makes it; {@code cut} bytes written before a crash, or -1 for none. */
        void pass(int max, long cut) throws IOException {
            byte[] staging = new byte[(int) CAPACITY];
            Ring.Batch b = ring.read(ring.commitPos(), ring.commitSeq(), staging, max);
            List<RingModel.Rec> expected = model.batch((int) Math.min(max, CAPACITY));
            assertThat(records(staging, b.length())).as("the batch read").containsExactlyElementsOf(texts(expected));
            assertThat(b.endSeq() - b.startSeq()).isEqualTo(expected.size());
            ByteBuffer[] bufs = new ByteBuffer[CATEGORIES.length];
            for (RingModel.Rec r : expected) {
                int c = r.category();
                bufs[c] = bufs[c] == null ? ByteBuffer.allocate((int) CAPACITY * 2) : bufs[c];
                bufs[c].put((r.text() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            ring.beginPass(b.endPos(), b.endSeq());
            long budget = cut < 0 ? Long.MAX_VALUE : cut;
            for (int c = 0; c < CATEGORIES.length && budget > 0; c++) {
                if (bufs[c] == null) {
                    continue;
                }
                ByteBuffer buf = bufs[c].flip();
                CategoryFile cf = file(c);
                cf.lock();
                try {
                    long at = cf.prepare(buf.remaining());
                    ring.intent(c, cf.inode(), at, buf.remaining());
                    if (buf.remaining() > budget) {
                        buf.limit((int) (buf.position() + budget));
                    }
                    budget -= buf.remaining();
                    cf.write(buf);
                } finally {
                    cf.unlock();
                }
            }
            if (cut >= 0) {
                crash(false);
                return;
            }
            ring.commit(b.endPos(), b.endSeq());
            for (RingModel.Rec r : expected) {
                delivered.get(r.category()).add(r.text());
            }
            model.commit(expected.size());
        }

        CategoryFile file(int c) throws IOException {
            if (files[c] == null) {
                files[c] = new CategoryFile(layout, CATEGORIES[c], boot, Policy.DEFAULTS.retention(CATEGORIES[c]));
            }
            return files[c];
        }

        /** The process dies: its files and ring are let go as they are; the next start recovers. */
        void crash(boolean mountedAfter) throws IOException {
            for (int c = 0; c < files.length; c++) {
                if (files[c] != null) {
                    files[c].close();
                    files[c] = null;
                }
            }
            ring.abandon();
            RingRecovery.Outcome o = RingRecovery.recoverOne(layout, Policy.DEFAULTS, ringPath);
            assertThat(o).as("recovery of the orphan").isNotNull();
            assertThat(o.error()).isNull();
            assertThat(o.corrupt()).as("records recovery found torn").isZero();
            assertThat(o.lost()).as("records lost to early-boot overwriting").isEqualTo(model.lost);
            for (RingModel.Rec r : model.pending()) {
                delivered.get(r.category()).add(r.text());
            }
            assertThat(Files.exists(ringPath)).isFalse();
            openRing(mountedAfter);
        }

        /** After every step: the ring file read as recovery reads it, the files, and a crash right now. */
        void check() {
            try {
                RingImage image = RingImage.read(Files.readAllBytes(ringPath));
                assertThat(image.headerTrusted()).isTrue();
                assertThat(texts(image.pending())).as("pending records").containsExactlyElementsOf(texts(model.pending()));
                assertThat(seqs(image.pending())).containsExactlyElementsOf(model.pending().stream().map(RingModel.Rec::seq).toList());
                assertThat(image.pending()).extracting(RingImage.Record::category, RingImage.Record::flags)
                        .containsExactlyElementsOf(model.pending().stream()
                                .map(r -> org.assertj.core.groups.Tuple.tuple(r.category(), r.flags())).toList());
                assertThat(texts(image.retained())).as("committed records still held")
                        .containsExactlyElementsOf(texts(model.retained()));
                assertThat(image.lost()).isEqualTo(model.lost);
                assertThat(image.corrupt()).isZero();
                assertThat(ring.nextSeq()).isEqualTo(model.nextSeq);
                assertThat(ring.lost()).isEqualTo(model.lost);
                assertThat(ring.isDrained()).isEqualTo(model.pending().isEmpty());
                assertThat(ring.pendingBytes()).isEqualTo(model.pending().stream().mapToLong(RingModel.Rec::size).sum());
                for (int c = 0; c < CATEGORIES.length; c++) {
                    assertThat(fileLines(layout, c)).as("lines in " + CATEGORIES[c]).containsExactlyElementsOf(delivered.get(c));
                }
                crashHereLeavesEveryRecordOnce();
            } catch (IOException | RingFormatException e) {
                throw new AssertionError(e);
            }
        }

        private void crashHereLeavesEveryRecordOnce() throws IOException {
            Path copy = Files.createTempDirectory(SCRATCH, "ring-model-crash");
            try {
                copyTree(root, copy);
                RootLayout l2 = new RootLayout(copy);
                RingRecovery.Outcome o = RingRecovery.recoverOne(l2, Policy.DEFAULTS, l2.ringDir().resolve("1.ring"));
                assertThat(o).isNotNull();
                for (int c = 0; c < CATEGORIES.length; c++) {
                    List<String> want = new ArrayList<>(delivered.get(c));
                    for (RingModel.Rec r : model.pending()) {
                        if (r.category() == c) {
                            want.add(r.text());
                        }
                    }
                    assertThat(fileLines(l2, c)).as("lines in " + CATEGORIES[c] + " after a crash here")
                            .containsExactlyElementsOf(want);
                }
            } finally {
                deleteTree(copy);
            }
        }

        List<String> fileLines(RootLayout l, int c) throws IOException {
            Path f = l.logFile(CATEGORIES[c], boot);
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        }

        void dispose() throws IOException {
            for (CategoryFile f : files) {
                if (f != null) {
                    f.close();
                }
            }
            producer.shutdownNow();
            ring.abandon();
            deleteTree(root);
        }

        @Override
        public String toString() {
            return "ring of " + CAPACITY + " bytes";
        }
    }

    static List<String> records(byte[] staging, int length) {
        ByteBuffer v = ByteBuffer.wrap(staging).order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        for (int off = 0; off < length; off += RingFormat.recordSize(v.getInt(off))) {
            out.add(new String(staging, off + RingFormat.RECORD_HEADER, v.getInt(off), StandardCharsets.US_ASCII));
        }
        return out;
    }

    static List<String> texts(List<?> recs) {
        return recs.stream().map(r -> r instanceof RingModel.Rec m ? m.text() : ((RingImage.Record) r).text()).toList();
    }

    static List<Long> seqs(List<RingImage.Record> recs) {
        return recs.stream().map(RingImage.Record::seq).toList();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, t);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------ actions

    /** Appends one record of a size aimed at the ring's edges (or not), never one that would wait. */
    static final class Append implements Action.Dependent<Machine> {
        @Override
        public boolean precondition(Machine m) {
            return !m.model.mounted || m.model.freeWithoutWaiting() >= MIN_RECORD;
        }

        @Override
        public Arbitrary<Transformer<Machine>> transformer(Machine m) {
            RingModel mod = m.model;
            int toEnd = (int) (CAPACITY - mod.head % CAPACITY);
            int free = (int) (mod.mounted ? mod.freeWithoutWaiting() : CAPACITY - mod.used());
            Arbitrary<Integer> size = Arbitraries.oneOf(
                    Arbitraries.integers().between(MIN_RECORD / 8, (int) CAPACITY / 32).map(k -> k * 8),
                    Arbitraries.just(toEnd),
                    Arbitraries.integers().between(1, 16).map(k -> toEnd + 8 * k),
                    Arbitraries.just(free),
                    Arbitraries.just((int) CAPACITY));
            int limit = mod.mounted ? free : (int) CAPACITY;
            return Arbitraries.integers().between(0, 7).flatMap(pad ->
                    Arbitraries.integers().between(0, CATEGORIES.length - 1).flatMap(cat ->
                            Arbitraries.integers().between(0, 1).flatMap(urgent ->
                                    size.map(s -> Math.min(limit, Math.max(MIN_RECORD, s)) & ~7).map(s -> {
                                        // padding bytes the record gets (0..7), leaving a line of MIN_LINE at least
                                        int r = Math.min(pad, s - RingFormat.RECORD_HEADER - MIN_LINE);
                                        return Transformer.<Machine>mutate("append record of " + s + " bytes (pad " + r
                                                + ", " + CATEGORIES[cat] + (urgent == 1 ? ", urgent" : "") + ")",
                                                st -> st.append(s, r, cat, urgent));
                                    }))));
        }
    }

    /** A whole store pass: read a batch of a budget aimed at record boundaries, write, commit. */
    static final class Drain implements Action.Dependent<Machine> {
        @Override
        public boolean precondition(Machine m) {
            return m.model.mounted && !m.model.pending().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Machine>> transformer(Machine m) {
            return budgets(m).map(max -> Transformer.mutate("drain pass of at most " + max + " bytes",
                    st -> io(() -> st.pass(max, -1))));
        }
    }

    /** A pass cut short by a crash after writing {@code cut} of its bytes (maybe mid-line), then recovery. */
    static final class CrashMidPass implements Action.Dependent<Machine> {
        @Override
        public boolean precondition(Machine m) {
            return m.model.mounted && !m.model.pending().isEmpty();
        }

        @Override
        public Arbitrary<Transformer<Machine>> transformer(Machine m) {
            return budgets(m).flatMap(max -> {
                long bytes = m.model.batch(max).stream().mapToLong(r -> r.text().length() + 1).sum();
                return Arbitraries.longs().between(0, bytes).map(cut -> Transformer.mutate(
                        "crash in a pass of at most " + max + " bytes after writing " + cut + " of " + bytes,
                        st -> io(() -> st.pass(max, cut))));
            });
        }
    }

    static Arbitrary<Integer> budgets(Machine m) {
        List<RingModel.Rec> pending = m.model.pending();
        int k = Math.min(pending.size(), 4);
        int exact = 0;
        for (int i = 0; i < k; i++) {
            exact += pending.get(i).size();
        }
        return Arbitraries.oneOf(Arbitraries.integers().between(1, (int) CAPACITY),
                Arbitraries.just(exact), Arbitraries.just(Math.max(1, exact - 1)), Arbitraries.just(exact + 1));
    }

    static final class Mount implements Action.Independent<Machine> {
        @Override
        public boolean precondition(Machine m) {
            return !m.model.mounted;
        }

        @Override
        public Arbitrary<Transformer<Machine>> transformer() {
            return Arbitraries.just(Transformer.mutate("mount", st -> {
                st.ring.mount();
                st.model.mounted = true;
            }));
        }
    }

    /** The process dies between passes; the next one recovers the ring and opens a new one. */
    static final class Crash implements Action.Independent<Machine> {
        @Override
        public Arbitrary<Transformer<Machine>> transformer() {
            return Arbitraries.of(true, false).map(mounted -> Transformer.mutate(
                    "crash, recover, reopen " + (mounted ? "mounted" : "unmounted"), st -> io(() -> st.crash(mounted))));
        }
    }

    interface Io {
        void run() throws IOException;
    }

    static void io(Io r) {
        try {
            r.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
