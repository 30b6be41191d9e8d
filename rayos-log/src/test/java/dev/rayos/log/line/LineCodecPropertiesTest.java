package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LineCodecPropertiesTest {

    @Provide
    Arbitrary<String> hostileValues() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(60);
        Arbitrary<String> tricky = Arbitraries.strings()
                .withChars("\n\r\t\"\\= _RAYOS\u2028\u2029\u202e\u0085\u0000\u007f\ud800\udc00éx")
                .ofMaxLength(40);
        Arbitrary<String> markers = Arbitraries.of("RAYOS_READY", "x RAYOS_READY", "\nRAYOS_READY", "RAYOS_",
                "RAYOS", "RAYOS\\x5f", "\"RAYOS_\"", "");
        return Arbitraries.oneOf(anyChars, tricky, markers);
    }

    @Provide
    Arbitrary<LogLine> lines() {
        Arbitrary<Timestamp> ts = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 9_000_000_000_000_000_000L).map(Timestamp::utc),
                Arbitraries.longs().between(0, Long.MAX_VALUE).map(Timestamp::mono));
        Arbitrary<Level> level = Arbitraries.of(Level.class);
        Arbitrary<String> component = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(4)
                .flatMap(head -> Arbitraries.strings().withChars("abc019_.-").ofMaxLength(8).map(t -> head + t));
        Arbitrary<String> event = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40)
                .filter(LineCodec::isEvent);
        Arbitrary<String> key = Arbitraries.strings().withChars("abcxyz_019.-").ofMinLength(1).ofMaxLength(10)
                .filter(LineCodec::isKey);
        Arbitrary<LogLine.Field> field = Combinators.combine(key, hostileValues()).as(LogLine.Field::new);
        Arbitrary<List<LogLine.Field>> fields = field.list().ofMaxSize(6).map(ArrayList::new);
        return Combinators.combine(ts, level, component, event, fields).as(LogLine::new);
    }

    @Property(tries = 2000)
    void formatThenParseGivesBackTheSameEvent(@ForAll("lines") LogLine line) throws Exception {
        assertThat(LineCodec.parse(LineCodec.format(line))).isEqualTo(line);
    }

    @Property(tries = 2000)
    void noValueCanMakeASecondLineOrAForgedMarker(@ForAll("lines") LogLine line) {
        String text = LineCodec.format(line);
        assertThat(text).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028").doesNotContain("\u0085");
        int at = text.indexOf("RAYOS_");
        if (at >= 0) {
            // Only the event may carry it: the first occurrence is where the event starts.
            assertThat(line.event()).contains("RAYOS_");
            assertThat(text.lastIndexOf("RAYOS_")).isLessThan(
                    text.indexOf(line.event()) + line.event().length());
        }
    }

    @Property(tries = 3000)
    void anyTextEitherParsesOrFailsWithAColumnInsideIt(@ForAll("garbage") String text) {
        try {
            LineCodec.parse(text);
        } catch (LineParseException e) {
            assertThat(e.column()).isBetween(1, text.length() + 1);
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> prefix = Arbitraries.of("", "2025-12-30T15:12:01Z ", "mono:12 ", "2025-12-30T15:12:01.5Z INFO ",
                "2025-12-30T15:12:01Z INFO k E ", "2025-12-30T15:12:01Z INFO k E a=\"");
        Arbitrary<String> rest = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("0123456789-T:.Z \"\\=axRAYOS_\nmono").ofMaxLength(80));
        return Combinators.combine(prefix, rest).as(String::concat);
    }

    @Property(tries = 2000)
    void utcTimestampsRoundTripAtEveryInstant(@ForAll("instants") long nanos) throws Exception {
        Timestamp ts = Timestamp.utc(nanos);
        assertThat(LineCodec.parseTimestamp(ts.toString())).isEqualTo(ts);
        assertThat(ts.toString()).isEqualTo(java.time.format.DateTimeFormatter.ISO_INSTANT
                .format(java.time.Instant.ofEpochSecond(0, nanos)).replaceAll("Z$", "")
                .replaceAll("^([^.]*)$", "$1.000000").replaceAll("\\.(\\d{3})$", ".$1000") + "Z");
    }

    @Provide
    Arbitrary<Long> instants() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 9_000_000_000_000_000_000L),
                Arbitraries.longs().between(0, 9_000_000_000_000_000L).map(x -> x * 1000));
    }
}
