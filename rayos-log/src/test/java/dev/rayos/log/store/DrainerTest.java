package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.policy.Policy;
import dev.rayos.log.ring.RingFormat;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The drainer as the files, the console, the status channel and the process's threads and
 * descriptors show it: what flush, an urgent line, the sync interval, a failing store, a crash
 * record and stop do.
 */
class DrainerTest extends DrainerFixture {
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
        drainer.afterAppend(0, true);
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
            public void write(byte[] b, int off, int len) {
                try {
                    Thread.sleep(100); // outside the lock: reading what arrived never waits for a write
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (this) {
                    got.write(b, off, len);
                }
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
        for (int i = 0; i < 200; i++) {
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
        assertThat(file("boot")).hasSize(200);
        release.join();
    }

    @Test
    void stopFromAnInterruptedThreadKeepsTheInterrupt() throws Exception {
        start();
        Thread.currentThread().interrupt();
        drainer.stop();
        assertThat(Thread.interrupted()).isTrue();
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
    void awaitConsoleOfNoTimeReturnsAtOnceWhileTheConsoleIsStuck() throws Exception {
        start(true, blockedConsole(), n -> { });
        // 19 KB: more than the console's queue (4 KiB) and the chunk its writer took before it stuck
        for (int i = 0; i < 200; i++) {
            log("boot", "urgent line " + i + " " + "x".repeat(80), true);
        }
        // The urgent lines wait for room on a console that takes nothing, and the clock stands
        // still: a wait of 0 ms must not look at the drainer at all.
        drainer.awaitConsole(0);
        assertThat(drainerThread.isAlive()).isTrue();
    }

    @Test
    void earlyBootLinesAreShownThenWrittenOutOnceAtMount() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        start(false, out, n -> { });
        log("boot", "early one", false);
        drainer.awaitConsole(30_000); // the clock stands still: only the console's lines end these waits
        log("boot", "early two", false);
        log("boot", "early three", false);
        drainer.awaitConsole(30_000);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("early one\nearly two\nearly three\n");
        ring.mount();
        drainer.flush();
        assertThat(file("boot")).containsExactly("early one", "early two", "early three");
        assertThat(drainer.durableSeq()).as("durable up to the last record, not past it").isEqualTo(ring.nextSeq());
        log("boot", "after mount", true);
        drainer.flush();
        assertThat(file("boot")).endsWith("after mount").hasSize(4);
        drainer.awaitConsole(30_000);
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("early three\nafter mount\n");
    }
}
