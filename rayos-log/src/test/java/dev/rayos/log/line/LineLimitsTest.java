package dev.rayos.log.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rayos.log.time.LogClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The grammar's limits one character either side (the longest line, the caps on digits, the
 * characters of an event name), the column an error names, and the small pieces every line goes
 * through: the clock's reading as a timestamp, the levels read from raw bytes, what counts as a
 * marker, and the room a buffer keeps around its line for the ring's frame.
 */
class LineLimitsTest {
    static final String HEAD = "2026-01-01T00:00:00Z INFO app EV";

    static LineParseException refused(String line) {
        LineParseException e = catchThrowableOfType(() -> LineCodec.parse(line), LineParseException.class);
        assertThat(e).as("%s must not parse", line).isNotNull();
        return e;
    }

    @Test
    void aLineOfExactlyTheLongestLengthParsesAndOneByteMoreIsRefused() throws Exception {
        String prefix = HEAD + " k=";
        String longest = prefix + "v".repeat(LineCodec.MAX_LINE_BYTES - prefix.length());
        assertThat(longest).hasSize(LineCodec.MAX_LINE_BYTES);
        assertThat(LineCodec.parse(longest).get("k")).hasSize(LineCodec.MAX_LINE_BYTES - prefix.length());
        LineParseException e = refused(longest + "v");
        assertThat(e.getMessage()).contains("line longer than " + LineCodec.MAX_LINE_BYTES);
        assertThat(e.column()).isEqualTo(LineCodec.MAX_LINE_BYTES + 1);
    }

    @Test
    void aMonotonicTimeTakes19DigitsAndAFraction9AndTheNextDigitIsRefusedWhereItIs() throws Exception {
        assertThat(LineCodec.parse("mono:" + "1".repeat(18) + " INFO app EV").ts())
                .isEqualTo(Timestamp.mono(111_111_111_111_111_111L));
        LineParseException mono = refused("mono:" + "1".repeat(20) + " INFO app EV");
        assertThat(mono.getMessage()).contains("more than 19 digits");
        assertThat(mono.column()).isEqualTo("mono:".length() + 20);
        assertThat(LineCodec.parse("2026-01-01T00:00:00.123456789Z INFO app EV").ts().nanos() % 1_000_000_000L)
                .isEqualTo(123_456_789L);
        LineParseException frac = refused("2026-01-01T00:00:00.1234567891Z INFO app EV");
        assertThat(frac.getMessage()).contains("more than 9 fraction digits");
        assertThat(frac.column()).isEqualTo("2026-01-01T00:00:00.".length() + 10);
    }

    @Test
    void rayosInsideAQuotedValueIsRefusedAtItsR() {
        String line = HEAD + " k=\"xyzRAYOS_READY\"";
        assertThat(refused(line).column()).isEqualTo(line.indexOf("RAYOS_") + 1);
        String first = HEAD + " k=\"RAYOS_READY\"";
        assertThat(refused(first).column()).isEqualTo(first.indexOf("RAYOS_") + 1);
    }

    @Test
    void anEventNameIsPrintableAsciiWithoutSpaceQuoteEqualsOrBackslash() {
        assertThat(LineCodec.isEvent("!")).as("0x21, the first printable").isTrue();
        assertThat(LineCodec.isEvent("A~")).as("0x7E, the last").isTrue();
        assertThat(LineCodec.isEvent("A B")).isFalse();
        assertThat(LineCodec.isEvent("A\u007F")).as("DEL").isFalse();
        assertThat(LineCodec.isEvent("A\"")).isFalse();
        assertThat(LineCodec.isEvent("A=B")).isFalse();
        assertThat(LineCodec.isEvent("A\\")).isFalse();
        assertThat(refused("2026-01-01T00:00:00Z INFO app A\u007FB").getMessage())
                .contains("character not allowed in an event name");
    }

    @Test
    void theClocksReadingBecomesATimestampToTheMicrosecondOrMonotonicBeforeTheWallClockIsKnown() {
        LogClock clock = new LogClock() {
            @Override
            public long monoNanos() {
                return 5_000_000_123L;
            }

            @Override
            public long utcNanos() {
                return 1_767_225_600_123_456_789L; // 2026-01-01T00:00:00.123456789Z
            }
        };
        assertThat(LineCodec.utcNow(clock)).isEqualTo("2026-01-01T00:00:00.123456Z");
        assertThat(LineCodec.now(clock, true)).isEqualTo(Timestamp.utc(1_767_225_600_123_456_000L));
        assertThat(LineCodec.now(clock, false)).isEqualTo(Timestamp.mono(5_000_000_123L));
    }

    @Test
    void aLevelIsReadFromRawBytesOnlyWhenTheBytesAreItsWholeName() {
        byte[] b = "x WARN WARNING ERR ERROR ".getBytes(StandardCharsets.US_ASCII);
        assertThat(Level.byName(b, 2, 6)).isEqualTo(Level.WARN);
        assertThat(Level.byName(b, 7, 14)).as("WARNING is not a name the lines use").isNull();
        assertThat(Level.byName(b, 15, 18)).isNull();
        assertThat(Level.byName(b, 19, 24)).isEqualTo(Level.ERROR);
        assertThat(Level.byName(b, 2, 5)).as("a prefix of WARN").isNull();
    }

    @Test
    void aMarkerIsAnEventThatStartsWithRayosAndAnUnderscore() {
        assertThat(Marker.isMarker(Marker.READY)).isTrue();
        assertThat(Marker.isMarker("RAYOS_")).isTrue();
        assertThat(Marker.isMarker("RAYOS")).as("shorter than the prefix").isFalse();
        assertThat(Marker.isMarker("RAYOSX")).isFalse();
        assertThat(Marker.isMarker("XAYOS_READY")).isFalse();
        assertThat(Marker.isMarker("rayos_ready")).isFalse();
        assertThat(Marker.isMarker("")).isFalse();
    }

    @Test
    void aBufferWithRoomAroundItsLineKeepsTheLineBetweenTheRooms() {
        LineBuffer b = new LineBuffer(16, 24, 8);
        assertThat(b.array()).hasSize(24 + 16 + 8);
        assertThat(b.offset()).isEqualTo(24);
        assertThat(b.capacity()).isEqualTo(16);
        assertThat(b.length()).isZero();
        b.putAscii("hello world");
        assertThat(b.length()).isEqualTo(11);
        assertThat(b.remaining()).isEqualTo(5);
        assertThat(b.toString()).isEqualTo("hello world");
        ByteBuffer out = ByteBuffer.allocate(32);
        b.copyTo(out);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
        b.truncate(5);
        assertThat(b.toString()).isEqualTo("hello");
        assertThatThrownBy(() -> b.truncate(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truncate to 6 of 5");
        assertThatThrownBy(() -> b.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new String(b.array(), b.offset(), b.length(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }
}
