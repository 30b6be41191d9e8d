package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fsyncs of a log system on a thread of their own: a sequence number is published as durable
 * only after a round of fsyncs over every file written before it was asked for; a file rotated
 * away is fsync'd and closed; a failing fsync is reported and retried, and nothing is published
 * meanwhile.
 */
class SyncerTest {
    @TempDir
    Path dir;

    FileChannel file(String name) throws IOException {
        return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Test
    void aRequestIsPublishedAfterItsRoundAndRetiredFilesAreClosed() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        List<IOException> failures = new CopyOnWriteArrayList<>();
        Syncer s = new Syncer(durable::add, failures::add, "syncer-test");
        FileChannel a = file("a");
        FileChannel b = file("b");
        assertThat(s.hasDirty()).isFalse();
        s.dirty(a);
        s.dirty(a);
        s.retire(b);
        assertThat(s.hasDirty()).isTrue();
        s.request(7);
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(b.isOpen()).as("a retired file is closed after its fsync").isFalse();
        assertThat(a.isOpen()).as("a dirty file stays the writer's").isTrue();
        assertThat(s.hasDirty()).isFalse();
        // A file retired after it was marked dirty is no longer dirty: it is fsync'd as retired.
        s.dirty(a);
        s.retire(a);
        s.request(9);
        s.request(8); // a smaller request never lowers what is published
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(9);
        assertThat(a.isOpen()).isFalse();
        s.close(10_000);
        assertThat(failures).isEmpty();
    }

