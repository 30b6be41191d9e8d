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
class RemovedFilesProperties {
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
}
