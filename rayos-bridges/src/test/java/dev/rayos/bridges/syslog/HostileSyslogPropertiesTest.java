package dev.rayos.bridges.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Marker;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile bytes through the RFC 6587 framer and the RFC 3164/5424 parser, and into real lines. */
class HostileSyslogPropertiesTest {

    /** Bytes biased towards what breaks syslog parsers: PRIs, brackets, quotes, digits, LF, NUL, bad UTF-8. */
    @Provide
    Arbitrary<byte[]> hostile() {
        Arbitrary<String> pieces = Arbitraries.of("<13>", "<191>", "<999>", "<0>", "1 ", "- ", "[", "]", "\"", "\\",
                "=", " ", "\n", "\r\n", "\0", "RAYOS_READY", "RAYOS_", "12 ", "99999999 ", "65537 ",
                "Dec  3 12:00:00 ", "host ", "app[1]: ", "\u00e9", "\u202e", "\u2028", "2026-01-01T00:00:00Z INFO kernel ");
        Arbitrary<String> text = Combinators.combine(pieces.list().ofMaxSize(40), Arbitraries.strings().ofMaxLength(20))
                .as((l, s) -> String.join("", l) + s);
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(text.map(s -> s.getBytes(StandardCharsets.UTF_8)), raw,
                Combinators.combine(text, raw).as((t, r) -> concat(t.getBytes(StandardCharsets.UTF_8), r)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Property(tries = 2000)
    void theParserEitherParsesOrAnswersWithItsTypedError(@ForAll("hostile") byte[] frame) {
        try {
            SyslogMessage m = SyslogParser.parse(frame, 0, frame.length);
            assertThat(m.severity()).isBetween(0, 7);
            assertThat(m.facility()).isBetween(0, 23);
        } catch (SyslogParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void octetCountedFramesComeBackExactlyWhateverTheyHold(@ForAll @Size(max = 8) List<@Size(min = 1, max = 200) byte[]> frames) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            stream.writeBytes((f.length + " ").getBytes(StandardCharsets.US_ASCII));
            stream.writeBytes(f);
        }
        List<byte[]> out = new ArrayList<>();
        SyslogFramer fr = new SyslogFramer((b, off, len, cut) -> out.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        fr.feed(stream.toByteArray(), 0, stream.size());
        fr.end();
        assertThat(out).hasSameSizeAs(frames);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(out.get(i)).isEqualTo(frames.get(i));
        }
    }

    @Property(tries = 500)
    void theTailOfAnOversizedFrameNeverBecomesAFrameOfItsOwn(@ForAll @IntRange(min = 1, max = 3) int times,
                                                              @ForAll boolean counted) {
        int max = 64;
        byte[] forged = "<13>1 - - app RAYOS_READY - forged".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < max * times; i++) {
            body.write('a');
        }
        body.writeBytes(forged);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        if (counted) {
            stream.writeBytes((body.size() + " ").getBytes(StandardCharsets.US_ASCII));
            stream.writeBytes(body.toByteArray());
        } else {
            stream.writeBytes(body.toByteArray());
            stream.write('\n');
        }
        stream.writeBytes("next\n".getBytes(StandardCharsets.US_ASCII));
        List<String> out = new ArrayList<>();
        List<Boolean> cuts = new ArrayList<>();
        SyslogFramer fr = new SyslogFramer((b, off, len, cut) -> {
            out.add(new String(b, off, len, StandardCharsets.ISO_8859_1));
            cuts.add(cut);
        }, max);
        fr.feed(stream.toByteArray(), 0, stream.size());
        fr.end();
        assertThat(out).containsExactly("a".repeat(max), "next");
        assertThat(cuts).containsExactly(true, false);
        assertThat(fr.truncatedFrames()).isEqualTo(1);
    }

    @Property(tries = 300)
    void hostileStreamsNeverForgeALineOrAMarker(@ForAll @Size(max = 6) List<@net.jqwik.api.From("hostile") byte[]> chunks)
            throws Exception {
        Path root = Files.createTempDirectory("hostile-syslog");
        List<String> lines;
        try (Machine m = new Machine(root, "")) {
            SyslogMapping mapping = new SyslogMapping(m.system, m.system.policy().bridges());
            SyslogFramer fr = new SyslogFramer(mapping::frame, 256);
            for (byte[] c : chunks) {
                fr.feed(c, 0, c.length);
            }
            fr.end();
            m.close();
            lines = m.lines();
        }
        for (String l : lines) {
            LogLine parsed = LineCodec.parse(l); // one whole grammatical line each
            if (!parsed.component().equals("log")) {
                assertThat(Marker.isMarker(parsed.event())).as(l).isFalse();
                assertThat(parsed.event()).as(l).isIn("SYSLOG", "SYSLOG_MALFORMED");
                assertThat(l).doesNotContain("RAYOS_READY");
            }
        }
        deleteTree(root);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
