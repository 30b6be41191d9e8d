package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Recovery over damaged ring images: it never throws, keeps every intact record, counts the rest. */
class DamagedRingPropertiesTest {
    private static Path dir;
    /** A ring of 64 KiB with 300 records (wrapped once), the first 100 committed. */
    private static byte[] image;
    private static List<long[]> recordSpans; // {seq, absolute start, size}
    private static long capacity;

    @BeforeContainer
    static void makeImage() throws Exception {
        dir = Files.createTempDirectory("ring-props");
        capacity = 8 * 1024;
        Ring ring = Ring.create(dir.resolve("r.ring"), capacity, BootId.random());
        ring.mount();
        recordSpans = new ArrayList<>();
        long pos = 0;
        long commitPos = 0;
        for (int i = 0; i < 300; i++) {
            byte[] line = ("2026-11-27T10:00:00.000000Z INFO k TICK i=" + i).getBytes(StandardCharsets.UTF_8);
            if (pos + RingFormat.recordSize(line.length) - ring.commitPos() > capacity) {
                // Keep it filling: commit what is older than the last 100 records.
                long c = recordSpans.get(recordSpans.size() - 100)[1];
                ring.commit(c, recordSpans.get(recordSpans.size() - 100)[0]);
                commitPos = c;
            }
            ring.append(RingFormat.TYPE_LINE, 0, 0, line, 0, line.length);
            recordSpans.add(new long[] {i, pos, RingFormat.recordSize(line.length)});
            pos += RingFormat.recordSize(line.length);
        }
        ring.abandon();
        image = Files.readAllBytes(dir.resolve("r.ring"));
        assertThat(commitPos).isPositive();
    }

    @AfterContainer
    static void clean() throws Exception {
        Files.deleteIfExists(dir.resolve("r.ring"));
        Files.deleteIfExists(dir);
    }

    private static RingImage readQuietly(byte[] b) {
        try {
            return RingImage.read(b);
        } catch (RingFormatException e) {
            return null; // the one typed failure allowed
        }
    }

    @Property(tries = 300)
    void bitFlipsInTheDataAreaLoseOnlyTheRecordsTheyHit(@ForAll("flips") List<Integer> offsets) {
        byte[] b = image.clone();
        Set<Long> hit = new HashSet<>();
        long head = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(48);
        for (int off : offsets) {
            long phys = off % capacity;
            b[(int) (RingFormat.HEADER + phys)] ^= (byte) (1 << (off % 8));
            for (long[] r : recordSpans) {
                for (long k = 0; k < r[2]; k++) {
                    if ((r[1] + k) % capacity == phys && r[1] >= head - capacity) {
                        hit.add(r[0]);
                    }
                }
            }
        }
        RingImage img = readQuietly(b);
        assertThat(img).isNotNull();
        Set<Long> found = new HashSet<>();
        img.pending().forEach(r -> found.add(r.seq()));
        img.retained().forEach(r -> found.add(r.seq()));
        for (long[] r : recordSpans) {
            boolean held = r[1] >= head - capacity && r[1] >= tail(image);
            if (held && !hit.contains(r[0])) {
                assertThat(found).as("intact record %d", r[0]).contains(r[0]);
            }
        }
        long due = nextSeq(image) - commitSeq(image);
        assertThat(img.pending().size() + img.corrupt()).isEqualTo(due);
    }

    @Provide
    Arbitrary<List<Integer>> flips() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 300)
    void anyDamageAnywhereNeverThrowsButTheTypedError(@ForAll("damage") byte[] damaged) {
        RingImage img = readQuietly(damaged);
        if (img != null) {
            assertThat(img.corrupt()).isNotNegative();
            assertThat(img.lost()).isNotNegative();
            long last = -1;
            for (RingImage.Record r : img.pending()) {
                assertThat(r.seq()).isGreaterThan(last);
                last = r.seq();
            }
        }
    }

    @Provide
    Arbitrary<byte[]> damage() {
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, image.length)
                .map(n -> Arrays.copyOf(image, n));
        Arbitrary<byte[]> garbage = Arbitraries.bytes().array(byte[].class).ofMaxSize(9000);
        Arbitrary<byte[]> headerLies = Arbitraries.integers().between(16, 111)
                .flatMap(at -> Arbitraries.longs().map(v -> {
                    byte[] b = image.clone();
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at & ~7, v);
                    return b;
                }));
        Arbitrary<byte[]> smear = smeared(image, 200);
        Arbitrary<byte[]> grown = Arbitraries.integers().between(1, 10_000)
                .map(n -> Arrays.copyOf(image, image.length + n));
        return Arbitraries.oneOf(truncated, garbage, headerLies, smear, grown);
    }

    @Property(tries = 100)
    void lyingCursorsStillFindEveryIntactRecordByScanning(@ForAll @IntRange(min = 0, max = 5) int which) {
        byte[] b = image.clone();
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        // Cursors that cannot be true: tail after head, or more held than the ring can hold.
        long[][] lies = {{56, h.getLong(48) + 8}, {48, -8}, {72, h.getLong(48) + 64}, {56, 3}, {48, Long.MAX_VALUE},
            {80, -1}};
        h.putLong((int) lies[which][0], lies[which][1]);
        RingImage img = readQuietly(b);
        assertThat(img).isNotNull();
        assertThat(img.headerTrusted()).isFalse();
        Set<Long> found = new HashSet<>();
        img.pending().forEach(r -> found.add(r.seq()));
        img.retained().forEach(r -> found.add(r.seq()));
        long head = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(48);
        for (long[] r : recordSpans) {
            if (r[1] >= head - capacity + RingFormat.RECORD_HEADER * 4) {
                assertThat(found).as("record %d", r[0]).contains(r[0]);
            }
        }
    }

    private static long tail(byte[] img) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getLong(56);
    }

    private static long nextSeq(byte[] img) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getLong(64);
    }

    private static long commitSeq(byte[] img) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getLong(80);
    }

    /** {@code image} with up to {@code maxBytes} random bytes written over it anywhere (cut at its end). */
    static Arbitrary<byte[]> smeared(byte[] image, int maxBytes) {
        return Arbitraries.integers().between(0, image.length - 1)
                .flatMap(at -> Arbitraries.bytes().array(byte[].class).ofMaxSize(maxBytes).map(g -> {
                    byte[] b = image.clone();
                    System.arraycopy(g, 0, b, at, Math.min(g.length, b.length - at));
                    return b;
                }));
    }
}
