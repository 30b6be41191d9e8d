package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.RootLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** The removal record read back: any bytes give removals that were written whole, or are skipped and counted. */
class RemovedFilesPropertiesTest {
    private static final String BOOT = "0123456789abcdef0123456789abcdef";

    @Provide
    Arbitrary<byte[]> records() {
        Arbitrary<String> good = Arbitraries.longs().between(0, 1L << 40).map(n -> RemovedFiles.encode(
                new RemovedFiles.Entry(BOOT, (int) (n % 1000), n, n, n / 3)));
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(60);
        return Arbitraries.oneOf(good, good, noise).list().ofMaxSize(12)
                .map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 300)
    void anyRecordReadsAsWholeRemovalsAndCountedDamage(@ForAll("records") byte[] data, @ForAll @Size(max = 40) byte[] tail)
            throws Exception {
        Path root = Files.createTempDirectory("removed");
        try {
            RootLayout layout = new RootLayout(root);
            Files.createDirectories(layout.forwardDir());
            Files.write(layout.removedRecords("boot")[0], data);
            Files.write(layout.removedRecords("boot")[1], tail);
            RemovedFiles.Read r = RemovedFiles.read(layout, "boot");
            String all = new String(data, StandardCharsets.ISO_8859_1) + "\n" + new String(tail, StandardCharsets.ISO_8859_1);
            for (RemovedFiles.Entry e : r.entries()) {
                assertThat(all).contains(RemovedFiles.encode(e).strip());
            }
            assertThat(r.damaged()).isGreaterThanOrEqualTo(0);
        } finally {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 400)
    void linesAreCountedEightBytesAtATimeAsOneByOne(@ForAll("text") byte[] data) throws Exception {
        long naive = 0;
        boolean inLine = false;
        for (byte x : data) {
            if (x == '\n') {
                naive += inLine ? 1 : 0;
                inLine = false;
            } else {
                inLine = true;
            }
        }
        naive += inLine ? 1 : 0;
        Path f = Files.createTempFile("count", ".log");
        try {
            Files.write(f, data);
            assertThat(RemovedFiles.count(f)).containsExactly(data.length, naive);
        } finally {
            Files.delete(f);
        }
    }

    @Provide
    Arbitrary<byte[]> text() {
        // line feeds dense and sparse, runs of them across word and read-buffer (256 KiB) boundaries
        Arbitrary<Byte> b = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just((byte) '\n')),
                net.jqwik.api.Tuple.of(5, Arbitraries.bytes()));
        Arbitrary<byte[]> large = Arbitraries.longs().map(seed -> {
            java.util.Random r = new java.util.Random(seed);
            byte[] d = new byte[262_100 + r.nextInt(100)];
            int density = 1 + r.nextInt(8);
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextInt(8) < density ? (byte) '\n' : (byte) r.nextInt(256);
            }
            return d;
        });
        return Arbitraries.oneOf(b.array(byte[].class).ofMaxSize(100), large);
    }
}
