package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.CategoryFile;
import dev.rayos.log.store.RingRecovery;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of the ring that the model-checked test does not walk: argument limits, the console's
 * read from an overwritten position, a stale intent, padding bytes, an interrupted producer,
 * snapshots across the wrap, and what close leaves behind.
 */
class RingEdgesTest {
    @TempDir
    Path dir;

    static byte[] line(int n, int length) {
        String base = "2026-12-03T11:00:00.000000Z INFO app TICK n=" + n + " pad=";
        return (base + "x".repeat(Math.max(1, length - base.length()))).getBytes(StandardCharsets.US_ASCII);
    }

    static long append(Ring r, byte[] b) {
        return r.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
    }

    /**
     * The log call's path frames the line as a record in its own array and copies it once; the
     * ring file must hold byte for byte what the general append writes, across the wrap, with
     * every padding length and whatever the frame's room held before.
     */
    @Test
    void aRecordFramedInTheCallersArrayIsTheSameBytesAsAPlainAppend() throws Exception {
        BootId boot = BootId.random();
        java.util.Random rnd = new java.util.Random(12);
        try (Ring plain = Ring.create(dir.resolve("plain.ring"), 8192, boot);
             Ring framed = Ring.create(dir.resolve("framed.ring"), 8192, boot)) {
            for (int n = 0; n < 300; n++) { // about eight laps of the ring
                byte[] payload = line(n, 60 + rnd.nextInt(40));
                int flags = n % 3 == 0 ? RingFormat.FLAG_URGENT : 0;
                int room = rnd.nextInt(4);
                byte[] rec = new byte[room + RingFormat.RECORD_HEADER + payload.length + 8 + rnd.nextInt(3)];
                rnd.nextBytes(rec); // stale bytes in the frame's room must not reach the ring
                System.arraycopy(payload, 0, rec, room + RingFormat.RECORD_HEADER, payload.length);
                long a = plain.append(RingFormat.TYPE_LINE, n % 4, flags, payload, 0, payload.length);
                long b = framed.appendFramed(RingFormat.TYPE_LINE, n % 4, flags, rec, room + RingFormat.RECORD_HEADER,
                        payload.length);
                assertThat(b).isEqualTo(a);
            } // (unmounted: each drops its oldest records alike as it wraps)
            assertThat(framed.lost()).isEqualTo(plain.lost()).isPositive();
            byte[] x = plain.snapshot();
            byte[] y = framed.snapshot();
            assertThat(y).isEqualTo(x);
            ByteBuffer bx = ByteBuffer.wrap(Files.readAllBytes(plain.path()));
            ByteBuffer by = ByteBuffer.wrap(Files.readAllBytes(framed.path()));
            bx.position(RingFormat.HEADER);
            by.position(RingFormat.HEADER);
            assertThat(by).as("the data areas, byte for byte").isEqualTo(bx);
        }
        byte[] tooSmall = new byte[RingFormat.RECORD_HEADER + 10];
        try (Ring r = Ring.create(dir.resolve("small.ring"), 4096, boot)) {
            assertThatThrownBy(() -> r.appendFramed(RingFormat.TYPE_LINE, 0, 0, tooSmall, RingFormat.RECORD_HEADER, 10))
                    .as("no room for the padding").isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.appendFramed(RingFormat.TYPE_LINE, 0, 0, tooSmall, 3, 8))
                    .as("no room for the header").isInstanceOf(IllegalArgumentException.class);
            byte[] exact = new byte[RingFormat.RECORD_HEADER + 16]; // 10 bytes padded to 16: the frame ends at the array's end
            assertThat(r.appendFramed(RingFormat.TYPE_LINE, 0, 0, exact, RingFormat.RECORD_HEADER, 10))
                    .as("a frame that ends exactly at its array's end is taken").isZero();
        }
    }

    @Test
    void capacitiesOutsideTheFormatAreRefusedAndItsLimitsAccepted() throws Exception {
        BootId boot = BootId.random();
        for (long bad : new long[] {4088, 4100, RingFormat.MAX_CAPACITY + 8, 0}) {
            assertThatThrownBy(() -> Ring.create(dir.resolve(bad + ".ring"), bad, boot))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(bad));
        }
        try (Ring r = Ring.create(dir.resolve("min.ring"), RingFormat.MIN_CAPACITY, boot)) {
            assertThat(r.capacity()).isEqualTo(4096);
            assertThat(Files.size(r.path())).isEqualTo(RingFormat.HEADER + 4096);
        }
    }

    @Test
    void aRecordOfTheWholeRingFitsAndOneByteMoreDoesNot() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            byte[] whole = new byte[4096 - RingFormat.RECORD_HEADER];
            assertThat(r.append(RingFormat.TYPE_LINE, 0, 0, whole, 0, whole.length)).isZero();
            byte[] over = new byte[whole.length + 1];
            assertThatThrownBy(() -> r.append(RingFormat.TYPE_LINE, 0, 0, over, 0, over.length))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        }
    }

    @Test
    void aPayloadOverTheFormatsLimitIsRefusedEvenWhereTheRingHasRoom() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4L << 20, BootId.random())) {
            byte[] max = new byte[RingFormat.MAX_PAYLOAD + 1];
            assertThat(r.append(RingFormat.TYPE_LINE, 0, 0, max, 0, RingFormat.MAX_PAYLOAD)).isZero();
            assertThatThrownBy(() -> r.append(RingFormat.TYPE_LINE, 0, 0, max, 0, max.length))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void categoryNamesUpTo32BytesAnd16EntriesAreKeptAndNoMore() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            assertThat(r.categoryIndex("boot")).isZero();
            assertThat(r.categoryIndex("a".repeat(32))).isEqualTo(1);
            assertThatThrownBy(() -> r.categoryIndex("a".repeat(33))).isInstanceOf(IllegalArgumentException.class);
            for (int i = 2; i < RingFormat.MAX_CATEGORIES; i++) {
                assertThat(r.categoryIndex("c" + i)).isEqualTo(i);
            }
            assertThat(r.category(15)).isEqualTo("c15");
            assertThat(r.category(16)).isEqualTo("boot");
            assertThat(r.category(-1)).isEqualTo("boot");
            assertThatThrownBy(() -> r.categoryIndex("one-too-many")).isInstanceOf(IllegalStateException.class);
            assertThat(r.categoryIndex("c7")).as("a known category, found again in a full table").isEqualTo(7);
            assertThat(r.categoryIndex("a".repeat(32))).isEqualTo(1);
            byte[] file = Files.readAllBytes(r.path());
            assertThat(new String(file, RingFormat.OFF_CATEGORIES + 32, 32, StandardCharsets.US_ASCII))
                    .isEqualTo("a".repeat(32));
        }
    }

    @Test
    void theConsoleReadingFromAnOverwrittenPlaceResumesAtTheOldestRecordAndCountsTheSkipped() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            for (int i = 0; i < 40; i++) {
                append(r, line(i, 200)); // 224-byte records: 18 fit, the first 22 are overwritten
            }
            assertThat(r.lost()).isEqualTo(22);
            byte[] staging = new byte[4096];
            Ring.Batch b = r.read(0, 0, staging, 4096);
            assertThat(b.skipped()).isEqualTo(22);
            assertThat(b.startSeq()).isEqualTo(22);
            assertThat(b.endSeq()).isEqualTo(40);
            assertThat(b.length()).isEqualTo(18 * 224);
            assertThat(new String(staging, RingFormat.RECORD_HEADER, 200, StandardCharsets.US_ASCII)).contains("n=22 ");
            // Reading on from where it was is not a skip.
            Ring.Batch again = r.read(b.startPos(), 22, staging, 4096);
            assertThat(again.skipped()).isZero();
        }
    }

    @Test
    void aBatchEndsAtTheLastWholeRecordWithinItsLimitAndARecordOverTheLimitComesAlone() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 8192, BootId.random())) {
            append(r, line(0, 1000)); // 1024-byte record
            for (int i = 1; i <= 5; i++) {
                append(r, line(i, 200)); // 224-byte records
            }
            byte[] staging = new byte[8192];
            Ring.Batch alone = r.read(0, 0, staging, 500);
            assertThat(alone.length()).isEqualTo(1024);
            assertThat(alone.endSeq()).isEqualTo(1);
            assertThat(new String(staging, RingFormat.RECORD_HEADER, 1000, StandardCharsets.US_ASCII)).contains("n=0 ");
            // 500 bytes hold two 224-byte records and part of a third: the batch stops before it.
            Ring.Batch two = r.read(alone.endPos(), 1, staging, 500);
            assertThat(two.length()).isEqualTo(2 * 224);
            assertThat(two.endPos()).isEqualTo(1024 + 2 * 224);
            assertThat(two.endSeq()).isEqualTo(3);
            Ring.Batch rest = r.read(two.endPos(), 3, staging, 8192);
            assertThat(rest.endSeq()).isEqualTo(6);
            assertThat(rest.length()).isEqualTo(3 * 224);
            assertThat(new String(staging, 2 * 224 + RingFormat.RECORD_HEADER, 200, StandardCharsets.US_ASCII))
                    .contains("n=5 ");
        }
    }

    @Test
    void aNewRingsTableStartsWithBootAndACommittedPassLeavesNoPassAnnounced() throws Exception {
        Path file = dir.resolve("r.ring");
        try (Ring r = Ring.create(file, 4096, BootId.random())) {
            r.mount();
            append(r, line(0, 100));
            append(r, line(1, 100));
            Ring.Batch b = r.read(r.commitPos(), r.commitSeq(), new byte[4096], 4096);
            r.beginPass(b.endPos(), b.endSeq());
            r.intent(0, 7, 0, 200);
            ByteBuffer during = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(during.getLong(RingFormat.OFF_PENDING_POS)).isEqualTo(b.endPos());
            assertThat(during.getLong(RingFormat.OFF_PENDING_SEQ)).isEqualTo(2);
            r.commit(b.endPos(), b.endSeq());
            byte[] after = Files.readAllBytes(file);
            ByteBuffer h = ByteBuffer.wrap(after).order(ByteOrder.LITTLE_ENDIAN);
            // The format's "0 when none": a reader need not compare the pass with the cursor to know.
            assertThat(h.getLong(RingFormat.OFF_PENDING_POS)).isZero();
            assertThat(h.getLong(RingFormat.OFF_PENDING_SEQ)).isZero();
            assertThat(h.getLong(RingFormat.OFF_COMMIT_POS)).isEqualTo(b.endPos());
            assertThat(new String(after, RingFormat.OFF_CATEGORIES, RingFormat.CATEGORY_NAME_BYTES,
                    StandardCharsets.US_ASCII)).isEqualTo("boot" + "\0".repeat(RingFormat.CATEGORY_NAME_BYTES - 4));
        }
    }

    @Test
    void aStagingBufferSmallerThanOneRecordIsAnErrorNotATruncatedRecord() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            append(r, line(0, 200));
            assertThatThrownBy(() -> r.read(0, 0, new byte[100], 100)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("staging buffer of 100 bytes");
        }
    }

    @Test
    void paddingIsZeroEvenWhereOlderRecordsLeftBytes() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            r.mount();
            byte[] full = new byte[4096 - RingFormat.RECORD_HEADER];
            Arrays.fill(full, (byte) 'x');
            append(r, full);
            r.commit(4096, 1);
            byte[] b = line(1, 101); // 24 + 101 = 125: three bytes of padding
            append(r, b);
            byte[] file = Files.readAllBytes(r.path());
            int at = RingFormat.HEADER + RingFormat.RECORD_HEADER + 101;
            assertThat(Arrays.copyOfRange(file, at, at + 3)).containsExactly(0, 0, 0);
            assertThat(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(RingFormat.HEADER + 20))
                    .as("the order word of the ring's second append").isEqualTo(1);
        }
    }

    @Test
    void aProducerWaitingForRoomIsWokenByTheCommitAndKeepsAnInterrupt() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            r.mount();
            for (int i = 0; i < 18; i++) {
                append(r, line(i, 200));
            }
            AtomicBoolean interruptKept = new AtomicBoolean();
            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().interrupt();
                long seq = append(r, line(18, 200));
                interruptKept.set(Thread.interrupted());
                return seq;
            });
            Thread.sleep(300);
            assertThat(waiting).isNotDone(); // mounted and full: it waits instead of overwriting
            Ring.Batch b = r.read(r.commitPos(), r.commitSeq(), new byte[4096], 4096);
            r.commit(b.endPos(), b.endSeq());
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(18);
            assertThat(interruptKept).isTrue();
            assertThat(r.lost()).isZero();
        }
    }

    @Test
    void aClosedRingRefusesAppendsAndWakesAWaitingProducer() throws Exception {
        Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random());
        r.mount();
        for (int i = 0; i < 18; i++) {
            append(r, line(i, 200));
        }
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> append(r, line(18, 200)));
        Thread.sleep(200);
        r.shutdown();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> append(r, line(19, 100))).isInstanceOf(IllegalStateException.class)
                .hasMessage("ring closed");
        r.close();
        assertThat(Files.exists(r.path())).as("a ring closed with records pending stays for recovery").isTrue();
    }

    @Test
    void aDrainedRingIsDeletedOnCloseAndAnUndrainedOneKept() throws Exception {
        Ring drained = Ring.create(dir.resolve("a.ring"), 4096, BootId.random());
        append(drained, line(0, 100));
        Ring.Batch b = drained.read(0, 0, new byte[4096], 4096);
        assertThat(drained.isDrained()).isFalse();
        drained.commit(b.endPos(), b.endSeq());
        assertThat(drained.isDrained()).isTrue();
        assertThat(drained.pendingBytes()).isZero();
        drained.close();
        assertThat(Files.exists(dir.resolve("a.ring"))).isFalse();
        assertThatThrownBy(() -> append(drained, line(1, 100))).as("a closed ring takes no more records")
                .isInstanceOf(IllegalStateException.class).hasMessage("ring closed");
    }

    @Test
    void aSnapshotHoldsTheLastRecordsOldestFirstAcrossTheWrap() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            for (int i = 0; i < 25; i++) {
                append(r, line(i, 200));
            }
            byte[] snap = r.snapshot();
            assertThat(snap).hasSize(18 * 224);
            ByteBuffer v = ByteBuffer.wrap(snap).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 18; k++) {
                assertThat(v.getLong(k * 224 + 8)).isEqualTo(7 + k);
                assertThat(new String(snap, k * 224 + RingFormat.RECORD_HEADER, 200, StandardCharsets.US_ASCII))
                        .contains("n=" + (7 + k) + " ");
            }
        }
    }

    /**
     * An intent left by an earlier, committed pass must not be read as this pass's: a line of this
     * pass equal to the one the old intent points at would be taken as written and lost.
     */
    @Test
    void aStaleIntentOfAnEarlierPassNeverHidesALineOfThisOne() throws Exception {
        RootLayout layout = new RootLayout(dir);
        BootId boot = BootId.random();
        Ring ring = Ring.create(layout.ringDir().resolve("1.ring"), 4096, boot);
        ring.mount();
        int app = ring.categoryIndex("app");
        byte[] same = "2026-12-03T11:00:00Z INFO app SAME".getBytes(StandardCharsets.US_ASCII);
        byte[] other = "2026-12-03T11:00:01Z INFO kernel OTHER".getBytes(StandardCharsets.US_ASCII);
        try (CategoryFile appFile = new CategoryFile(layout, "app", boot, Policy.DEFAULTS.retention("app"));
             CategoryFile bootFile = new CategoryFile(layout, "boot", boot, Policy.DEFAULTS.retention("boot"))) {
            // Pass 1: the app line, written and committed.
            ring.append(RingFormat.TYPE_LINE, app, 0, same, 0, same.length);
            Ring.Batch p1 = ring.read(0, 0, new byte[4096], 4096);
            ring.beginPass(p1.endPos(), p1.endSeq());
            appFile.lock();
            long at = appFile.prepare(same.length + 1);
            ring.intent(app, appFile.inode(), at, same.length + 1);
            appFile.write(ByteBuffer.wrap((new String(same, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII)));
            appFile.unlock();
            ring.commit(p1.endPos(), p1.endSeq());
            // Pass 2: a boot line, then the same app line again; killed after the boot line.
            ring.append(RingFormat.TYPE_LINE, 0, 0, other, 0, other.length);
            ring.append(RingFormat.TYPE_LINE, app, 0, same, 0, same.length);
            Ring.Batch p2 = ring.read(ring.commitPos(), ring.commitSeq(), new byte[4096], 4096);
            ring.beginPass(p2.endPos(), p2.endSeq());
            bootFile.lock();
            long bat = bootFile.prepare(other.length + 1);
            ring.intent(0, bootFile.inode(), bat, other.length + 1);
            bootFile.write(ByteBuffer.wrap((new String(other, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII)));
            bootFile.unlock();
        }
        ring.abandon();
        RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir());
        assertThat(Files.readAllLines(layout.logFile("app", boot))).hasSize(2);
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).hasSize(1);
    }

    @Test
    void aNewRingsFileHasEveryBlockOnDiskBeforeItIsMapped() throws Exception {
        // A sparse ring would get its blocks at its first writes through the mapping, where a full
        // disk is a SIGBUS (docs/ring-format.md). stat(1) says how many blocks the file has.
        long capacity = 1024 * 1024 + 4096; // more than one 256 KiB chunk of zeros, and not a multiple of it
        try (Ring r = Ring.create(dir.resolve("big.ring"), capacity, BootId.random())) {
            Process p = new ProcessBuilder("stat", "-c", "%b %B", r.path().toString()).redirectErrorStream(true).start();
            String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            assertThat(p.waitFor()).isZero();
            long allocated = Long.parseLong(out[0]) * Long.parseLong(out[1]);
            assertThat(allocated).isGreaterThanOrEqualTo(RingFormat.HEADER + capacity);
            assertThat(Files.size(r.path())).isEqualTo(RingFormat.HEADER + capacity);
        }
    }
}
