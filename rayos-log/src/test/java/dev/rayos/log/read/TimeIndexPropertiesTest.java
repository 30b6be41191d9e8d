package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The time index's parser over hostile bytes: an index, or a {@link TimeIndexException}, never anything else. */
class TimeIndexPropertiesTest {
    static final String BOOT = TimeIndexVectorsTest.BOOT;

    @Provide
    Arbitrary<ChunkTimes> chunkTimes() {
        Arbitrary<Long> any = Arbitraries.longs();
        return Combinators.combine(any, any, any, any, Arbitraries.of(true, false), Arbitraries.of(0, 1, 2, 3))
                .as((a, b, c, d, u, empty) -> new ChunkTimes((empty & 1) != 0 ? Long.MAX_VALUE : Math.min(a, b),
                        (empty & 1) != 0 ? Long.MIN_VALUE : Math.max(a, b), (empty & 2) != 0 ? Long.MAX_VALUE : Math.min(c, d),
                        (empty & 2) != 0 ? Long.MIN_VALUE : Math.max(c, d), u));
    }

    @Provide
    Arbitrary<List<TimeIndex.FileTimes>> indexes() {
        Arbitrary<TimeIndex.FileTimes> file = Combinators.combine(Arbitraries.integers().between(0, 50),
                Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers(),
                Arbitraries.integers().between(1, 1 << 20), chunkTimes().list().ofMaxSize(6))
                .as((n, ino, m, c, crc, chunk, times) -> new TimeIndex.FileTimes(
                        n == 0 ? BOOT + ".log" : BOOT + "." + n + ".log",
                        new FileStamp(ino, (long) times.size() * chunk, m, c, crc), chunk, times));
        return file.list().ofMaxSize(5).uniqueElements(TimeIndex.FileTimes::name);
    }

    @Property(tries = 500)
    void whatIsFormattedParsesBackTheSame(@ForAll("indexes") List<TimeIndex.FileTimes> files) throws Exception {
        assertThat(TimeIndex.parse(TimeIndex.format(files), BOOT)).isEqualTo(files);
    }

    @Property(tries = 2000)
    void hostileBytesParseOrFailWithTheirOwnError(@ForAll byte[] bytes) {
        parseOrRefuse(bytes);
    }

    @Property(tries = 2000)
    void aDamagedIndexIsRefusedNeverMisread(@ForAll("indexes") List<TimeIndex.FileTimes> files,
                                          @ForAll @IntRange(min = 0, max = 100_000) int at,
                                          @ForAll @IntRange(min = 1, max = 255) int flip,
                                          @ForAll @IntRange(min = 0, max = 3) int how) {
        byte[] good = TimeIndex.format(files);
        int i = at % good.length;
        byte[] bad;
        switch (how) {
            case 0 -> {
                bad = good.clone();
                bad[i] ^= (byte) flip;
            }
            case 1 -> bad = java.util.Arrays.copyOf(good, i);
            case 2 -> {
                bad = new byte[good.length + 1];
                System.arraycopy(good, 0, bad, 0, i);
                bad[i] = (byte) flip;
                System.arraycopy(good, i, bad, i + 1, good.length - i);
            }
            default -> {
                bad = new byte[good.length - 1];
                System.arraycopy(good, 0, bad, 0, i);
                System.arraycopy(good, i + 1, bad, i, good.length - i - 1);
            }
        }
        List<TimeIndex.FileTimes> read = parseOrRefuse(bad);
        // one byte changed, cut, added or removed: the checksum refuses it, unless the change was nothing
        // (a cut at the very end keeps a whole index only when nothing was cut)
        if (read != null) {
            assertThat(read).isEqualTo(files);
        }
    }

    @Property(tries = 1000)
    void hostileLinesUnderAGoodChecksumParseOrFailWithTheirOwnError(@ForAll("lines") List<String> lines) {
        StringBuilder s = new StringBuilder(TimeIndex.HEADER).append('\n');
        for (String l : lines) {
            s.append(l).append('\n');
        }
        byte[] body = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        String end = "end " + TimeIndex.hex8(TimeIndex.crc(body, body.length)) + "\n";
        byte[] all = (s + end).getBytes(StandardCharsets.ISO_8859_1);
        List<TimeIndex.FileTimes> read = parseOrRefuse(all);
        if (read != null) {
            assertThat(TimeIndex.format(read)).isEqualTo(all); // only the canonical form is accepted
        }
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> token = Arbitraries.oneOf(Arbitraries.of("file", "chunk", "-", "0", "1", "-1", "01",
                        BOOT + ".log", BOOT + ".1.log", BOOT + ".0.log", "00000000", "ffffffff", "1048576",
                        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "", "end", "\u00e9"),
                Arbitraries.longs().map(v -> Long.toString(v)), Arbitraries.strings().ofMaxLength(6));
        return token.list().ofMinSize(1).ofMaxSize(10).map(t -> String.join(" ", t)).list().ofMaxSize(8);
    }

    private static List<TimeIndex.FileTimes> parseOrRefuse(byte[] b) {
        try {
            return TimeIndex.parse(b, BOOT);
        } catch (TimeIndexException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return null;
        }
    }
}
