package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.console.ConsoleSink;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.status.StatusChannel;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drainer of a real mapped ring, writing real category files, on a clock the test sets: what
 * flush, the sync interval, a failing store, a crash record and stop do, as the files, the console,
 * the status channel and the process's threads and descriptors show it.
 */
class DrainerTest {
    @TempDir
    Path root;

    /** The log system's clock, moved by the test only. */
    static final class SetClock implements LogClock {
        volatile long mono = 1_000_000_000_000L;

        @Override
        public long monoNanos() {
            return mono;
        }

        @Override
        public long utcNanos() {
            return 1_796_551_200_000_000_000L + mono;
        }
    }

    final SetClock clock = new SetClock();
    final BootId boot = BootId.random();
    final ByteArrayOutputStream statusOut = new ByteArrayOutputStream();
    final StatusChannel status = new StatusChannel(new PrintStream(statusOut, true), clock::monoNanos);
    final CountDownLatch consoleFree = new CountDownLatch(1);
    final List<AutoCloseable> cleanup = new ArrayList<>();
    RootLayout layout;
    Ring ring;
    ConsoleSink console;
    Drainer drainer;
    Thread drainerThread;
    Thread syncerThread;

    @AfterEach
    void tearDown() throws Exception {
        Thread.interrupted();
        consoleFree.countDown();
        if (drainer != null) {
            drainer.stop();
            drainer.closeFiles();
        }
        if (console != null) {
            console.close(5000);
        }
        if (ring != null) {
            ring.close();
        }
    }

    /** How the drainer naps and sleeps when idle: as in production unless a test says otherwise. */
    ObjLongConsumer<Object> idle = LockSupport::parkNanos;
    /** The idle drainer's naps and sleeps (their nanoseconds), when {@link #untilWoken} is used. */
    final LinkedBlockingQueue<Long> parks = new LinkedBlockingQueue<>();

    /** Naps and sleeps that end only when the drainer is woken: whatever needs doing must wake it. */
    void untilWoken() {
        idle = (blocker, nanos) -> {
            parks.add(nanos);
            LockSupport.park(blocker);
        };
    }

