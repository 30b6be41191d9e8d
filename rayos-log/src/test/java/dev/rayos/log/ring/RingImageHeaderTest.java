package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How recovery reads the header of a ring left behind: cursors it may trust (at every limit the
 * format allows), cursors that lie (then the whole data area is scanned and damage counted by
 * region), the pass in progress and its intents. Every image is written by the real {@link Ring};
 * a lie is one header field changed afterwards, as a torn or damaged header page would leave it.
 */
class RingImageHeaderTest {
    private static final long CAP = 4096;

    @TempDir
    Path dir;

    private int rings;

    private static byte[] payload(int n, int length) {
        String base = "2026-12-03T19:00:00Z INFO app R n=" + n + " ";
        return (base + "x".repeat(Math.max(0, length - base.length()))).getBytes(StandardCharsets.US_ASCII);
    }

    private static void append(Ring r, int n, int length) {
        byte[] p = payload(n, length);
        r.append(RingFormat.TYPE_LINE, 0, 0, p, 0, p.length);
    }

    private byte[] image(Ring r) throws Exception {
        r.abandon();
        return Files.readAllBytes(r.path());
    }

    private Ring ring() throws Exception {
        return Ring.create(dir.resolve((rings++) + ".ring"), CAP, BootId.random());
    }

    /**
     * 40 records of 128 bytes in a mounted ring, the first 10 committed: the data area has wrapped,
     * so tail (1024), commit pos (1280) and head (5120) are all past zero.
     */
    private byte[] wrapped() throws Exception {
        Ring r = ring();
        r.mount();
        for (int i = 0; i < 20; i++) {
            append(r, i, 104);
        }
        r.commit(10 * 128, 10);
        for (int i = 20; i < 40; i++) {
            append(r, i, 104);
        }
        byte[] b = image(r);
        assertThat(new long[] {get(b, RingFormat.OFF_TAIL), get(b, RingFormat.OFF_COMMIT_POS), get(b, RingFormat.OFF_HEAD)})
                .containsExactly(1024, 1280, 5120);
        return b;
    }

    private static long get(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    private static byte[] with(byte[] b, int off, long value) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(off, value);
        return c;
    }

    private static List<Long> seqs(List<RingImage.Record> records) {
        return records.stream().map(RingImage.Record::seq).toList();
    }

    @Test
    void aWrappedRingsHeaderIsTrustedAndSplitsKeptFromPendingAtTheCommitCursor() throws Exception {
        RingImage img = RingImage.read(wrapped());
        assertThat(img.headerTrusted()).isTrue();
        assertThat(seqs(img.retained())).containsExactly(8L, 9L);
        assertThat(seqs(img.pending())).hasSize(30).startsWith(10L).endsWith(39L);
        assertThat(img.corrupt()).isZero();
        assertThat(img.pending().get(0).text()).startsWith("2026-12-03T19:00:00Z INFO app R n=10 ");
        assertThat(img.pid()).as("the owner's pid, for the report").isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void urgencyIsReadBackFromEachRecord() throws Exception {
        Ring r = ring();
        byte[] p = payload(0, 60);
        r.append(RingFormat.TYPE_LINE, 0, RingFormat.FLAG_URGENT, p, 0, p.length);
        r.append(RingFormat.TYPE_LINE, 0, 0, p, 0, p.length);
        r.append(RingFormat.TYPE_LINE, 0, 2, p, 0, p.length); // a flag bit that is not urgency
        RingImage img = RingImage.read(image(r));
        assertThat(img.pending()).extracting(RingImage.Record::isUrgent).containsExactly(true, false, false);
        assertThat(img.pending()).extracting(RingImage.Record::flags).containsExactly(1, 0, 2);
    }

    @Test
    void aWriterKilledBetweenHeadAndNextSeqLeavesItsLastRecordRecoveredAndDamageBelowItCounted() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 10; i++) {
            append(r, i, 104);
        }
        // Killed after head covered record 9 and before next seq said 10.
        byte[] b = with(image(r), RingFormat.OFF_NEXT_SEQ, 9);
        b[RingFormat.HEADER + 3 * 128 + 40] ^= 1;
        RingImage img = RingImage.read(b);
        assertThat(img.headerTrusted()).isTrue();
        assertThat(seqs(img.pending())).containsExactly(0L, 1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(img.corrupt()).as("record 3, promised and damaged").isEqualTo(1);
        // Undamaged, nothing is counted: record 9 is recovered though next seq did not promise it.
        assertThat(RingImage.read(with(image(ring9()), RingFormat.OFF_NEXT_SEQ, 9)).corrupt()).isZero();
    }

