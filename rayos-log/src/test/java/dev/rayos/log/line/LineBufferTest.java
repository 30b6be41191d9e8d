package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The buffer a line is encoded into. What a user sees of it: a value written in its line form
 * (docs/log-format.md: bare, or quoted with the grammar's escapes), and a value too long for the
 * line cut at a character boundary with its quotes balanced, keeping as much as fits.
 *
 * <p>The expected encodings come from {@link #segments}, the escape rules of the format page
 * written out one character at a time, not from the buffer itself.
 */
class LineBufferTest {

    /** Each character's bytes inside quotes, by the format page's rules. */
    static List<byte[]> segments(String v) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            String s;
            if (c == '"') {
                s = "\\\"";
            } else if (c == '\\') {
                s = "\\\\";
            } else if (c == '\n') {
                s = "\\n";
            } else if (c == '\r') {
                s = "\\r";
            } else if (c == '\t') {
                s = "\\t";
            } else if (c < 0x20 || c == 0x7F || (c == '_' && i >= 5 && v.startsWith("RAYOS", i - 5))) {
                s = String.format("\\x%02x", (int) c);
            } else if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                s = v.substring(i, i + 2);
                i++;
            } else if ((c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0x200E || c == 0x200F
                    || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF
                    || Character.isSurrogate(c)) {
                s = String.format("\\u%04x", (int) c);
            } else {
                s = String.valueOf(c);
            }
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static boolean bare(String v) {
        if (v.isEmpty() || v.contains("RAYOS_")) {
            return false;
        }
        return v.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '"' && c != '\\');
    }

    /** What {@code v} written into {@code room} bytes must give: the bytes and whether it was whole. */
    static Object[] expected(String v, int room) {
        if (bare(v)) {
            byte[] b = v.getBytes(StandardCharsets.US_ASCII);
            return new Object[] {Arrays.copyOf(b, Math.min(room, b.length)), b.length <= room};
        }
        List<byte[]> seg = segments(v);
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        int used = 2; // the quotes
        boolean whole = true;
        for (byte[] s : seg) {
            if (used + s.length > room) {
                whole = false;
                break;
            }
            kept.writeBytes(s);
            used += s.length;
        }
        if (room < 2) {
            return new Object[] {new byte[0], false};
        }
        return new Object[] {("\"" + kept.toString(StandardCharsets.UTF_8) + "\"").getBytes(StandardCharsets.UTF_8), whole};
    }

    /** Writes {@code v} after {@code before} bytes already in the line, with {@code reserve} kept free. */
    static Object[] written(String v, int before, int room, int reserve) {
        LineBuffer b = new LineBuffer(before + room + reserve);
        for (int i = 0; i < before; i++) {
            b.put((byte) 'k');
        }
        boolean whole = b.putValue(v, reserve);
        assertThat(b.length()).as("never past the room left").isLessThanOrEqualTo(before + room);
        assertThat(b.remaining()).isGreaterThanOrEqualTo(reserve);
        return new Object[] {Arrays.copyOfRange(b.array(), before, b.length()), whole};
    }

    @ParameterizedTest(name = "\"{0}\" kept whole in exactly its room, cut one byte short")
    @ValueSource(strings = {
            "plain",            // bare
            "two words",        // quoted, one byte per character
            "a\"b\\c",          // \" and \\
            "l1\nl2\rl3\tx",    // \n \r \t
            "bell\u0007del\u007f", // \xHH
            "RAYOS_READY",      // the _ of RAYOS_ as \x5f
            "snake_case now",   // a plain _ inside quotes
            "caf\u00e9 \u00e9", // two bytes
            "\u20ac sign",      // three bytes
            "\ud83d\ude00 smile", // a surrogate pair: four bytes
            "line\u2028sep",    // \\uHHHH
            "c1\u0085 bidi\u202e", // \\uHHHH
            "lone\ud800 x",     // a lone surrogate: \\uHHHH
    })
    void aValueThatExactlyFillsTheLineIsKeptWholeAndOneByteLessCutsItsLastCharacter(String v) {
        Object[] whole = expected(v, Integer.MAX_VALUE);
        int size = ((byte[]) whole[0]).length;
        assertThat(written(v, 5, size, 0)).as("in exactly its room").containsExactly(whole);
        Object[] cut = written(v, 5, size - 1, 0);
        assertThat(cut[1]).isEqualTo(false);
        assertThat(cut).containsExactly(expected(v, size - 1));
        if (!bare(v)) {
            // Quotes balanced: what was kept parses back as the value's beginning.
            String kept = new String((byte[]) cut[0], StandardCharsets.UTF_8);
            assertThat(kept).startsWith("\"").endsWith("\"");
            String shown = parseValue(kept);
            assertThat(v).startsWith(shown);
            assertThat(shown.length()).isLessThan(v.length());
        }
    }

    @ParameterizedTest(name = "\"{0}\": its last character kept whole or not at all")
    @ValueSource(strings = {"quoted x", "quote \"", "tab \t", "bell \u0007", "RAYOS_", "snake _",
            "two bytes \u00e9", "two bytes \u07ff", "three bytes \u0800", "three bytes \u20ac",
            "four bytes \ud83d\ude00", "escaped \u2028", "escaped \u0085", "lone \ud800"})
    void aValueWhoseLastCharacterDoesNotFitEndsBeforeIt(String v) {
        Object[] whole = expected(v, Integer.MAX_VALUE);
        int size = ((byte[]) whole[0]).length;
        assertThat(written(v, 3, size, 2)).containsExactly(whole);
        List<byte[]> seg = segments(v);
        int last = seg.get(seg.size() - 1).length;
        for (int shortBy = 1; shortBy <= last; shortBy++) {
            Object[] cut = written(v, 3, size - shortBy, 2);
            assertThat(cut[1]).isEqualTo(false);
            assertThat(new String((byte[]) cut[0], StandardCharsets.UTF_8)).as("%d bytes short", shortBy)
                    .isEqualTo(new String((byte[]) whole[0], 0, size - 1 - last, StandardCharsets.UTF_8) + "\"");
        }
    }

    @Property(tries = 1500)
    void aCutValueKeepsAsManyWholeCharactersAsFitAndNeverWritesPastItsRoom(
            @ForAll("values") String v, @ForAll @IntRange(min = 0, max = 12) int before,
            @ForAll @IntRange(min = 0, max = 9) int reserve, @ForAll @IntRange(min = 0, max = 40) int room) {
        assertThat(written(v, before, room, reserve)).containsExactly(expected(v, room));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab \"\\\n\t\u0001\u007f_RAYOS\u00e9\u20ac\u2028\u0085\ud83d\ude00\ud800")
                        .ofMaxLength(16),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    @Test
    void aQuotedValueWithNoRoomForItsTwoQuotesIsLeftOutAltogether() {
        assertThat(written("a b", 3, 1, 0)).containsExactly(new byte[0], false);
        assertThat(written("a b", 3, 0, 4)).containsExactly(new byte[0], false);
        // Two bytes: the empty value "" that says a value was there and was cut.
        assertThat(written("a b", 3, 2, 0)).containsExactly("\"\"".getBytes(StandardCharsets.US_ASCII), false);
        assertThat(written("", 0, 2, 0)).containsExactly("\"\"".getBytes(StandardCharsets.US_ASCII), true);
    }

    @Test
    void numbersAreWrittenInDecimalWithoutAllocation() {
        LineBuffer b = new LineBuffer(200);
        for (long v : new long[] {0, 7, 9, 10, 99, 100, 12345, -1, -10, Long.MAX_VALUE, Long.MIN_VALUE}) {
            b.clear();
            b.putDecimal(v).put((byte) ';');
            assertThat(b.toString()).isEqualTo(v + ";");
        }
    }

    @Test
    void numbersEitherSideOfEveryPowerOfTenAreWrittenWithAllTheirDigits() {
        LineBuffer b = new LineBuffer(64);
        long p = 1;
        for (int exponent = 0; exponent <= 18; exponent++, p *= 10) { // 10^18 is the last power a long holds
            for (long v : new long[] {p - 1, p, p + 1, 2 * p - 1, p / 2}) {
                b.clear();
                assertThat(b.putDecimal(v).toString()).isEqualTo(Long.toString(v));
                b.clear();
                assertThat(b.putDecimal(-v).toString()).isEqualTo(Long.toString(-v));
            }
        }
        for (long v : new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE}) { // int and long paths
            b.clear();
            assertThat(b.putDecimal(v).toString()).isEqualTo(Long.toString(v));
        }
    }

    @Property(tries = 1000)
    void anyNumberIsWrittenAsJavaWritesIt(@ForAll long v) {
        LineBuffer b = new LineBuffer(32);
        assertThat(b.putDecimal(v).toString()).isEqualTo(Long.toString(v));
    }

    @Test
    void paddedNumbersHaveExactlyTheirWidthWithHigherDigitsDropped() {
        LineBuffer b = new LineBuffer(64);
        b.putPadded(7, 1);
        b.put((byte) '|').putPadded(7, 2);
        b.put((byte) '|').putPadded(42, 3);
        b.put((byte) '|').putPadded(123456, 6);
        b.put((byte) '|').putPadded(1234567, 6);
        b.put((byte) '|').putPadded(2026, 4);
        b.put((byte) '|').putPadded(5, 9);
        assertThat(b.toString()).isEqualTo("7|07|042|123456|234567|2026|000000005");
    }

    @Test
    void aPartialAppendIsUndoneByTruncatingAndNeverBeyondWhatIsThere() {
        LineBuffer b = new LineBuffer(32);
        b.putAscii("INFO app").putKnownAscii(" EVENT").put((byte) '!');
        assertThat(b.toString()).isEqualTo("INFO app EVENT!");
        b.truncate(14);
        assertThat(b.length()).isEqualTo(14);
        b.truncate(8);
        assertThat(b.toString()).isEqualTo("INFO app");
        b.truncate(8);
        b.truncate(0);
        assertThat(b.length()).isZero();
        b.put("abc".getBytes(StandardCharsets.US_ASCII)).put("xyz".getBytes(StandardCharsets.US_ASCII), 2).put((byte) '?');
        b.truncate(5);
        assertThatThrownBy(() -> b.truncate(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truncate to 6 of 5");
        assertThatThrownBy(() -> b.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.toString()).isEqualTo("abcxy");
        assertThat(b.capacity()).isEqualTo(32);
        assertThat(b.remaining()).isEqualTo(27);
        ByteBuffer out = ByteBuffer.allocate(8);
        b.copyTo(out);
        assertThat(Arrays.copyOf(out.array(), out.position())).isEqualTo("abcxy".getBytes(StandardCharsets.US_ASCII));
        assertThat(new LineBuffer().capacity()).isEqualTo(LineCodec.MAX_LINE_BYTES);
    }

    /** The value of {@code k=VALUE} as the real parser reads it back. */
    static String parseValue(String written) {
        try {
            return LineCodec.parse("2026-01-01T00:00:00Z INFO app EV k=" + written).fields().get(0).value();
        } catch (LineParseException e) {
            throw new AssertionError(written + ": " + e.getMessage());
        }
    }
}
