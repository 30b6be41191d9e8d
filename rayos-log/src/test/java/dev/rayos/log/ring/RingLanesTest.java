package dev.rayos.log.ring;

import static dev.rayos.log.ring.LaneLines.append;
import static dev.rayos.log.ring.LaneLines.line;
import static dev.rayos.log.ring.LaneLines.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ring of several lanes: threads log into lanes of their own, and what the drainer takes and
 * what recovery reads back is every lane's records in the order they were appended.
 */
class RingLanesTest {
    @TempDir
    Path dir;




    @Test
    void appendsSpreadOverLanesAreTakenInTheOrderTheyWereMade() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 8192, 3, BootId.random())) {
            r.mount();
            int[] lanes = {0, 0, 2, 1, 1, 0, 2, 2, 1, 0};
            for (int n = 0; n < lanes.length; n++) {
                assertThat(append(r, lanes[n], n, 0)).as("order of append %d", n).isEqualTo(n);
            }
            byte[] staging = new byte[8192];
            Ring.Pass p = r.read(null, staging, staging.length);
            assertThat(numbers(staging, p.length())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(p.endOrder()).isEqualTo(10);
            assertThat(p.endSeq()).as("each lane's records taken").containsExactly(4L, 3L, 3L);
            r.commit(p);
            assertThat(r.isDrained()).isTrue();
            assertThat(r.read(null, staging, staging.length).isEmpty()).isTrue();
        }
    }

    @Test
    void aPassThatCannotTakeEveryLaneWholeStopsBeforeAnyRecordItDidNotCopy() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 16384, 2, BootId.random())) {
            r.mount();
            for (int n = 0; n < 120; n++) {
                append(r, n % 3 == 0 ? 1 : 0, n, 0);
            }
            byte[] staging = new byte[16384];
            List<Long> taken = new ArrayList<>();
            int passes = 0;
            while (true) {
                Ring.Pass p = r.read(null, staging, 1000); // a few records a pass
                if (p.isEmpty()) {
                    break;
                }
                List<Long> ns = numbers(staging, p.length());
                assertThat(p.length()).isLessThanOrEqualTo(1000);
                assertThat(p.endOrder()).as("the pass's end: past its last record").isGreaterThan(ns.get(ns.size() - 1));
                taken.addAll(ns);
                r.beginPass(p);
                r.commit(p);
                passes++;
            }
            assertThat(passes).isGreaterThan(5);
            assertThat(taken).hasSize(120);
            for (int i = 0; i < taken.size(); i++) {
                assertThat(taken.get(i)).as("record %d taken", i).isEqualTo(i);
            }
        }
    }

    /**
     * Two threads append to two lanes while a third drains: every pass takes a run of orders with
     * no gap, so no record is ever written before one that was appended earlier, in any lane.
     */
    @Test
    void concurrentLanesDrainedWhileWrittenComeOutAsOneGaplessOrder() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 8192, 2, BootId.random())) {
            r.mount();
            int perThread = 20_000;
            AtomicReference<Throwable> failed = new AtomicReference<>();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int lane = t;
                Thread th = new Thread(() -> {
                    try {
                        for (int n = 0; n < perThread; n++) {
                            append(r, lane, lane * 1_000_000L + n, 0);
                        }
                    } catch (Throwable e) {
                        failed.set(e);
                    }
                });
                producers.add(th);
                th.start();
            }
            byte[] staging = new byte[8192];
            long expectedOrder = 0;
            long[] lastOf = {-1, 999_999};
            int total = 0;
            while (total < 2 * perThread) {
                Ring.Pass p = r.read(null, staging, 2048);
                ByteBuffer view = ByteBuffer.wrap(staging).order(ByteOrder.LITTLE_ENDIAN);
                int at = 0;
                for (long n : numbers(staging, p.length())) {
                    assertThat(RingFormat.recordOrder(staging, at, p.endOrder())).as("order of record %d", total)
                            .isEqualTo(expectedOrder++);
                    int thread = (int) (n / 1_000_000);
                    assertThat(n).as("thread %d's lines in its order", thread).isEqualTo(lastOf[thread] + 1);
                    lastOf[thread] = n;
                    at += RingFormat.recordSize(view.getInt(at));
                    total++;
                }
                assertThat(p.endOrder()).isGreaterThanOrEqualTo(expectedOrder);
                r.commit(p);
            }
            for (Thread th : producers) {
                th.join();
            }
            assertThat(failed.get()).isNull();
            assertThat(r.isDrained()).isTrue();
        }
    }

    @Test
    void aCrashReportsLastLinesComeFromEveryLaneInOrder() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 2, BootId.random())) {
            for (int n = 0; n < 8; n++) {
                append(r, n % 2 == 0 && n != 4 ? 1 : 0, n, 0);
            }
            byte[] snap = r.snapshot();
            assertThat(numbers(snap, snap.length)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
    }

    @Test
    void anOrphanOfTwoLanesKilledBetweenItsLanesCommitsReadsBackWhatEachLaneStillOwes() throws Exception {
        Path path = dir.resolve("r.ring");
        Ring r = Ring.create(path, 4096, 2, BootId.random());
        r.mount();
        for (int n = 0; n < 6; n++) {
            append(r, n % 2, n, 0);
        }
        byte[] staging = new byte[4096];
        Ring.Pass p = r.read(null, staging, staging.length);
        r.beginPass(p);
        r.intent(0, 7, 100, p.length());
        Lane lane0 = laneOf(r, 0);
        lane0.commit(p.endPos()[0], p.endSeq()[0]); // killed before lane 1's commit
        for (int n = 6; n < 8; n++) {
            append(r, n % 2, n, 0);
        }
        r.abandon();
        RingImage img = RingImage.read(Files.readAllBytes(path));
        assertThat(img.retained().stream().map(RingImage.Record::text).map(t -> t.substring(t.indexOf("n="))))
                .containsExactly("n=0", "n=2", "n=4");
        List<String> pending = img.pending().stream().map(RingImage.Record::text)
                .map(t -> t.substring(t.indexOf("n="))).toList();
        assertThat(pending).containsExactly("n=1", "n=3", "n=5", "n=6", "n=7");
        assertThat(img.pending().stream().filter(img::inPass).map(RingImage.Record::text)
                .map(t -> t.substring(t.indexOf("n=")))).as("lane 1's part of the pass").containsExactly("n=1", "n=3", "n=5");
        assertThat(img.intents()).singleElement().satisfies(i -> assertThat(i.inode()).isEqualTo(7));
        assertThat(img.corrupt()).isZero();
    }

    private static Lane laneOf(Ring r, int i) throws Exception {
        java.lang.reflect.Field f = Ring.class.getDeclaredField("lanes");
        f.setAccessible(true);
        return ((Lane[]) f.get(r))[i];
    }

    @Test
    void aRingOfMoreLanesOrMoreBytesThanTheFormatAllowsIsRefused() {
        BootId boot = BootId.random();
        assertThatThrownBy(() -> Ring.create(dir.resolve("a.ring"), 4096, 17, boot))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lanes 17");
        assertThatThrownBy(() -> Ring.create(dir.resolve("b.ring"), 4096, 0, boot))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lanes 0");
        assertThatThrownBy(() -> Ring.create(dir.resolve("c.ring"), 1L << 29, 3, boot))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    @Test
    void threadsAreGivenTheLanesInTurn() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 3, BootId.random())) {
            assertThat(List.of(r.laneFor(), r.laneFor(), r.laneFor(), r.laneFor())).containsExactly(0, 1, 2, 0);
        }
    }

    @Test
    void producersBlockedOnAFullLaneAreWokenByTheCommitOfThePassThatTookTheirLane() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 2, BootId.random())) {
            r.mount();
            long n = 0;
            while (r.pendingBytes(1) + RingFormat.recordSize(line(n, 0).length) <= 4096) {
                append(r, 1, n++, 0);
            }
            assertThat(r.pendingBytes(0)).isZero();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong order = new AtomicLong(-1);
            long next = n;
            Thread t = new Thread(() -> {
                order.set(append(r, 1, next, 0));
                done.set(true);
            });
            t.start();
            t.join(300);
            assertThat(done.get()).as("waiting for room in its lane").isFalse();
            byte[] staging = new byte[4096];
            r.commit(r.read(null, staging, staging.length));
            t.join(5000);
            assertThat(done.get()).isTrue();
            assertThat(order.get()).isEqualTo(n);
        }
    }

    /** An order word is its order's low 32 bits; read back against any later order within 2^32, it is whole again. */
    @Property
    void anOrderWordReadsBackAsItsOrderFromAnyLaterOrderWithinTwoToThe32(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long order,
            @ForAll @LongRange(min = 1, max = (1L << 32) - 1) long ahead) {
        assertThat(RingFormat.fullOrder((int) order, order + ahead)).isEqualTo(order);
    }
}
