package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits of a record on both sides of the file: what the framed append (the log call's path)
 * takes at the format's edges, and what recovery takes from an image at the same edges — an empty
 * payload, the largest payload, a record of the whole ring, a category outside the table, a
 * reserved word that is not zero, a repeated sequence number, a record that runs past head.
 * Every image is written by the real {@link Ring}; a damage is a few bytes changed afterwards,
 * with the record's CRC made right again where the test is about something else than the CRC.
 */
class RingLimitsTest {
    @TempDir
    Path dir;

    private int rings;

    private Ring ring(long capacity) throws Exception {
        return Ring.create(dir.resolve((rings++) + ".ring"), capacity, BootId.random());
    }

    private static byte[] payload(int n, int length) {
        String base = "2026-12-06T23:40:00Z INFO app L n=" + n + " ";
        return (base + "y".repeat(Math.max(0, length - base.length()))).getBytes(StandardCharsets.US_ASCII);
    }

    /** The payload at {@code RECORD_HEADER} of an array with room for the padding after it. */
    private static byte[] framed(byte[] payload) {
        byte[] rec = new byte[RingFormat.recordSize(payload.length)];
        System.arraycopy(payload, 0, rec, RingFormat.RECORD_HEADER, payload.length);
        return rec;
    }

    /** A 4 KiB ring holding {@code n} 128-byte line records (at 0, 128, 256, ...), seq 0 to n - 1. */
    private Ring filled(int n) throws Exception {
        Ring r = ring(4096);
        for (int i = 0; i < n; i++) {
            byte[] p = payload(i, 104);
            r.append(RingFormat.TYPE_LINE, 0, 0, p, 0, p.length);
        }
        return r;
    }

    private static byte[] image(Ring r) throws Exception {
        r.abandon();
        return Files.readAllBytes(r.path());
    }

    private static List<Long> seqs(List<RingImage.Record> records) {
        return records.stream().map(RingImage.Record::seq).toList();
    }

    /** Recomputes the CRC of the record at {@code at} of the data area after a test changed it. */
    private static void recrc(byte[] img, int at) {
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int rec = RingFormat.HEADER + at;
        int len = b.getInt(rec + RingFormat.REC_LENGTH);
        CRC32C crc = new CRC32C();
        crc.update(img, rec + RingFormat.REC_CRC_FROM, RingFormat.RECORD_HEADER - RingFormat.REC_CRC_FROM + len);
        b.putInt(rec + RingFormat.REC_CRC, (int) crc.getValue());
    }

    private static void putLong(byte[] img, int off, long v) {
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putLong(off, v);
    }

    private static void putInt(byte[] img, int off, int v) {
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(off, v);
    }

    private static int getInt(byte[] img, int off) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getInt(off);
    }

    @Test
    void aFramedRecordOfTheLargestPayloadAndOneOfTheWholeRingAreTakenAndOneByteMoreIsNot() throws Exception {
        try (Ring big = ring(4L << 20)) {
            byte[] max = framed(new byte[RingFormat.MAX_PAYLOAD]);
            assertThat(big.appendFramed(RingFormat.TYPE_LINE, 0, 0, max, RingFormat.RECORD_HEADER, RingFormat.MAX_PAYLOAD))
                    .isZero();
            byte[] over = framed(new byte[RingFormat.MAX_PAYLOAD + 1]);
            assertThatThrownBy(() -> big.appendFramed(RingFormat.TYPE_LINE, 0, 0, over, RingFormat.RECORD_HEADER,
                    RingFormat.MAX_PAYLOAD + 1)).isInstanceOf(IllegalArgumentException.class);
        }
        try (Ring small = ring(4096)) {
            byte[] whole = framed(new byte[4096 - RingFormat.RECORD_HEADER]);
            assertThat(small.appendFramed(RingFormat.TYPE_LINE, 0, 0, whole, RingFormat.RECORD_HEADER,
                    4096 - RingFormat.RECORD_HEADER)).isZero();
            byte[] over = framed(new byte[4096 - RingFormat.RECORD_HEADER + 1]);
            assertThatThrownBy(() -> small.appendFramed(RingFormat.TYPE_LINE, 0, 0, over, RingFormat.RECORD_HEADER,
                    4096 - RingFormat.RECORD_HEADER + 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit");
        }
    }

    @Test
    void aFramedAppendWaitingForRoomKeepsAnInterruptForItsCaller() throws Exception {
        try (Ring r = ring(4096)) {
            r.mount();
            for (int i = 0; i < 18; i++) {
                byte[] p = payload(i, 200);
                r.appendFramed(RingFormat.TYPE_LINE, 0, 0, framed(p), RingFormat.RECORD_HEADER, p.length);
            }
            AtomicBoolean interruptKept = new AtomicBoolean();
            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().interrupt();
                byte[] p = payload(18, 200);
                long seq = r.appendFramed(RingFormat.TYPE_LINE, 0, 0, framed(p), RingFormat.RECORD_HEADER, p.length);
                interruptKept.set(Thread.interrupted());
                return seq;
            });
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            Ring.Batch b = r.read(r.commitPos(), r.commitSeq(), new byte[4096], 4096);
            r.commit(b.endPos(), b.endSeq());
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(18);
            assertThat(interruptKept).as("the interrupt that came while it waited").isTrue();
        }
    }

    @Test
    void recoveryTakesAnEmptyPayloadTheLargestPayloadAndARecordOfTheWholeRing() throws Exception {
        Ring r = ring(4L << 20);
        r.append(RingFormat.TYPE_LINE, 0, 0, new byte[0], 0, 0);
        byte[] max = new byte[RingFormat.MAX_PAYLOAD];
        Arrays.fill(max, (byte) 'm');
        r.append(RingFormat.TYPE_LINE, 0, 0, max, 0, max.length);
        RingImage img = RingImage.read(image(r));
        assertThat(seqs(img.pending())).containsExactly(0L, 1L);
        assertThat(img.pending().get(0).payload()).isEmpty();
        assertThat(img.pending().get(1).payload()).hasSize(RingFormat.MAX_PAYLOAD);
        assertThat(img.corrupt()).isZero();

        Ring small = ring(4096);
        byte[] whole = payload(0, 4096 - RingFormat.RECORD_HEADER);
        small.append(RingFormat.TYPE_LINE, 0, 0, whole, 0, whole.length);
        RingImage one = RingImage.read(image(small));
        assertThat(one.pending()).singleElement().extracting(RingImage.Record::text).isEqualTo(new String(whole,
                StandardCharsets.US_ASCII));
    }

    @Test
    void aRecordNamingACategoryOutsideTheTableOrAVersionOneRecordWithAnOrderIsNotRecoveredButCounted()
            throws Exception {
        Ring r = ring(4096);
        for (int i = 0; i < 3; i++) {
            byte[] p = payload(i, 104);
            r.append(RingFormat.TYPE_LINE, i == 1 ? RingFormat.MAX_CATEGORIES : 0, 0, p, 0, p.length);
        }
        RingImage img = RingImage.read(image(r));
        assertThat(seqs(img.pending())).as("category 16 is past the table's 16 entries").containsExactly(0L, 2L);
        assertThat(img.corrupt()).isEqualTo(1);

        Ring s = filled(3);
        byte[] b = image(s);
        // A version-1 ring (one lane, no order): its word 20 was reserved, zero in every valid record.
        putInt(b, RingFormat.OFF_VERSION, RingFormat.VERSION_ONE_LANE);
        putInt(b, RingFormat.HEADER + 256 + RingFormat.REC_ORDER, 0); // record 2, CRC made right again
        recrc(b, 256);
        assertThat(getInt(b, RingFormat.HEADER + 128 + RingFormat.REC_ORDER)).as("record 1's order").isEqualTo(1);
        RingImage bad = RingImage.read(b);
        assertThat(seqs(bad.pending())).containsExactly(0L, 2L);
        assertThat(bad.corrupt()).isEqualTo(1);
    }

    @Test
    void aRecordRepeatingTheSequenceNumberBeforeItIsTakenOnce() throws Exception {
        Ring r = filled(3);
        byte[] b = image(r);
        putLong(b, RingFormat.HEADER + 256 + RingFormat.REC_SEQ, 1); // record 2 now says it is 1 again
        recrc(b, 256);
        RingImage img = RingImage.read(b);
        assertThat(seqs(img.pending())).containsExactly(0L, 1L);
        assertThat(img.pending().get(1).text()).contains("n=1 ");
        assertThat(img.corrupt()).as("record 2, promised and not found").isEqualTo(1);
    }

    @Test
    void aRecordThatRunsPastHeadIsNotRecovered() throws Exception {
        Ring r = filled(4); // 128-byte records at 0, 128, 256, 384
        byte[] b = image(r);
        putLong(b, RingFormat.OFF_HEAD, 448); // head in the middle of record 3
        RingImage img = RingImage.read(b);
        assertThat(img.headerTrusted()).isTrue();
        assertThat(seqs(img.pending())).containsExactly(0L, 1L, 2L);
        assertThat(img.corrupt()).isEqualTo(1);
    }

    @Test
    void aFileCutRightAfterItsHeaderIsStillARingWhoseRecordsAreCountedLost() throws Exception {
        Ring r = filled(5);
        byte[] cut = Arrays.copyOf(image(r), RingFormat.HEADER);
        RingImage img = RingImage.read(cut);
        assertThat(img.pending()).isEmpty();
        assertThat(img.corrupt()).isEqualTo(5);
        assertThatThrownBy(() -> RingImage.read(Arrays.copyOf(cut, RingFormat.HEADER - 1)))
                .isInstanceOf(RingFormatException.class).hasMessageContaining("shorter than the ring header");
    }

    @Test
    void theImageKeepsA32ByteCategoryNameBesideItsNeighbourAndNamesUnknownIndexesBoot() throws Exception {
        Ring r = ring(4096);
        r.categoryIndex("a".repeat(32));
        r.categoryIndex("next");
        for (int i = 3; i < RingFormat.MAX_CATEGORIES; i++) {
            r.categoryIndex("c" + i);
        }
        RingImage img = RingImage.read(image(r));
        assertThat(img.category(1)).isEqualTo("a".repeat(32));
        assertThat(img.category(2)).isEqualTo("next");
        assertThat(img.category(15)).isEqualTo("c15");
        assertThat(img.category(16)).isEqualTo("boot");
        assertThat(img.category(-1)).isEqualTo("boot");
    }

    @Test
    void anIntentOfACategoryPastTheFirstIsReadBackWhereTheFormatPutsItAndNamesStayIntact() throws Exception {
        Ring r = ring(4096);
        for (int i = 1; i < RingFormat.MAX_CATEGORIES; i++) {
            r.categoryIndex("c" + i);
        }
        for (int i = 0; i < 2; i++) {
            byte[] p = payload(i, 104);
            r.append(RingFormat.TYPE_LINE, 3, 0, p, 0, p.length);
        }
        r.beginPass(256, 2);
        r.intent(3, 77, 1000, 256);
        r.intent(15, 78, 0, 128);
        RingImage img = RingImage.read(image(r));
        assertThat(img.intents()).containsExactly(new RingImage.Intent(3, 77, 1000, 256),
                new RingImage.Intent(15, 78, 0, 128));
        assertThat(img.category(13)).isEqualTo("c13");
        assertThat(img.category(14)).isEqualTo("c14");
    }

    @Test
    void aSnapshotsPayloadsStartWherePayloadAtSaysAndRunForTheirRecordsLength() throws Exception {
        try (Ring r = ring(4096)) {
            byte[] a = payload(0, 61);
            byte[] b = payload(1, 70);
            r.append(RingFormat.TYPE_LINE, 0, 0, a, 0, a.length);
            r.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
            byte[] snap = r.snapshot();
            ByteBuffer le = ByteBuffer.wrap(snap).order(ByteOrder.LITTLE_ENDIAN);
            int second = RingFormat.recordSize(RingFormat.recordLength(le, 0));
            assertThat(second).isEqualTo(88);
            assertThat(new String(snap, RingFormat.payloadAt(0), RingFormat.recordLength(le, 0), StandardCharsets.US_ASCII))
                    .isEqualTo(new String(a, StandardCharsets.US_ASCII));
            assertThat(new String(snap, RingFormat.payloadAt(second), RingFormat.recordLength(le, second),
                    StandardCharsets.US_ASCII)).isEqualTo(new String(b, StandardCharsets.US_ASCII));
        }
    }
}
