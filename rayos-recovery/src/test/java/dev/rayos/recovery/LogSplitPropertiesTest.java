package dev.rayos.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.LogFileName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** {@link LogSplit} over hostile content and names: the parts read back in order are the file. */
class LogSplitPropertiesTest {
    private static final String BOOT = "ab".repeat(16);

    @Property(tries = 300)
    void splitPartsReassembledInOrderAreTheSameLinesEachWithinTheCapOrALineAlone(
            @ForAll("contents") byte[] content, @ForAll @IntRange(min = 1, max = 400) int cap) throws IOException {
        Path dir = Files.createTempDirectory("split");
        try {
            Path source = dir.resolve(new LogFileName(BOOT, 3).fileName());
            Files.write(source, content);

            List<LogFileName> made = LogSplit.split(source, cap, LogSplit.Points.NONE);

            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<byte[]> parts = new ArrayList<>();
            parts.add(Files.readAllBytes(source));
            for (int i = 0; i < made.size(); i++) {
                assertThat(made.get(i).number()).as("parts follow their source, numbered upwards").isEqualTo(4 + i);
                parts.add(Files.readAllBytes(dir.resolve(made.get(i).fileName())));
            }
            for (int i = 0; i < parts.size(); i++) {
                byte[] p = parts.get(i);
                all.writeBytes(p);
                assertThat(p.length).as("part " + i + " is not empty").isPositive();
                if (i < parts.size() - 1) {
                    assertThat(p[p.length - 1]).as("part " + i + " ends at a line end").isEqualTo((byte) '\n');
                }
                if (p.length > cap) {
                    assertThat(lineEnds(p)).as("a part over the cap is one line").isLessThanOrEqualTo(1);
                }
            }
            assertThat(all.toByteArray()).as("the same lines, in order").isEqualTo(content);
            try (var s = Files.list(dir)) {
                assertThat(s.count()).as("no temporary left").isEqualTo(parts.size());
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Provide
    Arbitrary<byte[]> contents() {
        // line feeds often, any other byte (NUL, CR, invalid UTF-8) between them
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte) '\n')),
                net.jqwik.api.Tuple.of(20, Arbitraries.bytes()));
        return b.array(byte[].class).ofMinSize(1).ofMaxSize(3000);
    }

    private static int lineEnds(byte[] p) {
        int n = 0;
        for (byte x : p) {
            n += x == '\n' ? 1 : 0;
        }
        return n;
    }

    @Property(tries = 2000)
    void anyNameIsASplitTemporaryOfAValidPartOrNoneNeverAnError(@ForAll("names") String name) {
        LogSplit.pending(name).ifPresent(p -> {
            assertThat(LogSplit.pendingName(p.part(), p.source(), p.offset())).isEqualTo(name);
            assertThat(p.source().number()).isBetween(1, p.part().number() - 1);
        });
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> valid = Arbitraries.integers().between(1, 50).flatMap(src -> Arbitraries.integers()
                .between(src + 1, 60).flatMap(part -> Arbitraries.longs().between(0, Long.MAX_VALUE)
                        .map(off -> new LogFileName(BOOT, part).fileName() + ".split-" + src + "-" + off)));
        Arbitrary<String> mangled = valid.flatMap(v -> Arbitraries.integers().between(0, v.length() - 1)
                .flatMap(i -> Arbitraries.chars().map(c -> v.substring(0, i) + c + v.substring(i + 1))));
        return Arbitraries.oneOf(valid, mangled, Arbitraries.strings().ofMaxLength(120),
                Arbitraries.just(BOOT + ".log.split-1-0"), Arbitraries.just(BOOT + ".2.log.split-2-5"),
                Arbitraries.just(BOOT + ".2.log.split-1-99999999999999999999"),
                Arbitraries.just(BOOT + ".02.log.split-1-5"));
    }
}
