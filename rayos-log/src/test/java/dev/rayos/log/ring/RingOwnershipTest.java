package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.root.BootId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a ring's owner holds and lets go of: the file's lock and descriptor (a ring closed or
 * refused leaves neither behind, so the next writer in the same process can take the file), and
 * the ring's own lock (a reader or a snapshot on one thread never holds up a producer on another).
 */
class RingOwnershipTest {
    @TempDir
    Path dir;

    private static byte[] line(int n) {
        return (String.format("2026-12-03T19:00:00Z INFO app OWN n=%02d ", n) + "x".repeat(129)).getBytes(StandardCharsets.US_ASCII);
    }

    /** A record of 192 bytes (payload 168). */
    private static long append(Ring r, int n) {
        byte[] b = line(n);
        return r.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
    }

    /** Descriptors of this process open on {@code file} (Linux: /proc/self/fd). */
    private static long openDescriptorsOn(Path file) throws IOException {
        Path real = file.toAbsolutePath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // the descriptor of the listing itself, gone meanwhile
                }
            }).count();
        }
    }

    @Test
    void aRingClosedWithRecordsPendingLetsGoOfTheFileForTheNextWriterOfThisProcess() throws Exception {
        Path p = dir.resolve("r.ring");
        Ring first = Ring.create(p, 4096, BootId.random());
        append(first, 0);
        first.close();
        assertThat(Files.exists(p)).isTrue();
        assertThat(openDescriptorsOn(p)).isZero();
        byte[] left = Files.readAllBytes(p);
        assertThat(RingImage.read(left).pending()).hasSize(1);
        try (Ring second = Ring.create(p, 4096, BootId.random())) {
            assertThat(second.nextSeq()).isZero();
        }
    }

    @Test
    void aSecondOwnerIsRefusedAndTheRefusalLeavesNoDescriptorOpen() throws Exception {
        Path p = dir.resolve("r.ring");
        try (Ring owner = Ring.create(p, 4096, BootId.random())) {
            assertThat(openDescriptorsOn(p)).isEqualTo(1);
            // In the same JVM the lock shows as an overlapping lock; in another, tryLock gives null.
            assertThatThrownBy(() -> Ring.create(p, 4096, BootId.random())).isInstanceOfAny(IOException.class,
                    java.nio.channels.OverlappingFileLockException.class);
            assertThat(openDescriptorsOn(p)).isEqualTo(1);
            assertThat(owner.isMounted()).isFalse();
            owner.mount();
            assertThat(owner.isMounted()).isTrue();
        }
        assertThat(openDescriptorsOn(p)).isZero();
    }

    @Test
    void aConsoleReadOnOneThreadNeverHoldsUpAProducerOnAnother() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            for (int i = 0; i < 30; i++) {
                append(r, i); // not mounted: overwrites, so the read below takes the locked path
            }
            Ring.Batch b = r.read(0, 0, new byte[4096], 4096);
            assertThat(b.isEmpty()).isFalse();
            byte[] snap = r.snapshot();
            assertThat(snap).isNotEmpty();
            long seq = CompletableFuture.supplyAsync(() -> append(r, 30)).get(30, TimeUnit.SECONDS);
            assertThat(seq).isEqualTo(30);
        }
    }

    @Test
    void aReaderResumingPastAnOverwrittenPlaceCountsOnlyTheRecordsItMissed() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            for (int i = 0; i < 40; i++) {
                append(r, i); // 192-byte records: 21 fit, the oldest 19 are overwritten
            }
            assertThat(r.lost()).isEqualTo(19);
            // The reader had read records 0..4 and goes on from record 5's place: 14 missed.
            Ring.Batch b = r.read(5 * 192, 5, new byte[4096], 4096);
            assertThat(b.skipped()).isEqualTo(14);
            assertThat(b.startSeq()).isEqualTo(19);
            // A reader that claims to be ahead of the oldest record missed none.
            assertThat(r.read(5 * 192, 30, new byte[4096], 4096).skipped()).isZero();
        }
    }

    @Test
    void aBatchOfNoRecordsIsEmpty() throws Exception {
        try (Ring r = Ring.create(dir.resolve("r.ring"), 4096, BootId.random())) {
            r.mount();
            Ring.Batch none = r.read(0, 0, new byte[4096], 4096);
            assertThat(none.isEmpty()).isTrue();
            assertThat(none.length()).isZero();
            append(r, 0);
            assertThat(r.read(0, 0, new byte[4096], 4096).isEmpty()).isFalse();
        }
    }
}