    /** A drainer over a mounted (or not) ring, its console written to {@code out}, started. */
    void start(boolean mounted, OutputStream out, LongConsumer pause) throws IOException {
        layout = new RootLayout(root);
        ring = Ring.create(layout.ringDir().resolve("test.ring"), 256 * 1024, boot);
        if (mounted) {
            ring.mount();
        }
        console = new ConsoleSink(out, 4096, n -> ("dropped " + n).getBytes(StandardCharsets.US_ASCII),
                "drainer-test-console");
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        drainer = new Drainer(ring, console, Policy.DEFAULTS, layout, boot, clock, status, pause, idle);
        drainer.start();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.getName().equals("rayos-log-drainer")) {
                drainerThread = t;
            } else if (!before.contains(t) && t.getName().equals("rayos-log-syncer")) {
                syncerThread = t;
            }
        }
        assertThat(drainerThread).isNotNull();
        assertThat(syncerThread).isNotNull();
    }

    void start() throws IOException {
        start(true, new ByteArrayOutputStream(), n -> { });
    }

    long log(String category, String line, boolean urgent) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        long seq = ring.append(RingFormat.TYPE_LINE, ring.categoryIndex(category), urgent ? RingFormat.FLAG_URGENT : 0,
                b, 0, b.length);
        drainer.afterAppend(urgent);
        return seq;
    }

    List<String> file(String category) throws IOException {
        Path f = layout.logFile(category, boot);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /** Waits (at most 30 s) until the category's file holds {@code n} lines. */
    void awaitLines(String category, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (file(category).size() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(file(category)).hasSize(n);
    }

    void awaitDurable(long seq) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (drainer.durableSeq() <= seq && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(drainer.durableSeq()).isGreaterThan(seq);
    }

    /** The descriptors of this process open on a file under the logs directory. */
    List<Path> openLogFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        Path logs = layout.logsDir().toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(logs)) {
                        out.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, gone
                }
            }
        }
        return out;
    }

    /** A console device that takes nothing until the test ends. */
    OutputStream blockedConsole() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    consoleFree.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        };
    }

    @Test
    void theDrainersThreadsDoNotKeepTheProcessAliveAndStopEndsThem() throws Exception {
        start();
        assertThat(drainerThread.isDaemon()).isTrue();
        assertThat(syncerThread.isDaemon()).isTrue();
        assertThat(drainer.isStopping()).isFalse();
        log("boot", "one line", false);
        drainer.stop();
        assertThat(drainer.isStopping()).isTrue();
        assertThat(drainerThread.isAlive()).isFalse();
        assertThat(syncerThread.isAlive()).as("stop runs the syncer's last round and ends it").isFalse();
        assertThat(file("boot")).containsExactly("one line");
        assertThat(drainer.durableSeq()).as("the last round fsync'd the line").isEqualTo(1);
    }

    @Test
    void closingTheFilesLeavesNoDescriptorOnTheLogs() throws Exception {
        start();
        log("boot", "a line", false);
        log("kernel", "a kernel line", false);
        drainer.flush();
        assertThat(openLogFiles()).as("the files written to are open").isNotEmpty();
        drainer.stop();
        drainer.closeFiles();
        assertThat(openLogFiles()).isEmpty();
        drainer = null;
    }

    @Test
    void flushWritesAndFsyncsEveryLineWhileTheClockStandsStill() throws Exception {
        // The clock never moves: the sync interval never passes, and a flush that did not ask
        // for its own round would wait forever.
        start();
        log("boot", "first", false);
        log("boot", "second", false);
        awaitLines("boot", 2);
        log("boot", "third", false);
        drainer.flush();
        assertThat(file("boot")).containsExactly("first", "second", "third");
        assertThat(drainer.durableSeq()).isEqualTo(3);
        drainer.flush();
        assertThat(drainer.durableSeq()).isEqualTo(3);
    }

    @Test
    void anUrgentLineIsFsyncdWithoutAFlushOrTheIntervalPassing() throws Exception {
        start();
        long seq = log("boot", "an ERROR line", true);
        drainer.awaitDurable(seq);
        assertThat(drainer.durableSeq()).isGreaterThan(seq);
        assertThat(file("boot")).containsExactly("an ERROR line");
    }

    @Test
    void aPlainLineIsFsyncdOnceTheSyncIntervalHasPassed() throws Exception {
        start();
        long seq = log("boot", "a plain line", false);
        awaitLines("boot", 1);
        clock.mono += Policy.DEFAULTS.syncInterval().toNanos(); // exactly the interval
        awaitDurable(seq);
    }

    @Test
    void aFailingStoreIsReportedOnceRetriedAtTheBackOffsPaceAndClearedWhenItWorksAgain() throws Exception {
        LinkedBlockingQueue<Long> pauses = new LinkedBlockingQueue<>();
        Semaphore goOn = new Semaphore(0);
        // The logs directory is a file: no category directory can be made under it.
        Files.createDirectories(root.resolve("var/rayos"));
        Files.writeString(root.resolve("var/rayos/logs"), "not a directory");
        start(true, new ByteArrayOutputStream(), n -> {
            pauses.add(n);
            goOn.acquireUninterruptibly();
        });
        log("boot", "kept in the ring", false);
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(drainer.storeFailure()).isNotNull();
        goOn.release();
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).as("the same records retried, after longer")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(status.recent()).hasSize(2).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Drainer.STORE_FAILING);
            assertThat(e.message()).startsWith("cannot write logs: ").endsWith("(lines stay in the ring; retrying)");
        });
        assertThat(statusOut.toString().lines()).as("a disk that stays broken says so once").hasSize(1);

        Files.delete(root.resolve("var/rayos/logs"));
        goOn.release();
        awaitLines("boot", 1);
        drainer.flush();
        assertThat(drainer.storeFailure()).as("working again").isNull();

        // A new failure after the store worked again: printed again, and retried soon again.
        Files.createDirectories(layout.logsDir());
        Files.writeString(layout.logsDir().resolve("kernel"), "not a directory");
        log("kernel", "a kernel line", false);
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).as("the back-off starts over after a success")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(statusOut.toString().lines()).as("the new trouble is printed").hasSize(2);
        Files.delete(layout.logsDir().resolve("kernel"));
        goOn.release();
        awaitLines("kernel", 1);
        assertThat(file("boot")).containsExactly("kept in the ring");
    }

    @Test
    void anUnreadableCrashRecordIsReportedOnceAndTheLinesBehindItAreWritten() throws Exception {
        start();
        byte[] junk = "not a crash report".getBytes(StandardCharsets.US_ASCII);
        ring.append(RingFormat.TYPE_CRASH, 0, RingFormat.FLAG_URGENT, junk, 0, junk.length);
        drainer.afterAppend(true);
        log("boot", "after the crash record", false);
        drainer.flush();
        log("boot", "one more", false);
        drainer.flush();
        assertThat(file("boot")).containsExactly("after the crash record", "one more");
        assertThat(status.recent()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Drainer.CRASH_HELD);
            assertThat(e.message()).startsWith("crash report of boot ?: unreadable crash record: ")
                    .doesNotContain("held in");
        });
        assertThat(drainer.storeFailure()).isNull();
    }

    @Test
    void beforeMountACrashRecordWaitsInTheRingAndLinesGoToTheConsoleOnly() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        start(false, out, n -> { });
        byte[] junk = "not a crash report".getBytes(StandardCharsets.US_ASCII);
        ring.append(RingFormat.TYPE_CRASH, 0, RingFormat.FLAG_URGENT, junk, 0, junk.length);
        log("boot", "early", false);
        drainer.awaitConsole(30_000);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("early\n");
        assertThat(status.recent()).as("the crash record is not the store's yet").isEmpty();
        assertThat(Files.exists(layout.logsDir())).isFalse();
        assertThat(ring.isDrained()).isFalse();
    }

    @Test
    void awaitConsoleReturnsOnceEveryLineIsWrittenToTheDevice() throws Exception {
        // A device that takes its time: a caller that did not wait for the writing sees less.
        OutputStream slow = new OutputStream() {
            final ByteArrayOutputStream got = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                got.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.write(b, off, len);
            }

            @Override
            public synchronized String toString() {
                return got.toString(StandardCharsets.UTF_8);
            }
        };
        start(true, slow, n -> { });
        log("boot", "one", false);
        log("boot", "two", false);
        // The clock stands still: only the lines reaching the console end this wait.
        drainer.awaitConsole(30_000);
        assertThat(slow.toString()).isEqualTo("one\ntwo\n");
    }

    @Test
    void awaitConsoleGivesUpOnAStuckDeviceAndAnInterruptedCallerStaysInterrupted() throws Exception {
        start(true, blockedConsole(), n -> { });
        for (int i = 0; i < 100; i++) {
            log("boot", "plain line " + i + " " + "x".repeat(80), false);
        }
        // The device takes nothing; the wait ends at its 200 ms (a sum in place of the
        // difference would make it wait for half an hour).
        drainer.awaitConsole(200);
        assertThat(console.droppedTotal()).as("plain lines are dropped when the console cannot keep up")
                .isPositive();
        Thread.currentThread().interrupt();
        drainer.awaitConsole(30_000);
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        awaitLines("boot", 100);
    }

    @Test
    void stopWaitsForTheDrainersLastPass() throws Exception {
        start(true, blockedConsole(), n -> { });
        for (int i = 0; i < 60; i++) {
            log("boot", "urgent line " + i + " " + "x".repeat(80), true);
        }
        // Urgent lines wait for room on the console: the drainer is stuck until the device
        // takes them, which it does a moment after stop is called.
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            consoleFree.countDown();
        });
        release.start();
        drainer.stop();
        assertThat(drainerThread.isAlive()).isFalse();
        assertThat(file("boot")).hasSize(60);
        release.join();
    }

    @Test
    void stopFromAnInterruptedThreadKeepsTheInterrupt() throws Exception {
        start();
        Thread.currentThread().interrupt();
        drainer.stop();
        assertThat(Thread.interrupted()).isTrue();
    }
    static final long NAP = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aPlainLineWakesADrainerSleepingUntilWoken() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after an empty pass").isEqualTo(NAP);
        drainer.wake();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("then the sleep until woken, 50 ms at most")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        log("boot", "a plain line", false);
        awaitLines("boot", 1);
    }

    @Test
    void aNappingDrainerIsLeftAloneUntilABatchsWorthOfLinesWaits() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after an empty pass").isEqualTo(NAP);
        String line = "x".repeat(1000); // a record of 1024 bytes: 64 of them are the 64 KiB that wake it
        for (int i = 0; i < 63; i++) {
            log("boot", line, false);
        }
        assertThat(ring.pendingBytes()).isEqualTo(63 * 1024);
        assertThat(file("boot")).as("plain lines do not cut a nap short").isEmpty();
        log("boot", line, false);
        awaitLines("boot", 64);
    }

    @Test
    void aSingleLineOfABatchsWorthWakesANappingDrainer() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "y".repeat(70_000), false);
        awaitLines("boot", 1);
    }

    @Test
    void anUrgentLineWakesANappingDrainer() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        long seq = log("boot", "an ERROR line", true);
        drainer.awaitDurable(seq);
        assertThat(file("boot")).containsExactly("an ERROR line");
    }

    @Test
    void flushWakesANappingDrainer() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "a plain line", false);
        drainer.flush();
        assertThat(file("boot")).containsExactly("a plain line");
        assertThat(drainer.durableSeq()).isEqualTo(1);
    }
    @Test
    void plainLinesAreFsyncdTogetherByTheFlushNotOneByOneAsTheyAreWritten() throws Exception {
        // The clock stands still, so the sync interval never passes: the plain lines' only fsync
        // is the flush's (an fsync per write pass would cost the disk what the interval saves).
        DiskTrace trace = new DiskTrace(root, root.resolve("var/rayos/logs"));
        trace.install();
        try {
            start();
            log("boot", "first", false);
            awaitLines("boot", 1);
            log("boot", "second", false);
            awaitLines("boot", 2);
            drainer.flush();
            List<DiskTrace.Fsync> fsyncs = trace.events().stream().map(DiskTrace.Event::op)
                    .filter(DiskTrace.Fsync.class::isInstance).map(DiskTrace.Fsync.class::cast).toList();
            assertThat(fsyncs).singleElement().satisfies(f -> assertThat(new String(f.content(),
                    StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n"));
        } finally {
            trace.uninstall();
        }
    }
    @Test
    void aDrainerWithUnfsyncedLinesSleepsAtMostUntilTheSyncIntervalEnds() throws Exception {
        untilWoken();
        start();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "a plain line", false);
        drainer.wake();
        awaitLines("boot", 1);
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the nap after the pass").isEqualTo(NAP);
        clock.mono += TimeUnit.MILLISECONDS.toNanos(300);
        drainer.wake();
        assertThat(parks.poll(30, TimeUnit.SECONDS)).as("the line is owed an fsync in 700 ms of the 1 s interval")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
        assertThat(drainer.durableSeq()).isZero();
    }

    @Test
    void awaitConsoleWakesANappingDrainer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        untilWoken();
        start(true, out, n -> { });
        assertThat(parks.poll(30, TimeUnit.SECONDS)).isEqualTo(NAP);
        log("boot", "shown before the banner", false);
        drainer.awaitConsole(30_000); // the clock stands still: only the line reaching the console ends it
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("shown before the banner\n");
    }
}
