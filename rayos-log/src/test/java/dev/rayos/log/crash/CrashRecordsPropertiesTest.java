package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.ring.Ring;
import dev.rayos.log.ring.RingFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The reader of a ring snapshot's last lines: what it keeps, and that no bytes make it throw. */
class CrashRecordsPropertiesTest {
    @Property(tries = 200)
    void lastLinesAreTheNewestLinesOfTheRingOldestFirstAndCrashRecordsAreSkipped(
            @ForAll @Size(max = 300) List<@StringLength(min = 1, max = 300) String> lines,
            @ForAll @IntRange(min = 0, max = 250) int n) throws Exception {
        Path dir = Files.createTempDirectory("ring");
        try (Ring ring = Ring.create(dir.resolve("t.ring"), 1 << 20, BootId.random())) {
            for (String l : lines) {
                byte[] b = l.getBytes(StandardCharsets.UTF_8);
                ring.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
                ring.append(RingFormat.TYPE_CRASH, 0, 0, new byte[] {'x'}, 0, 1);
            }
            List<String> got = CrashRecords.lastLines(ring.snapshot(), n);
            List<String> want = lines.subList(Math.max(0, lines.size() - n), lines.size()).stream()
                    .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).toList();
            assertThat(got).isEqualTo(want);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Property
    void anyBytesGiveAtMostNLinesAndNeverThrow(@ForAll @Size(max = 2000) byte[] bytes,
                                              @ForAll @IntRange(min = 0, max = 50) int n) {
        assertThat(CrashRecords.lastLines(bytes, n)).hasSizeLessThanOrEqualTo(n);
    }
}
