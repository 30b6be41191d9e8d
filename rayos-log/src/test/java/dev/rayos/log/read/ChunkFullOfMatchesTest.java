package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.MS;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.BootId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk holding more matching lines than the reader guessed room for (its guess: a line per 64
 * bytes of the chunk, and 64 KiB of lines under a filter): every line is shown, whole, in order.
 */
class ChunkFullOfMatchesTest {

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;

    @BeforeEach
    void machine() {
        root = new ReadRoot(dir);
    }

    /** {@code n} lines of about 45 bytes, INFO and DEBUG in turn, a millisecond apart. */
    private BootCatalog.Entry bootOfShortLines(int n, List<String> info, List<String> all) throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String level = i % 2 == 0 ? "INFO" : "DEBUG";
            String event = "E" + i;
            b.append(ReadRoot.utc(T0 + i * MS)).append(' ').append(level).append(" k ").append(event).append('\n');
            all.add(event);
            if (level.equals("INFO")) {
                info.add(event);
            }
        }
        assertThat(b.length() / n).isLessThan(64);
        root.file("boot", id.hex() + ".log", b.toString());
        return e;
    }

    @Test
    void aChunkOfLinesShorterThan64BytesShowsEveryLineInOrder() throws Exception {
        List<String> info = new ArrayList<>();
        List<String> all = new ArrayList<>();
        BootCatalog.Entry e = bootOfShortLines(6000, info, all);
        assertThat(LogReaderTest.events(root.text(List.of(e), LogQuery.ALL, "raw"))).isEqualTo(all);
    }

    @Test
    void aFilteredChunkWithMoreThan64KiBOfMatchingLinesShowsThemAll() throws Exception {
        List<String> info = new ArrayList<>();
        List<String> all = new ArrayList<>();
        BootCatalog.Entry e = bootOfShortLines(6000, info, all); // 3000 INFO lines, about 130 KiB
        String out = root.text(List.of(e), new LogQuery(Level.INFO, null, null, null, null, null, null), "raw");
        assertThat(out.length()).isGreaterThan(64 << 10);
        assertThat(LogReaderTest.events(out)).isEqualTo(info);
        assertThat(out.lines()).allMatch(l -> l.matches("\\S+Z INFO k E\\d+"));
    }
}
