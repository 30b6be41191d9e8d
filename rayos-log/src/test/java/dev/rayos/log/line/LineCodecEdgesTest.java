package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The line grammar at its edges (docs/log-format.md): the longest names, leap days, the column a
 * parse error names, what an escape may be, and which characters are written escaped.
 */
class LineCodecEdgesTest {
    static final String HEAD = "2026-01-01T00:00:00Z INFO app EV";

    static int column(String line) {
        LineParseException e = catchThrowableOfType(() -> LineCodec.parse(line), LineParseException.class);
        assertThat(e).as("%s must not parse", line).isNotNull();
        return e.column();
    }

    @Test
    void namesUpToTheirLimitAreAcceptedAndOneCharacterMoreIsRefusedAtItsColumn() throws Exception {
        String c64 = "c" + "x".repeat(63);
        String e128 = "E".repeat(128);
        String k64 = "k" + "y".repeat(63);
        LogLine l = LineCodec.parse("2026-01-01T00:00:00Z INFO " + c64 + " " + e128 + " " + k64 + "=v");
        assertThat(l.component()).isEqualTo(c64);
        assertThat(l.event()).isEqualTo(e128);
        assertThat(l.get(k64)).isEqualTo("v");
        assertThat(LineCodec.isEvent(e128)).isTrue();
        assertThat(LineCodec.isEvent(e128 + "E")).isFalse();
        assertThat(LineCodec.isEvent("")).isFalse();
        assertThat(LineCodec.isComponent(c64)).isTrue();
        assertThat(LineCodec.isComponent(c64 + "x")).isFalse();
        assertThat(LineCodec.isKey(k64)).isTrue();
        assertThat(LineCodec.isKey(k64 + "y")).isFalse();
        // The column is that of the first character over the limit.
        int at = "2026-01-01T00:00:00Z INFO ".length();
        assertThat(column("2026-01-01T00:00:00Z INFO " + c64 + "x EV")).isEqualTo(at + 64 + 1);
        at = "2026-01-01T00:00:00Z INFO app ".length();
        assertThat(column("2026-01-01T00:00:00Z INFO app " + e128 + "E")).isEqualTo(at + 128 + 1);
        at = (HEAD + " ").length();
        assertThat(column(HEAD + " " + k64 + "y=v")).isEqualTo(at + 64 + 1);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"2024-02-29T00:00:00Z,true", "2023-02-29T00:00:00Z,false", "2000-02-29T00:00:00Z,true",
            "2100-02-29T00:00:00Z,false", "2104-02-29T00:00:00Z,true", "2024-02-30T00:00:00Z,false",
            "2024-04-31T00:00:00Z,false", "2024-04-30T23:59:59Z,true", "2024-12-31T23:59:59Z,true",
            "2024-06-31T00:00:00Z,false", "2024-09-31T00:00:00Z,false", "2024-11-31T00:00:00Z,false",
            "2024-01-31T00:00:00Z,true"})
    void leapDaysFollowTheGregorianRules(String ts, boolean valid) throws Exception {
        if (valid) {
            assertThat(LineCodec.parseTimestamp(ts).toString()).isEqualTo(ts.replace("Z", ".000000Z"));
        } else {
            assertThatThrownBy(() -> LineCodec.parseTimestamp(ts)).isInstanceOf(LineParseException.class)
                    .hasMessageStartingWith("column 1: not a valid date and time");
        }
    }

    @Test
    void aTimestampCutShortOrFollowedByTextIsAnErrorAtItsColumn() {
        for (String cut : new String[] {"2026-01-01T00:00:00", "2026-01-01T00:00", "2026-01-01T", "2026-01", "mono:"}) {
            LineParseException e = catchThrowableOfType(() -> LineCodec.parseTimestamp(cut), LineParseException.class);
            assertThat(e).as(cut).isNotNull();
            assertThat(e.column()).as(cut).isEqualTo(cut.length() + 1);
        }
        LineParseException after = catchThrowableOfType(() -> LineCodec.parseTimestamp("2026-01-01T00:00:00Zjunk"),
                LineParseException.class);
        assertThat(after.column()).isEqualTo(21);
        assertThat(after).hasMessageContaining("unexpected text after the timestamp");
        assertThat(catchThrowableOfType(() -> LineCodec.parse("x"), LineParseException.class))
                .hasMessageContaining("or 'mono:' (a timestamp starts the line)");
        assertThat(catchThrowableOfType(() -> LineCodec.parse("2026-x"), LineParseException.class))
                .hasMessage("column 6: expected 2 digits of the month");
    }

    @ParameterizedTest(name = "{0} -> column {1}")
    @CsvSource(delimiter = '|', value = {
            // The text RAYOS_ inside a value: the error is where RAYOS starts.
            "k=RAYOS_X              | 3",
            "k=aRAYOS_              | 4",
            "k=\"RAYOS_\"             | 4",
            "k=\"ab RAYOS_x\"         | 7",
            // A raw control or C1 character inside quotes must have been escaped.
            "k=\"a\u0080b\"           | 5",
            "k=\"a\u009fb\"           | 5",
            // A value that ends in a lone backslash, or an escape nobody knows.
            "k=\"abc\\              | 7",
            "k=\"a\\qb\"              | 5",
    })
    void aValueThatBreaksTheGrammarIsRefusedAtTheColumnWhereItGoesWrong(String fields, int col) {
        int base = (HEAD + " ").length();
        assertThat(column(HEAD + " " + fields)).isEqualTo(base + col);
    }

    @Test
    void anUnknownEscapeIsNamedUnlessItIsNotPrintable() {
        assertThat(catchThrowableOfType(() -> LineCodec.parse(HEAD + " k=\"\\q\""), LineParseException.class))
                .hasMessageContaining("unknown escape \\q ");
        assertThat(catchThrowableOfType(() -> LineCodec.parse(HEAD + " k=\"\\~\""), LineParseException.class))
                .hasMessageContaining("unknown escape \\~ ");
        assertThat(catchThrowableOfType(() -> LineCodec.parse(HEAD + " k=\"\\ \""), LineParseException.class))
                .hasMessageContaining("unknown escape \\  ");
        for (char c : new char[] {0x1f, 0x7f, 0xe9}) {
            assertThat(catchThrowableOfType(() -> LineCodec.parse(HEAD + " k=\"\\" + c + "\""), LineParseException.class))
                    .hasMessageContaining("unknown escape \\? ");
        }
    }

    /** Each range the format writes as \\uXXXX, with the characters just outside it written as they are. */
    @ParameterizedTest(name = "U+{0}: escaped {1}")
    @CsvSource({"00A0,false", "0080,true", "009F,true", "2027,false", "2028,true", "2029,true", "202A,true",
            "202E,true", "202F,false", "2065,false", "2066,true", "2069,true", "206A,false", "200D,false",
            "200E,true", "200F,true", "2010,false", "FEFE,false", "FEFF,true", "FF00,false", "07FF,false", "0800,false"})
    void charactersThatCouldHideOrReorderTextAreWrittenEscaped(String hex, boolean escaped) throws Exception {
        char c = (char) Integer.parseInt(hex, 16);
        String line = LineCodec.format(new LogLine(Timestamp.utc(0), Level.INFO, "app", "EV",
                List.of(new LogLine.Field("k", "a" + c))));
        assertThat(line.contains("\\u" + hex.toLowerCase())).isEqualTo(escaped);
        assertThat(line.indexOf(c) >= 0).isEqualTo(!escaped);
        assertThat(LineCodec.parse(line).get("k")).isEqualTo("a" + c);
    }

    @Test
    void aNameInAnErrorMessageIsShownOnOneLineAndCutAt80Characters() {
        assertThat(LineCodec.printable("a\nb\u2028")).isEqualTo("a\\x0ab\\x2028");
        assertThat(LineCodec.printable("x".repeat(80))).isEqualTo("x".repeat(80));
        assertThat(LineCodec.printable("x".repeat(81))).isEqualTo("x".repeat(80) + "…");
        assertThat(LineCodec.printable("x".repeat(79) + "\n")).isEqualTo("x".repeat(79) + "\\x0a");
        assertThat(LineCodec.printable("x".repeat(79) + "\ny")).isEqualTo("x".repeat(79) + "\\x0a…");
    }

    @Test
    void aValueShownByTheReaderIsEscapedTheSameWayButNeverCut() {
        assertThat(LineCodec.escapeControls("a\nb\u2028")).isEqualTo("a\\x0ab\\x2028");
        assertThat(LineCodec.escapeControls("x".repeat(300) + "\n")).isEqualTo("x".repeat(300) + "\\x0a");
        assertThat(LineCodec.escapeControls("")).isEmpty();
    }

    @Property(tries = 1000)
    void theLoggersStringCheckForBareValuesAgreesWithTheGrammars(@ForAll("values") String v) {
        assertThat(LineCodec.isBare(v)).isEqualTo(LineCodec.isBare((CharSequence) v));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars(" !\"\\_RAYOSx=\u007f\u0080").ofMaxLength(12),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(10), Arbitraries.of("", "RAYOS_", "xRAYOS_",
                        "RAYOS", "AYOS_", "RAYO_S", "RAYOS_RAYOS_"));
    }

    @Test
    void aLineReadBackGivesItsFieldsByKeyAndPrintsAsWritten() throws Exception {
        String text = "2026-01-01T00:00:00.000001Z WARN app EV a=1 b=\"two words\" a=3";
        LogLine l = LineCodec.parse(text);
        assertThat(l.get("a")).as("the first field of a key").isEqualTo("1");
        assertThat(l.get("b")).isEqualTo("two words");
        assertThat(l.get("c")).isNull();
        assertThat(l.toString()).isEqualTo(text);
    }

    @Test
    void timestampsSortUtcBeforeMonoThenByTime() {
        List<Timestamp> sorted = new java.util.ArrayList<>(List.of(Timestamp.mono(5), Timestamp.utc(9),
                Timestamp.mono(1), Timestamp.utc(2)));
        java.util.Collections.sort(sorted);
        assertThat(sorted).containsExactly(Timestamp.utc(2), Timestamp.utc(9), Timestamp.mono(1), Timestamp.mono(5));
        assertThat(Timestamp.utc(3).compareTo(Timestamp.utc(3))).isZero();
        assertThat(Timestamp.mono(3).compareTo(Timestamp.utc(3))).isPositive();
        assertThat(Timestamp.utc(3).compareTo(Timestamp.mono(3))).isNegative();
        assertThatThrownBy(() -> Timestamp.mono(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
