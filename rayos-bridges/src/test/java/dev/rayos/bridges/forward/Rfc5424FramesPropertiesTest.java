package dev.rayos.bridges.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any stored bytes (a damaged file, hostile text) become one well-formed octet-counted frame carrying them unchanged. */
class Rfc5424FramesPropertiesTest {
    private final Rfc5424Frames enc = new Rfc5424Frames("vm", "00112233aabbccdd", "boot");

    @Provide
    Arbitrary<byte[]> lines() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().filter(b -> b != '\n').array(byte[].class).ofMaxSize(300);
        // lines that look nearly like RayOS lines reach the header-building paths
        Arbitrary<String> shaped = Arbitraries.of("2026-12-03T12:25:21.184164Z", "2026-12-03T12:25:21.123456789Z",
                "2026-12-03T12:25:21Z", "2026-12-03T12:25:21.Z", "mono:17", "mono:", "2026-12-03 12:25:21Z", "")
                .flatMap(ts -> Arbitraries.of("INFO", "EMERG", "TRACE", "info", "WARNX", "")
                        .flatMap(lv -> Arbitraries.strings().ofMaxLength(80).map(rest -> ts + " " + lv + " " + rest)));
        return Arbitraries.oneOf(raw, shaped.map(s -> s.replace('\n', ' ').getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 2000)
    void anyLineBecomesOneFrameWhoseLengthIsRightAndWhoseMessageIsTheLineUnchanged(@ForAll("lines") byte[] line,
            @ForAll("seqs") long seq) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        enc.append(out, line, 0, line.length, "0123456789abcdef0123456789abcdef", seq);
        byte[] f = out.toByteArray();
        int sp = 0;
        while (f[sp] != ' ') {
            assertThat(f[sp]).as("the length is digits").isBetween((byte) '0', (byte) '9');
            sp++;
        }
        assertThat(Integer.parseInt(new String(f, 0, sp, StandardCharsets.US_ASCII))).isEqualTo(f.length - sp - 1);
        assertThat(Arrays.copyOfRange(f, f.length - line.length, f.length)).isEqualTo(line);
        String header = new String(f, sp + 1, f.length - line.length - sp - 1, StandardCharsets.US_ASCII);
        assertThat(header).matches("<(8|9|1[0-5])>1 \\S+ vm [!-~]{1,48} - [!-~]{1,32} \\[rayos@32473 stream=\"00112233aabbccdd\" "
                + "seq=\"" + seq + "\" cat=\"boot\" boot=\"0123456789abcdef0123456789abcdef\"\\] ");
    }

    @Provide
    Arbitrary<Long> seqs() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }
}
