package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.utc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * What the time index promises, on any run of lines (hostile ones among them): when the times
 * measured of a chunk say a window cannot hold a line of it, the scanner shows none of its lines in
 * that window, on either of its paths, with or without a clock pair.
 */
class ChunkTimesPropertiesTest {
    static final long T0 = 1_767_225_600_000_000_000L;

    @Provide
    Arbitrary<List<String>> lines() {
        return new ScannerAgreesWithParserPropertiesTest().lines();
    }

    @Property(tries = 1000)
    void aWindowTheTimesSayCannotHoldALineShowsNone(@ForAll("lines") List<String> lines, @ForAll boolean lastHasLineFeed,
            @ForAll @IntRange(min = 0, max = 4) int mode, @ForAll long a, @ForAll long b, @ForAll boolean withPair,
            @ForAll @IntRange(min = 0, max = 1_000_000) int pairMono) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            all.writeBytes(lines.get(i).getBytes(StandardCharsets.UTF_8));
            if (i < lines.size() - 1 || lastHasLineFeed) {
                all.write('\n');
            }
        }
        byte[] bytes = all.toByteArray();
        ChunkTimes t = ChunkTimes.measure(bytes, 0, bytes.length, bytes.length, new UtcStamps());
        BootRecord.TimeSync pair = withPair ? new BootRecord.TimeSync(pairMono, utc(T0)) : null;
        Long since;
        Long until;
        switch (mode) {
            case 0 -> { // just after the latest UTC time
                since = t.hasUtc() && t.utcMax() < Long.MAX_VALUE ? t.utcMax() + 1 : a;
                until = null;
            }
            case 1 -> { // just before the earliest
                since = null;
                until = t.hasUtc() && t.utcMin() > Long.MIN_VALUE ? t.utcMin() - 1 : a;
            }
            case 2 -> { // between the two ends of the mono times, placed
                since = withPair && t.hasMono() ? T0 + (t.monoMax() - pairMono) + 1 : a;
                until = null;
            }
            default -> {
                since = Math.min(a, b);
                until = Math.max(a, b);
            }
        }
        if (t.mayHold(since, until, pair)) {
            return; // nothing promised
        }
        LogQuery q = new LogQuery(null, null, null, null, null, since, until);
        for (boolean fast : new boolean[] {true, false}) {
            Matches m = new Matches("boot", Path.of("x.log"), 16, 4);
            new LineScanner(q, pair, fast).scan(bytes, 0, bytes.length, bytes.length, 0, true, true, m);
            assertThat(m.count()).as("window %s..%s, times %s", since, until, t).isZero();
        }
    }

}
