package dev.rayos.machine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pstore's dmesg records are outside input: whatever a record holds, reading it never throws. */
class PstoreTextTest {
    @TempDir
    Path tmp;

    @Test
    void partsAreJoinedOldestFirstWithoutTheirHeaderAndPrintkLevels() throws Exception {
        Path p1 = Files.writeString(tmp.resolve("dmesg-efi-1"), "Panic#1 Part1\n<0>[ 2.39] Kernel panic - not syncing: x\n");
        Path p2 = Files.writeString(tmp.resolve("dmesg-efi-2"), "Panic#1 Part2\n<6>[ 2.30] sysrq: Trigger a crash\n");
        assertThat(PreviousBoot.pstoreText(List.of(p1, p2))).isEqualTo("[ 2.30] sysrq: Trigger a crash\n\n[ 2.39] Kernel panic - not syncing: x\n\n");
    }

    @Test
    void aPartNumberTooLargeForAnIntIsReadAsTextNotAnError() throws Exception {
        Path p = Files.writeString(tmp.resolve("dmesg-efi-1"), "Panic#1 Part99999999999\n<0>Kernel panic - not syncing: x\n");
        assertThat(PreviousBoot.pstoreText(List.of(p))).contains("Kernel panic - not syncing: x");
    }

    @Property(tries = 1500)
    void hostileRecordsNeverThrow(@ForAll("records") List<String> records) throws Exception {
        Path d = Files.createTempDirectory("pstore");
        try {
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                files.add(Files.write(d.resolve("dmesg-efi-" + i), records.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            assertThat(PreviousBoot.pstoreText(files)).isNotNull();
        } finally {
            try (var s = Files.list(d)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(d);
        }
    }

    @Provide
    Arbitrary<List<String>> records() {
        Arbitrary<String> header = Arbitraries.oneOf(Arbitraries.of("Panic#1 Part1", "Oops#2 Part3", "Unknown#0 Part0", ""),
                Arbitraries.longs().map(n -> "Panic#1 Part" + n), Arbitraries.strings().numeric().ofMaxLength(30).map(n -> "Panic#" + n + " Part" + n));
        Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("<>0123456789[] \n").ofMaxLength(60));
        return net.jqwik.api.Combinators.combine(header, body).as((h, b) -> h + "\n" + b).list().ofMaxSize(4);
    }
}
