package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.BootId;
import dev.rayos.log.time.LogClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines of several categories with the same time (docs/reading-logs.md, "Order"): they come in the
 * order of their categories' names, each category's in its file's order, whatever the chunks the
 * files are read in, and {@code -f} shows them in the same order as a plain read.
 */
class EqualTimesOrderTest {

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;

    @BeforeEach
    void machine() {
        root = new ReadRoot(dir);
    }

    static String line(long afterT0, String rest) {
        return ReadRoot.utc(T0 + afterT0) + " " + rest;
    }

    private List<String> read(BootCatalog.Entry e, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 2)) {
            r.chunk = chunk;
            r.read(List.of(e), LineFormat.of("raw", out, root.layout, false), false);
        }
        return LogReaderTest.events(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void linesWithTheSameTimeComeInTheOrderOfTheirCategoriesNames() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        // "boot" sorts before "input": at each shared time, boot's lines first
        root.file("input", id.hex() + ".log", ReadRoot.lines(line(S, "INFO input IN1"), line(2 * S, "INFO input IN2")));
        root.file("boot", id.hex() + ".log", ReadRoot.lines(line(S, "INFO kernel BOOT1"), line(2 * S, "INFO kernel BOOT2")));
        assertThat(read(e, LogReader.CHUNK)).containsExactly("BOOT1", "IN1", "BOOT2", "IN2");
    }

    @Test
    void aRunOfOneCategoryStopsAtALineOfAnEarlierCategoryWithTheSameTime() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        // input's lines start first; at time 2 s boot's line goes before input's second line
        root.file("boot", id.hex() + ".log", ReadRoot.lines(line(2 * S, "INFO kernel BOOT2")));
        root.file("input", id.hex() + ".log", ReadRoot.lines(line(S, "INFO input IN1"), line(2 * S, "INFO input IN2"),
                line(2 * S, "INFO input IN2B"), line(3 * S, "INFO input IN3")));
        for (int chunk : new int[] {LogReader.CHUNK, 16}) { // one chunk, or a chunk per line
            assertThat(read(e, chunk)).as("chunk " + chunk).containsExactly("IN1", "BOOT2", "IN2", "IN2B", "IN3");
        }
    }

    @Test
    void aRunOfOneCategoryGoesOnThroughALineOfALaterCategoryWithTheSameTime() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
        root.file("boot", id.hex() + ".log", ReadRoot.lines(line(S, "INFO kernel BOOT1"), line(2 * S, "INFO kernel BOOT2"),
                line(2 * S, "INFO kernel BOOT2B")));
        root.file("input", id.hex() + ".log", ReadRoot.lines(line(2 * S, "INFO input IN2"), line(3 * S, "INFO input IN3")));
        for (int chunk : new int[] {LogReader.CHUNK, 16}) {
            assertThat(read(e, chunk)).as("chunk " + chunk).containsExactly("BOOT1", "BOOT2", "BOOT2B", "IN2", "IN3");
        }
    }

    @Test
    void aFollowerShowsLinesWithTheSameTimeInTheOrderAPlainReadShows() throws Exception {
        Boots boots = new Boots(root.layout, LogClock.system());
        Files.createDirectories(root.layout.historyDir());
        BootRecord b = boots.start(BootMode.NORMAL, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat raw = LineFormat.of("raw", out, root.layout, false);
        try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 2)) {
            LogReader.Position pos = r.read(List.of(new BootCatalog.Entry(b.id(), b)), raw, true);
            root.file("boot", b.id().hex() + ".log", ReadRoot.lines(line(S, "INFO kernel BOOT1"), line(2 * S, "INFO kernel BOOT2")));
            root.file("input", b.id().hex() + ".log", ReadRoot.lines(line(S, "INFO input IN1"), line(2 * S, "INFO input IN2")));
            boolean[] polled = {false};
            r.follow(pos, boots, raw, 1, () -> {
                boolean done = polled[0];
                polled[0] = true;
                return done;
            });
        }
        raw.flush();
        List<String> followed = LogReaderTest.events(out.toString(StandardCharsets.UTF_8));
        assertThat(followed).containsExactly("BOOT1", "IN1", "BOOT2", "IN2");
        assertThat(read(new BootCatalog.Entry(b.id(), b), LogReader.CHUNK)).isEqualTo(followed);
    }
}
