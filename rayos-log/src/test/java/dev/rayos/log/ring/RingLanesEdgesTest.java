package dev.rayos.log.ring;

import static dev.rayos.log.ring.LaneLines.append;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of a ring of lanes that the merge's ordinary passes do not reach: a record larger
 * than a lane's share of the pass, lanes with nothing to give, the console's reading before the
 * mount, one lane read short, and what the header says after a pass, a close and a recovery.
 */
class RingLanesEdgesTest {
    @TempDir
    Path dir;




    private static long headerLong(Path ring, int off) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(ring)).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    @Test
    void aRecordLargerThanALanesShareGoesAloneAndThePassStopsAtItsBudget() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 8192, 2, BootId.random())) {
            r.mount();
            append(r, 0, 0, 900); // about 1 KB: more than a lane's share of 1000 bytes
            for (int n = 1; n <= 5; n++) {
                append(r, n < 3 ? 0 : 1, n, 0);
            }
            byte[] staging = new byte[8192];
            List<Long> taken = new ArrayList<>();
            Ring.Pass first = r.read(null, staging, 1000);
            assertThat(numbers(staging, first.length())).as("the big record alone").containsExactly(0L);
            assertThat(first.length()).isGreaterThan(900).isLessThanOrEqualTo(1000);
            assertThat(first.endOrder()).isEqualTo(1);
            taken.addAll(numbers(staging, first.length()));
            r.commit(first);
            while (true) {
                Ring.Pass p = r.read(null, staging, 1000);
                if (p.isEmpty()) {
                    break;
                }
                assertThat(p.length()).isLessThanOrEqualTo(1000);
                taken.addAll(numbers(staging, p.length()));
                r.commit(p);
            }
            assertThat(taken).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(r.isDrained()).isTrue();
        }
    }

    @Test
    void aPassOverTwoBusyLanesOfThreeLeavesTheIdleLaneAsItWas() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 3, BootId.random())) {
            r.mount();
            int[] lanes = {2, 0, 0, 2, 0, 2};
            for (int n = 0; n < lanes.length; n++) {
                append(r, lanes[n], n, 0);
            }
            byte[] staging = new byte[4096];
            Ring.Pass p = r.read(null, staging, staging.length);
            assertThat(numbers(staging, p.length())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(p.endSeq()).containsExactly(3L, 0L, 3L);
            assertThat(p.endPos()[1]).isZero();
            assertThat(p.endOrder()).isEqualTo(6).isEqualTo(r.nextOrder());
            r.beginPass(p);
            assertThat(headerLong(r.path(), RingFormat.laneCursors(1) + RingFormat.LANE_PENDING_POS))
                    .as("no pass announced in the idle lane").isZero();
            assertThat(headerLong(r.path(), RingFormat.laneCursors(2) + RingFormat.LANE_PENDING_POS))
                    .isEqualTo(p.endPos()[2]);
            r.commit(p);
            assertThat(r.isDrained()).isTrue();
        }
    }

    @Test
    void theConsolesReadingBeforeTheMountTakesEveryLaneFromItsOwnPositions() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 2, BootId.random())) {
            for (int n = 0; n < 6; n++) {
                append(r, n % 2, n, 0);
            }
            byte[] staging = new byte[4096];
            Ring.Pass p = r.read(new long[] {0, 0}, staging, staging.length);
            assertThat(numbers(staging, p.length())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            for (int n = 6; n < 9; n++) {
                append(r, n % 2, n, 0);
            }
            Ring.Pass more = r.read(p.endPos(), staging, staging.length);
            assertThat(numbers(staging, more.length())).containsExactly(6L, 7L, 8L);
            assertThat(more.endOrder()).isEqualTo(9);
            assertThat(r.isDrained()).as("the console's reading commits nothing").isFalse();
        }
    }

    @Test
    void oneLaneReadShortEndsThePassAfterItsLastRecordNotAtTheCut() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 2, BootId.random())) {
            r.mount();
            for (int n = 0; n < 10; n++) {
                append(r, 1, n, 0);
            }
            byte[] staging = new byte[4096];
            Ring.Pass p = r.read(null, staging, 200); // room for two records of ~72 bytes
            assertThat(numbers(staging, p.length())).containsExactly(0L, 1L);
            assertThat(p.endOrder()).isEqualTo(2);
            assertThat(p.endSeq()).containsExactly(0L, 2L);
            r.commit(p);
            assertThat(headerLong(r.path(), RingFormat.laneCursors(1) + RingFormat.LANE_COMMIT_SEQ)).isEqualTo(2);
            Ring.Pass rest = r.read(null, staging, staging.length);
            assertThat(numbers(staging, rest.length())).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(rest.endOrder()).isEqualTo(10);
            assertThat(rest.endSeq()).containsExactly(0L, 10L);
        }
    }

    @Test
    void aNewPassClearsTheIntentsOfTheLast() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, 2, BootId.random())) {
            r.mount();
            append(r, 0, 0, 0);
            byte[] staging = new byte[4096];
            Ring.Pass p = r.read(null, staging, staging.length);
            r.beginPass(p);
            r.intent(3, 11, 22, 33);
            r.commit(p);
            append(r, 1, 1, 0);
            r.beginPass(r.read(null, staging, staging.length));
            int length = RingFormat.OFF_INTENTS + 3 * RingFormat.INTENT_BYTES + RingFormat.INTENT_LENGTH;
            assertThat(headerLong(r.path(), length)).isZero();
        }
    }

    @Test
    void closingDeletesADrainedRingOfLanesAndKeepsOneThatStillOwesLines() throws Exception {
        Path drained = dir.resolve("drained.ring");
        try (Ring r = Ring.create(drained, 4096, 2, BootId.random())) {
            r.mount();
            append(r, 1, 0, 0);
            r.commit(r.read(null, new byte[4096], 4096));
            assertThat(r.lanes()).isEqualTo(2);
        }
        assertThat(drained).doesNotExist();
        Path owing = dir.resolve("owing.ring");
        try (Ring r = Ring.create(owing, 4096, 2, BootId.random())) {
            r.mount();
            append(r, 0, 0, 0);
            append(r, 1, 1, 0);
            r.commit(r.read(null, new byte[4096], 100)); // lane 0's record only
            assertThat(r.isDrained()).isFalse();
        }
        assertThat(owing).exists();
        RingImage img = RingImage.read(Files.readAllBytes(owing));
        assertThat(img.pending()).singleElement().satisfies(rec -> assertThat(rec.text()).endsWith("n=1"));
    }

    @Test
    void recoveryMergesCommittedRecordsOfEveryLaneToo() throws Exception {
        Path path = dir.resolve("r.ring");
        Ring r = Ring.create(path, 4096, 2, BootId.random());
        r.mount();
        for (int n = 0; n < 3; n++) {
            append(r, 0, n, 0); // orders 0..2, committed below
        }
        r.commit(r.read(null, new byte[4096], 4096));
        int[] lanes = {1, 0, 1, 1, 0};
        for (int n = 3; n < 8; n++) {
            append(r, lanes[n - 3], n, 0);
        }
        byte[] staging = new byte[4096];
        Ring.Pass p = r.read(null, staging, 4096);
        r.commit(p);
        for (int n = 8; n < 10; n++) {
            append(r, n % 2, n, 0);
        }
        r.abandon();
        assertThatThrownBy(() -> append(r, 0, 99, 0)).isInstanceOf(IllegalStateException.class);
        RingImage img = RingImage.read(Files.readAllBytes(path));
        assertThat(img.retained().stream().map(RingImage.Record::text).map(t -> t.substring(t.indexOf("n="))))
                .containsExactly("n=0", "n=1", "n=2", "n=3", "n=4", "n=5", "n=6", "n=7");
        assertThat(img.retained().stream().map(RingImage.Record::lane)).containsExactly(0, 0, 0, 1, 0, 1, 1, 0);
        assertThat(img.retained().stream().map(RingImage.Record::order))
                .as("orders counted from the first record's").containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(img.pending().stream().map(RingImage.Record::order)).containsExactly(8L, 9L);
    }

    @Test
    void imageOrdersAreCountedFromTheFirstRecordHeldNotFromZero() throws Exception {
        Path path = dir.resolve("r.ring");
        Ring r = Ring.create(path, 4096, 2, BootId.random());
        for (int n = 0; n < 120; n++) { // unmounted: the lanes wrap and drop their oldest
            append(r, n % 2, n, 0);
        }
        r.abandon();
        RingImage img = RingImage.read(Files.readAllBytes(path));
        List<RingImage.Record> held = img.pending();
        assertThat(img.lost()).isPositive();
        assertThat(held.get(0).order()).isZero();
        String first = held.get(0).text();
        long firstN = Long.parseLong(first.substring(first.indexOf("n=") + 2));
        assertThat(firstN).as("the first held record is not the first appended").isPositive();
        for (int i = 0; i < held.size(); i++) {
            String t = held.get(i).text();
            assertThat(Long.parseLong(t.substring(t.indexOf("n=") + 2))).isEqualTo(firstN + held.get(i).order());
        }
    }

    @Test
    void aRingOfSixteenLanesIsMadeAndReadAndOneClaimingMoreThanAGibibyteIsNot() throws Exception {
        Path path = dir.resolve("r.ring");
        Ring r = Ring.create(path, 4096, 16, BootId.random());
        for (int lane = 0; lane < 16; lane++) {
            append(r, lane, lane, 0);
        }
        r.abandon();
        byte[] b = Files.readAllBytes(path);
        assertThat(RingImage.read(b).pending()).hasSize(16);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(RingFormat.OFF_CAPACITY, RingFormat.MAX_CAPACITY / 8); // fine alone, but 16 lanes of it
        assertThatThrownBy(() -> RingImage.read(b)).isInstanceOf(RingFormatException.class)
                .hasMessage("ring capacity 134217728 is not a valid size");
        h.putLong(RingFormat.OFF_CAPACITY, RingFormat.MAX_CAPACITY / 16); // exactly a gibibyte in all
        RingImage zeros = RingImage.read(b);
        assertThat(zeros.pending()).as("lane 0's area starts where it did; the others are past the file's end")
                .hasSize(1);
        assertThat(zeros.corrupt()).as("the other lanes' records, promised and not there").isEqualTo(15);
    }
}
