package dev.rayos.log.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.Vectors;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/status-file-vectors.txt: the status lines a reader takes as reports, and those it refuses. */
class StatusFileVectorsTest {
    static String shown(StatusFile.Report r) {
        LineBuffer ts = new LineBuffer(64);
        LineCodec.appendTimestamp(ts, r.ts());
        return "pid=" + r.pid() + " boot=" + r.boot().hex() + " kind=" + r.kind() + " active=" + (r.active() ? "yes" : "no")
                + " ts=" + ts + " msg=" + r.message();
    }

    @Test
    void everyVectorIsTakenOrRefusedAsTheFileSays() throws Exception {
        List<String[]> cases = new ArrayList<>();
        String in = null;
        for (String l : Vectors.read("status-file-vectors.txt").split("\n", -1)) {
            if (l.startsWith("in: ")) {
                in = l.substring(4);
            } else if (l.startsWith("out: ")) {
                cases.add(new String[] {in, l.substring(5)});
                in = null;
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
        for (String[] c : cases) {
            StatusFile.Report r = StatusFile.report(c[0]);
            assertThat(r == null ? "unreadable" : shown(r)).as(c[0]).isEqualTo(c[1]);
        }
    }
}
