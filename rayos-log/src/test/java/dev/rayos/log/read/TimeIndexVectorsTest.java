package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.Vectors;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/log-times-vectors.txt: what the time index format accepts, refuses, and what each chunk may hold. */
class TimeIndexVectorsTest {
    static final String BOOT = "0123456789abcdef0123456789abcdef";

    record Case(String name, byte[] index, String expect, List<String> windows) {}

    static List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        String name = null;
        StringBuilder index = null;
        String expect = null;
        List<String> windows = null;
        for (String l : Vectors.read("log-times-vectors.txt").split("\n", -1)) {
            if (name == null) {
                if (l.startsWith("case ")) {
                    name = l.substring(5);
                    index = new StringBuilder();
                    windows = new ArrayList<>();
                    expect = null;
                }
            } else if (l.startsWith("#")) {
                continue;
            } else if (l.equals(".")) {
                out.add(new Case(name, index.toString().getBytes(StandardCharsets.US_ASCII), expect, windows));
                name = null;
            } else if (l.startsWith("expect ")) {
                expect = l.substring(7);
            } else if (expect != null) {
                windows.add(l);
            } else {
                index.append(l).append('\n');
            }
        }
        assertThat(name).as("a case without its '.'").isNull();
        return out;
    }

    @Test
    void everyVectorParsesOrFailsAsItSays() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThan(15);
        for (Case c : cases) {
            if (c.expect().equals("ok")) {
                List<TimeIndex.FileTimes> files = TimeIndex.parse(c.index(), BOOT);
                assertThat(new String(TimeIndex.format(files), StandardCharsets.US_ASCII)).as(c.name())
                        .isEqualTo(new String(c.index(), StandardCharsets.US_ASCII));
                for (String w : c.windows()) {
                    String[] t = w.split(" ");
                    Long since = t[1].equals("-") ? null : Long.parseLong(t[1]);
                    Long until = t[2].equals("-") ? null : Long.parseLong(t[2]);
                    BootRecord.TimeSync pair = t[3].equals("-") ? null
                            : new BootRecord.TimeSync(Long.parseLong(t[3]), utc(Long.parseLong(t[4])));
                    StringBuilder got = new StringBuilder("->");
                    for (ChunkTimes ch : files.get(0).chunks()) {
                        got.append(' ').append(ch.mayHold(since, until, pair) ? '1' : '0');
                    }
                    assertThat(got.toString()).as(c.name() + ": " + w).isEqualTo(w.substring(w.indexOf("->")));
                }
            } else {
                assertThat(c.expect()).startsWith("error ");
                assertThatThrownBy(() -> TimeIndex.parse(c.index(), BOOT)).as(c.name())
                        .isInstanceOf(TimeIndexException.class).hasMessageContaining(c.expect().substring(6));
            }
        }
    }

    @Test
    void anIndexCutShortOrHoldingAControlByteIsRefused() throws Exception {
        byte[] ok = cases().get(0).index();
        assertThatThrownBy(() -> TimeIndex.parse(java.util.Arrays.copyOf(ok, ok.length - 1), BOOT))
                .isInstanceOf(TimeIndexException.class).hasMessageContaining("line feed");
        byte[] cr = ok.clone();
        cr[5] = '\r';
        assertThatThrownBy(() -> TimeIndex.parse(cr, BOOT)).isInstanceOf(TimeIndexException.class)
                .hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> TimeIndex.parse(new byte[0], BOOT)).isInstanceOf(TimeIndexException.class);
    }

}