    @Test
    void aRetiredFileIsFsyncedAndClosedAtOnceWithoutPublishingAnything() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-test");
        FileChannel active = file("active");
        FileChannel rotated = file("rotated");
        s.dirty(active);
        s.retire(rotated); // no request: the retirement alone starts a round
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rotated.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(rotated.isOpen()).as("the rotated file is fsync'd and closed without a request").isFalse();
        assertThat(durable).as("nothing asked to be published").isEmpty();
        assertThat(active.isOpen()).isTrue();
        assertThat(s.hasDirty()).as("the active file still waits for a request's round").isTrue();
        s.request(4);
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(s.hasDirty()).isFalse();
        s.close(10_000);
    }

    @Test
    void aFileClosedBeforeItsRoundDoesNotHoldThePublicationBack() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-test");
        FileChannel a = file("a");
        s.dirty(a);
        a.close(); // rotated and closed meanwhile: its fsync was the retirement's business
        s.request(3);
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(3);
        s.close(10_000);
    }

    @Test
    void aFailingFsyncIsReportedRetriedAndPublishesNothingUntilItGoesThrough() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<IOException> failures = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, failures::add, "syncer-test");
        // fsync of a character device fails (EINVAL): a disk that refuses.
        FileChannel full = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE);
        s.dirty(full);
        s.request(5);
        assertThat(failures.poll(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(failures.poll(30, TimeUnit.SECONDS)).as("retried").isNotNull();
        assertThat(durable).isEmpty();
        full.close(); // the file goes (rotated and closed): the next round has nothing failing
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(5);
        s.close(10_000);
    }

    @Test
    void closingRunsALastRoundForWhatIsStillDirty() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-test");
        FileChannel a = file("a");
        a.write(java.nio.ByteBuffer.wrap(new byte[] {'x', '\n'}));
        FileChannel b = file("b");
        s.dirty(a);
        s.retire(b);
        s.close(10_000);
        assertThat(b.isOpen()).as("the retired file, fsync'd and closed by the last round").isFalse();
        assertThat(durable.poll(1, TimeUnit.SECONDS)).as("a last round publishes no new request").isEqualTo(0);
        assertThat(Files.size(dir.resolve("a"))).isEqualTo(2);
        a.close();
    }
    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /** The live thread of this name (names are unique per test). */
    static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .findFirst().orElseThrow(() -> new AssertionError("no live thread " + name));
    }

    /** Waits until the thread sleeps, waiting for work (at most 30 s). */
    static void awaitWaiting(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }

    static void awaitClosed(FileChannel ch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ch.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    @Test
    void theSyncerThreadDoesNotKeepTheProcessAlive() {
        Syncer s = new Syncer(seq -> { }, e -> { }, "syncer-daemon-test");
        assertThat(thread("syncer-daemon-test").isDaemon()).isTrue();
        s.close(10_000);
    }

    @Test
    void closingASyncerWithNothingWrittenPublishesNothingAndEndsItsThread() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-idle-close");
        Thread t = thread("syncer-idle-close");
        s.close(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(durable).as("no round ran: nothing was written").isEmpty();
    }

    @Test
    void closingFromAnInterruptedThreadKeepsTheInterrupt() {
        Syncer s = new Syncer(seq -> { }, e -> { }, "syncer-interrupted-close");
        Thread.currentThread().interrupt();
        s.close(10_000);
        assertThat(Thread.interrupted()).isTrue();
        s.close(10_000);
    }

    @Test
    void aFileRetiredWhileTheSyncerSleepsWakesIt() throws Exception {
        Syncer s = new Syncer(seq -> { }, e -> { }, "syncer-retire-wakes");
        awaitWaiting(thread("syncer-retire-wakes"));
        FileChannel rotated = file("rotated");
        s.retire(rotated);
        awaitClosed(rotated);
        assertThat(rotated.isOpen()).as("fsync'd and closed without a request or a close").isFalse();
        s.close(10_000);
    }

    @Test
    void aRetiredFileIsFsyncedBeforeItIsClosed() throws Exception {
        DiskTrace trace = new DiskTrace(dir, dir.resolve("logs"));
        FileChannel rotated = new RecordingChannel(FileChannel.open(dir.resolve("rotated"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE), 42, trace);
        rotated.write(java.nio.ByteBuffer.wrap(new byte[] {'y', '\n'}));
        Syncer s = new Syncer(seq -> { }, e -> { }, "syncer-retired-fsync");
        s.retire(rotated);
        awaitClosed(rotated);
        assertThat(rotated.isOpen()).isFalse();
        assertThat(trace.events()).anySatisfy(ev -> assertThat(ev.op()).isInstanceOfSatisfying(DiskTrace.Fsync.class,
                f -> assertThat(f.content()).containsExactly('y', '\n')));
        s.close(10_000);
    }

    @Test
    void aRequestForSequenceZeroIsARoundLikeAnyOther() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-zero");
        FileChannel a = file("a");
        s.dirty(a);
        s.request(0);
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(s.hasDirty()).as("the round fsync'd the dirty file").isFalse();
        s.close(10_000);
        a.close();
    }

    @Test
    void aFailingRoundIsRetriedAtTheBackOffsPaceWhichASuccessResets() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Long> pauses = new LinkedBlockingQueue<>();
        Semaphore goOn = new Semaphore(0);
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-backoff",
                new Backoff(n -> {
                    pauses.add(n);
                    goOn.acquireUninterruptibly();
                }));
        // fsync of a character device fails (EINVAL): a disk that refuses.
        FileChannel full = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE);
        s.dirty(full);
        s.request(5);
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        goOn.release();
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).as("longer after a second failure")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        full.close();
        goOn.release();
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(5);
        FileChannel full2 = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE);
        s.dirty(full2);
        s.request(6);
        assertThat(pauses.poll(30, TimeUnit.SECONDS)).as("the first failure after a success waits the shortest time")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        full2.close();
        goOn.release();
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(6);
        s.close(10_000);
    }
    @Test
    void aRequestForSequenceZeroWithNothingWrittenIsPublishedAndTheSyncerGoesOn() throws Exception {
        LinkedBlockingQueue<Long> durable = new LinkedBlockingQueue<>();
        Syncer s = new Syncer(durable::add, e -> { }, "syncer-zero-idle");
        s.request(0);
        assertThat(durable.poll(30, TimeUnit.SECONDS)).isEqualTo(0);
        s.request(1);
        assertThat(durable.poll(30, TimeUnit.SECONDS)).as("the syncer still serves requests").isEqualTo(1);
        s.close(10_000);
    }
}
