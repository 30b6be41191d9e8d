package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Cursor and state files: any bytes read as a cursor or a {@link CursorException} (a state or a
 * {@link ForwardState.DamagedException}); a damaged cursor never reads as another.
 */
class CursorFilePropertiesTest {
    @Provide
    Arbitrary<ForwardCursor> cursors() {
        Arbitrary<String> hex16 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(16);
        Arbitrary<String> boot = Arbitraries.strings().withChars("0123456789abcdef").ofLength(32);
        Arbitrary<Long> n = Arbitraries.longs().between(0, 999_999_999_999_999_999L);
        return Combinators.combine(hex16, n, boot, Arbitraries.integers().between(0, Integer.MAX_VALUE), n, n, n)
                .as((stream, seq, b, part, inode, offset, line) ->
                        new ForwardCursor(stream, seq, b, part, inode, offset, Math.min(line, offset)));
    }

    @Property
    void anyBytesReadAsACursorOrATypedError(@ForAll @Size(max = 600) byte[] data) {
        try {
            ForwardCursor c = ForwardCursor.parse(data);
            assertThat(c.encode()).isEqualTo(data);
        } catch (CursorException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property
    void anyBytesReadAsAForwarderStateOrATypedError(@ForAll @Size(max = 600) byte[] data) {
        try {
            ForwardState st = ForwardState.parse(data);
            assertThat(st.encode()).isEqualTo(data);
        } catch (ForwardState.DamagedException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property
    void aStateWithAnyByteChangedIsRefused(@ForAll @IntRange(min = 0, max = 400) int at, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] b = new ForwardState(4242, "agent", "up", "tcp://logs.example.net:514", "2026-12-06T14:00:00.123Z").encode();
        b[at % b.length] ^= (byte) xor;
        assertThatThrownBy(() -> ForwardState.parse(b)).isInstanceOf(ForwardState.DamagedException.class);
    }

    @Property
    void aCursorReadsBackAsItWasWritten(@ForAll("cursors") ForwardCursor c) throws CursorException {
        assertThat(ForwardCursor.parse(c.encode())).isEqualTo(c);
    }

    @Property
    void aTornCursorIsRefused(@ForAll("cursors") ForwardCursor c, @ForAll @IntRange(min = 0, max = 400) int cut) {
        byte[] full = c.encode();
        byte[] torn = java.util.Arrays.copyOf(full, Math.min(cut, full.length - 1));
        assertThatThrownBy(() -> ForwardCursor.parse(torn)).isInstanceOf(CursorException.class);
    }

    @Property
    void aCursorWithAnyByteChangedIsRefused(@ForAll("cursors") ForwardCursor c, @ForAll @IntRange(min = 0, max = 400) int at,
                                            @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] b = c.encode();
        int i = at % b.length;
        b[i] ^= (byte) xor;
        String s = new String(b, StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ForwardCursor.parse(b)).as(s).isInstanceOf(CursorException.class);
    }
}
