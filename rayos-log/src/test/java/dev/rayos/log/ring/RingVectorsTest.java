package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.rayos.log.Vectors;
import dev.rayos.log.root.BootId;
import dev.rayos.log.policy.Policy;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RingRecovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ring images in docs/ring-vectors were written by an independent writer from the format document alone. */
class RingVectorsTest {
    @TempDir
    Path root;

    static Stream<String> names() throws Exception {
        try (Stream<Path> s = Files.list(Vectors.docs("ring-vectors"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ring"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().collect(Collectors.toList());
            assertThat(names).hasSizeGreaterThanOrEqualTo(6);
            return names.stream();
        }
    }

    private static Map<String, Object> expect(String name) throws Exception {
        return JSON.std.mapFrom(Files.readString(Vectors.docs("ring-vectors/" + name + ".expect")));
    }

    @ParameterizedTest
    @MethodSource("names")
    void aRingWrittenFromTheDocumentAloneReadsAsExpected(String name) throws Exception {
        byte[] bytes = Files.readAllBytes(Vectors.docs("ring-vectors/" + name + ".ring"));
        Map<String, Object> e = expect(name);
        if (e.containsKey("error")) {
            assertThatThrownBy(() -> RingImage.read(bytes)).isInstanceOf(RingFormatException.class)
                    .hasMessage((String) e.get("error"));
            return;
        }
        RingImage img = RingImage.read(bytes);
        assertThat(img.boot().hex()).isEqualTo(e.get("boot"));
        List<String> pendingLines = img.pending().stream().filter(r -> r.type() == RingFormat.TYPE_LINE)
                .map(RingImage.Record::text).collect(Collectors.toList());
        assertThat(pendingLines).isEqualTo(e.get("pending"));
        assertThat(img.retained().stream().map(RingImage.Record::text).collect(Collectors.toList()))
                .isEqualTo(e.get("retained"));
        assertThat(img.corrupt()).isEqualTo(((Number) e.get("corrupt")).longValue());
        assertThat(img.lost()).isEqualTo(((Number) e.get("lost")).longValue());
        if (e.containsKey("pending_categories")) {
            assertThat(img.pending().stream().filter(r -> r.type() == RingFormat.TYPE_LINE)
                    .map(r -> img.category(r.category())).collect(Collectors.toList()))
                    .isEqualTo(e.get("pending_categories"));
        }
        if (e.containsKey("crash_records")) {
            assertThat(img.pending().stream().filter(r -> r.type() == RingFormat.TYPE_CRASH)
                    .map(RingImage.Record::text).collect(Collectors.toList())).isEqualTo(e.get("crash_records"));
        }
    }

    @Test
    void recoveryWritesAnOrphanedRingsLinesIntoItsBootsFilesByCategory() throws Exception {
        RootLayout layout = new RootLayout(root);
        Path ringDir = layout.ringDir();
        Files.createDirectories(ringDir);
        Files.copy(Vectors.docs("ring-vectors/categories-and-crash.ring"), ringDir.resolve("77.ring"));
        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, ringDir);
        assertThat(out).hasSize(1);
        BootId boot = BootId.parse("0123456789abcdef0123456789abcdef");
        assertThat(out.get(0).written()).isEqualTo(2);
        assertThat(out.get(0).crashRecords()).hasSize(1);
        assertThat(Files.readAllLines(layout.logFile("boot", boot))).containsExactly(
                "2026-11-27T10:00:00.000000Z INFO kernel TICK i=0");
        assertThat(Files.readAllLines(layout.logFile("input", boot))).containsExactly(
                "2026-11-27T10:00:01.000001Z INFO input TICK i=1 text=[redacted]");
        assertThat(ringDir.resolve("77.ring")).doesNotExist();
    }

    @Test
    void aFileThatIsNotARingIsSetAsideAndReported() throws Exception {
        RootLayout layout = new RootLayout(root);
        Files.createDirectories(layout.ringDir());
        Files.copy(Vectors.docs("ring-vectors/bad-magic.ring"), layout.ringDir().resolve("9.ring"));
        List<RingRecovery.Outcome> out = RingRecovery.recoverOrphans(layout, Policy.DEFAULTS, layout.ringDir());
        assertThat(out).singleElement().satisfies(o -> assertThat(o.error()).contains("bad magic"));
        assertThat(layout.ringDir().resolve("9.ring.corrupt")).exists();
        assertThat(layout.ringDir().resolve("9.ring")).doesNotExist();
    }
}
