package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The scanner's own reading of the store's timestamps never disagrees with the grammar: what it
 * reads is the grammar's value, and what the grammar refuses it leaves to the grammar.
 */
class UtcStampsTest {
    /** Timestamps of the two widths the store writes, from any instant the grammar allows. */
    @Provide
    Arbitrary<String> written() {
        Arbitrary<Long> nanos = Arbitraries.longs().between(0, 9_214_646_399_999_999_999L); // up to 2261-12-31
        return Combinators.combine(nanos, Arbitraries.of(true, false)).as((n, micros) -> {
            LineBuffer b = new LineBuffer(40);
            LineCodec.appendUtc(b, micros ? n / 1000 * 1000 : (n / 1000 * 1000) + 1 + Math.floorMod(n, 999));
            return b.toString();
        });
    }

    /** The shape of a timestamp with each place filled from a hostile alphabet. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> shaped = Arbitraries.strings().withChars("0123456789-:TZ.x \u00ff")
                .ofLength(27).map(s -> s.substring(0, 26) + (s.charAt(26) == 'x' ? "Z" : s.substring(26)));
        Arbitrary<String> nearly = written().flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
                .flatMap(i -> Arbitraries.chars().with("0123456789-:TZ.\u0000\u00ff9").map(c ->
                        s.substring(0, i) + c + s.substring(i + 1))));
        Arbitrary<String> dates = Combinators.combine(Arbitraries.integers().between(1960, 2300),
                Arbitraries.integers().between(0, 13), Arbitraries.integers().between(0, 32),
                Arbitraries.integers().between(0, 25), Arbitraries.integers().between(0, 61))
                .as((y, mo, d, h, mi) -> String.format("%04d-%02d-%02dT%02d:%02d:%02d.%s", y, mo, d, h, mi, mi,
                        h % 2 == 0 ? "123456Z" : "123456789Z"));
        return Arbitraries.oneOf(shaped, nearly, dates, Arbitraries.strings().all().ofMaxLength(32));
    }

    @Property(tries = 3000)
    void aWrittenTimestampIsReadAsTheGrammarReadsIt(@ForAll("written") String ts) throws Exception {
        assertThat(read(new UtcStamps(), ts)).isEqualTo(LineCodec.parseTimestamp(ts).nanos());
    }

    @Property(tries = 5000)
    void anyOtherTokenIsReadAsTheGrammarReadsItOrLeftToTheGrammar(@ForAll("hostile") String ts) {
        long mine = read(new UtcStamps(), ts);
        Long grammar;
        try {
            Timestamp t = LineCodec.parseTimestamp(ts);
            grammar = t.mono() ? null : t.nanos();
        } catch (LineParseException e) {
            grammar = null;
        }
        if (mine != UtcStamps.NONE) {
            assertThat(mine).isEqualTo(grammar);
        }
    }

    @Test
    void theKeptDateIsNotLentToAnotherDate() throws Exception {
        UtcStamps s = new UtcStamps();
        for (String ts : List.of("2026-01-31T23:59:59.999999Z", "2026-02-01T00:00:00.000000Z",
                "2026-02-29T00:00:00.000000Z", "2026-02-01T00:00:00.000001Z", "2028-02-29T12:00:00.000000000Z",
                "2026-02-01T24:00:00.000000Z", "2026-01-31T23:59:59.999999Z")) {
            long want;
            try {
                want = LineCodec.parseTimestamp(ts).nanos();
            } catch (LineParseException e) {
                want = UtcStamps.NONE;
            }
            assertThat(read(s, ts)).as(ts).isEqualTo(want);
        }
    }

    private static long read(UtcStamps s, String ts) {
        byte[] b = ("  " + ts + " INFO").getBytes(StandardCharsets.ISO_8859_1);
        return s.read(b, 2, 2 + ts.length());
    }
}
