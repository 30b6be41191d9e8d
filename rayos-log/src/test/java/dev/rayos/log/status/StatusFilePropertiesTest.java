package dev.rayos.log.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/** Whatever a status file holds, reading it gives reports and a count of unreadable lines, never an exception. */
class StatusFilePropertiesTest {
    static final String GOOD = "2026-12-07T06:01:02Z WARN rayos-log STATUS pid=812 boot=0123456789abcdef0123456789abcdef"
            + " kind=store active=yes msg=\"disk full\"";
    private final Path dir;

    StatusFilePropertiesTest() throws Exception {
        dir = Files.createTempDirectory("status-props");
    }

    @AfterProperty
    void clean() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> hostile() {
        Arbitrary<String> mutated = Arbitraries.integers().between(0, GOOD.length() - 1).flatMap(at ->
                Arbitraries.chars().map(ch -> GOOD.substring(0, at) + ch + GOOD.substring(at + 1)));
        Arbitrary<String> cut = Arbitraries.integers().between(0, GOOD.length()).map(n -> GOOD.substring(0, n));
        Arbitrary<String> lines = Arbitraries.oneOf(mutated, cut, Arbitraries.strings().all().ofMaxLength(120),
                Arbitraries.just(GOOD));
        return Arbitraries.oneOf(
                lines.list().ofMaxSize(8).map(l -> String.join("\n", l).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(400));
    }

    @Property(tries = 1500)
    void aStatusFileOfAnyBytesReadsAsReportsAndUnreadableLines(@ForAll("hostile") byte[] content) throws Exception {
        Path f = dir.resolve("812.status");
        Files.write(f, content);
        StatusFile.Reading r = StatusFile.read(f);
        long nonEmpty = new String(content, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1).length;
        assertThat(r.reports().size() + r.unreadable()).isLessThanOrEqualTo((int) nonEmpty);
        for (StatusFile.Report rep : r.reports()) {
            assertThat(rep.pid()).isPositive();
            assertThat(rep.kind()).isNotNull();
            assertThat(rep.message()).isNotNull();
        }
    }
}