    private Ring ring9() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 10; i++) {
            append(r, i, 104);
        }
        return r;
    }

    @Test
    void aRingFullToTheLastByteWithNothingCommittedIsTrusted() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 32; i++) {
            append(r, i, 104); // 32 x 128 = the whole data area: head - tail == capacity, tail == commit pos
        }
        RingImage img = RingImage.read(image(r));
        assertThat(img.headerTrusted()).isTrue();
        assertThat(seqs(img.pending())).hasSize(32).startsWith(0L).endsWith(31L);
        assertThat(img.corrupt()).isZero();
    }

    @Test
    void aDrainedRingIsTrustedAndHasNothingPending() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 5; i++) {
            append(r, i, 104);
        }
        r.commit(5 * 128, 5); // commit pos == head, next seq == commit seq
        RingImage img = RingImage.read(image(r));
        assertThat(img.headerTrusted()).isTrue();
        assertThat(img.pending()).isEmpty();
        assertThat(seqs(img.retained())).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(img.corrupt()).isZero();
    }

    @Test
    void asManyEmptyRecordsAsTheDataAreaCanHoldAreTrustedAsPending() throws Exception {
        Ring r = ring();
        for (int i = 0; i < CAP / RingFormat.RECORD_HEADER; i++) { // 170 records of 24 bytes
            r.append(RingFormat.TYPE_LINE, 0, 0, new byte[0], 0, 0);
        }
        RingImage img = RingImage.read(image(r));
        assertThat(img.headerTrusted()).isTrue();
        assertThat(img.pending()).hasSize(170);
        assertThat(img.corrupt()).isZero();
    }

    /** Each row changes one field of the wrapped ring's header to a value no writer leaves. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tail below zero,                       56, -8",
        "tail past the commit cursor,           56, 1288",
        "tail not 8-aligned,                    56, 1028",
        "commit cursor past head,               72, 5128",
        "commit cursor not 8-aligned,           72, 1284",
        "head more than the capacity past tail, 48, 5128",
        "head not 8-aligned,                    48, 5116",
        "commit seq below zero,                 80, -1",
        "next seq below commit seq,             64, 9",
        "more records promised than fit,        64, 181",
    })
    void aHeaderWhoseCursorsLieIsNotTrustedAndEveryIntactRecordIsStillFound(String lie, int field, long value)
            throws Exception {
        RingImage img = RingImage.read(with(wrapped(), field, value));
        assertThat(img.headerTrusted()).as(lie).isFalse();
        // The scan finds every record still in the data area (seq 8..39), none twice, in order.
        List<Long> found = seqs(img.retained());
        found = new java.util.ArrayList<>(found);
        found.addAll(seqs(img.pending()));
        assertThat(found).hasSize(32).startsWith(8L).endsWith(39L).isSorted().doesNotHaveDuplicates();
        assertThat(img.intents()).isEmpty();
        assertThat(img.pendingEndSeq()).isZero();
    }

    @Test
    void withoutTrustedCursorsDamageIsCountedOncePerDamagedStretchAndZerosAreNotDamage() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 10; i++) {
            append(r, i, 104); // 1280 bytes; the rest of the data area stays zero
        }
        byte[] b = with(image(r), RingFormat.OFF_TAIL, -8);
        b[RingFormat.HEADER + 3 * 128 + 40] ^= 1; // records 3 and 6: their CRCs fail, 16 words each
        b[RingFormat.HEADER + 6 * 128 + 40] ^= 1;
        RingImage img = RingImage.read(b);
        assertThat(img.headerTrusted()).isFalse();
        assertThat(seqs(img.pending())).containsExactly(0L, 1L, 2L, 4L, 5L, 7L, 8L, 9L);
        assertThat(img.corrupt()).isEqualTo(2);
    }

    @Test
    void withoutTrustedCursorsDamageAtTheVeryStartOfTheDataAreaIsCountedOnce() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 10; i++) {
            append(r, i, 104);
        }
        byte[] b = with(image(r), RingFormat.OFF_TAIL, -8);
        b[RingFormat.HEADER + 40] ^= 1; // record 0, at offset 0
        RingImage img = RingImage.read(b);
        assertThat(img.headerTrusted()).isFalse();
        assertThat(seqs(img.pending())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(img.corrupt()).isEqualTo(1);
    }

    @Test
    void aTrustedHeaderCountsEachPromisedRecordThatIsDamaged() throws Exception {
        Ring r = ring();
        for (int i = 0; i < 10; i++) {
            append(r, i, 104);
        }
        byte[] b = image(r);
        b[RingFormat.HEADER + 3 * 128 + 40] ^= 1;
        b[RingFormat.HEADER + 4 * 128 + 40] ^= 1;
        b[RingFormat.HEADER + 7 * 128 + 40] ^= 1;
        RingImage img = RingImage.read(b);
        assertThat(img.headerTrusted()).isTrue();
        assertThat(seqs(img.pending())).containsExactly(0L, 1L, 2L, 5L, 6L, 8L, 9L);
        assertThat(img.corrupt()).isEqualTo(3);
    }

    @Test
    void aNegativeLostCountReadsAsNoneAndAPositiveOneAsItIs() throws Exception {
        byte[] b = wrapped();
        assertThat(RingImage.read(with(b, RingFormat.OFF_LOST, -5)).lost()).isZero();
        assertThat(RingImage.read(with(b, RingFormat.OFF_LOST, 3)).lost()).isEqualTo(3);
    }

    /** The wrapped ring with a pass announced over every pending record and app's write intended. */
    private byte[] passInProgress(long intentOffset, long intentLength) throws Exception {
        Ring r = ring();
        r.mount();
        int app = r.categoryIndex("app");
        for (int i = 0; i < 20; i++) {
            append(r, i, 104);
        }
        r.commit(10 * 128, 10);
        for (int i = 20; i < 40; i++) {
            append(r, i, 104);
        }
        r.beginPass(5120, 40);
        r.intent(app, 4242, intentOffset, intentLength);
        return image(r);
    }

    @Test
    void aPassAnnouncedUpToTheHeadIsReadWithItsIntent() throws Exception {
        RingImage img = RingImage.read(passInProgress(0, 1));
        assertThat(img.pendingEndSeq()).isEqualTo(40);
        assertThat(img.intents()).containsExactly(new RingImage.Intent(1, 4242, 0, 1));
        assertThat(img.category(1)).isEqualTo("app");
        RingImage whole = RingImage.read(passInProgress(77, CAP));
        assertThat(whole.intents()).containsExactly(new RingImage.Intent(1, 4242, 77, CAP));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pending pos at the commit cursor, 96, 1280",
        "pending pos past head,            96, 5128",
        "pending seq at the commit seq,   104, 10",
        "pending seq past next seq,       104, 41",
    })
    void aPassWhoseBoundsAreOutsideThePendingRecordsIsIgnored(String lie, int field, long value) throws Exception {
        RingImage img = RingImage.read(with(passInProgress(0, 100), field, value));
        assertThat(img.headerTrusted()).isTrue();
        assertThat(img.pendingEndSeq()).as(lie).isZero();
        assertThat(img.intents()).as(lie).isEmpty();
    }

    @Test
    void bytesPastTheSixteenIntentsAreNoSeventeenth() throws Exception {
        byte[] b = passInProgress(0, 100);
        int past = RingFormat.OFF_INTENTS + RingFormat.MAX_CATEGORIES * RingFormat.INTENT_BYTES;
        b = with(with(with(b, past, 99), past + 8, 5), past + 16, 10);
        assertThat(RingImage.read(b).intents()).containsExactly(new RingImage.Intent(1, 4242, 0, 100));
    }

    @Test
    void anIntentWithAnImpossibleOffsetOrLengthIsIgnored() throws Exception {
        assertThat(RingImage.read(passInProgress(-1, 100)).intents()).isEmpty();
        assertThat(RingImage.read(passInProgress(0, CAP + 1)).intents()).isEmpty();
        assertThat(RingImage.read(passInProgress(0, -1)).intents()).isEmpty();
        // The pass itself still counts: its records may be in files already.
        assertThat(RingImage.read(passInProgress(-1, 100)).pendingEndSeq()).isEqualTo(40);
    }

    @Test
    void categoryNamesOfTheFullThirtyTwoBytesAreReadAndUnknownIndexesAreBoot() throws Exception {
        Ring r = ring();
        String longest = "c" + "a".repeat(31);
        assertThat(r.categoryIndex(longest)).isEqualTo(1);
        RingImage img = RingImage.read(image(r));
        assertThat(img.category(0)).isEqualTo("boot");
        assertThat(img.category(1)).isEqualTo(longest);
        assertThat(img.category(2)).isEqualTo("boot");
        assertThat(img.category(15)).isEqualTo("boot");
        assertThat(img.category(16)).isEqualTo("boot");
        assertThat(img.category(-1)).isEqualTo("boot");
    }
}
