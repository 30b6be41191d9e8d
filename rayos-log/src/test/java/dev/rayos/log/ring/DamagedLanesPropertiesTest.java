package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Recovery over damaged images of a ring of three lanes: the lane table, the lanes' cursors and
 * their areas lie or break in every way, and reading still throws nothing but the typed error,
 * keeps each lane's records in its order and the whole in the order of the appends.
 */
class DamagedLanesPropertiesTest {
    private static Path dir;
    /** Three lanes of 4 KiB, 150 records appended over them at random (each lane wrapped), some committed. */
    private static byte[] image;

    @BeforeContainer
    static void makeImage() throws Exception {
        dir = Files.createTempDirectory("lanes-props");
        Ring ring = Ring.create(dir.resolve("r.ring"), 4096, 3, BootId.random());
        Random rnd = new Random(7);
        for (int i = 0; i < 150; i++) {
            byte[] line = ("2026-12-07T17:40:00.000000Z INFO k TICK i=" + i).getBytes(StandardCharsets.UTF_8);
            byte[] rec = new byte[RingFormat.RECORD_HEADER + line.length + 8];
            System.arraycopy(line, 0, rec, RingFormat.RECORD_HEADER, line.length);
            ring.appendFramed(rnd.nextInt(3), RingFormat.TYPE_LINE, 0, 0, rec, RingFormat.RECORD_HEADER, line.length);
        } // unmounted: each lane drops its oldest as it wraps
        ring.mount();
        byte[] staging = new byte[4096 * 3];
        ring.commit(ring.read(null, staging, 600)); // some of each lane committed
        ring.abandon();
        image = Files.readAllBytes(dir.resolve("r.ring"));
        RingImage whole = RingImage.read(image);
        assertThat(whole.retained()).isNotEmpty();
        assertThat(whole.pending()).isNotEmpty();
        assertThat(whole.lost()).isPositive();
        assertInOrder(whole);
    }

    @AfterContainer
    static void clean() throws Exception {
        Files.deleteIfExists(dir.resolve("r.ring"));
        Files.deleteIfExists(dir);
    }

    /** Records by order across lanes, each lane's by its seq; for the intact image, by i= too. */
    private static void assertInOrder(RingImage img) {
        for (List<RingImage.Record> list : List.of(img.retained(), img.pending())) {
            long lastOrder = Long.MIN_VALUE;
            Map<Integer, Long> lastSeq = new HashMap<>();
            for (RingImage.Record r : list) {
                assertThat(r.order()).isGreaterThanOrEqualTo(lastOrder);
                lastOrder = r.order();
                assertThat(r.seq()).isGreaterThan(lastSeq.getOrDefault(r.lane(), -1L));
                lastSeq.put(r.lane(), r.seq());
                assertThat(r.lane()).isBetween(0, 2);
            }
        }
    }

    @Property(tries = 400)
    void anyDamageToAThreeLaneRingNeverThrowsButTheTypedErrorAndKeepsTheOrder(@ForAll("damage") byte[] damaged) {
        RingImage img;
        try {
            img = RingImage.read(damaged);
        } catch (RingFormatException e) {
            return; // the one typed failure allowed
        }
        assertThat(img.corrupt()).isNotNegative();
        assertThat(img.lost()).isNotNegative();
        assertInOrder(img);
        img.pending().forEach(r -> assertThat(img.inPass(r)).isIn(true, false));
    }

    @Provide
    Arbitrary<byte[]> damage() {
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, image.length)
                .map(n -> Arrays.copyOf(image, n));
        // Any header word: the lanes count, the capacity, lane 0's cursors, the lane table.
        Arbitrary<byte[]> headerLies = Arbitraries.integers().between(16, 2047 + 2 * 64)
                .filter(at -> at < 512 || at >= 2048)
                .flatMap(at -> Arbitraries.longs().map(v -> {
                    byte[] b = image.clone();
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at & ~7, v);
                    return b;
                }));
        Arbitrary<byte[]> smallLies = Arbitraries.integers().between(0, 2 * 8 + 7)
                .flatMap(k -> Arbitraries.integers().between(-3, 20).map(v -> {
                    byte[] b = image.clone();
                    int at = k < 8 ? 48 + 8 * k : 2048 + 8 * (k - 8);
                    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                    bb.putLong(at, bb.getLong(at) + 8L * v);
                    return b;
                }));
        Arbitrary<byte[]> lanesWord = Arbitraries.integers().map(v -> {
            byte[] b = image.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(RingFormat.OFF_LANES, v);
            return b;
        });
        Arbitrary<byte[]> smear = DamagedRingPropertiesTest.smeared(image, 300);
        return Arbitraries.oneOf(truncated, headerLies, smallLies, lanesWord, smear);
    }
}
