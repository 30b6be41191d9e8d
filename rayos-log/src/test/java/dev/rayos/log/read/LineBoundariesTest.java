package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.S;
import static dev.rayos.log.read.ReadRoot.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.line.Level;
import dev.rayos.log.root.BootId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the reader finds the lines of a file, as {@code rayos logs} shows them, on the scanner's fast
 * path and without it: a line starting exactly where a chunk ends is shown once; lines shorter than
 * the eight bytes the scanner looks at together are each shown on their own; a line feed right
 * after a word of capitals ends its line; an empty line is not shown; a line with no timestamp that
 * begins with a level's name is shown flagged under a level filter.
 */
class LineBoundariesTest {

    @TempDir
    java.nio.file.Path dir;
    ReadRoot root;
    BootId id;
    BootCatalog.Entry boot;

    @BeforeEach
    void machine() throws Exception {
        root = new ReadRoot(dir);
        id = BootId.random();
        boot = root.boot(ReadRoot.syncedAtFiveSeconds(id, 0));
    }

    private List<String> read(LogQuery q, int chunk, boolean fast) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogReader r = new LogReader(root.layout, q, 2)) {
            r.chunk = chunk;
            r.fastPath = fast;
            r.read(List.of(boot), LineFormat.of("raw", out, root.layout, false), false);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    static String line(long afterT0, String rest) {
        return ReadRoot.utc(T0 + afterT0) + " " + rest;
    }

    @Test
    void aLineStartingExactlyWhereAChunkEndsIsShownOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(line(i * S, String.format("INFO kernel L%02d pad=%s", i, "p".repeat(10))));
        }
        int length = lines.get(0).length() + 1;
        assertThat(lines).allMatch(l -> l.length() + 1 == length);
        root.file("boot", id.hex() + ".log", ReadRoot.lines(lines.toArray(String[]::new)));
        for (LogQuery q : List.of(LogQuery.ALL, new LogQuery(Level.INFO, null, null, null, null, null, null))) {
            for (int chunk : new int[] {length, 2 * length, 3 * length}) {
                for (boolean fast : new boolean[] {true, false}) {
                    assertThat(read(q, chunk, fast)).as("chunk " + chunk + " fast " + fast).isEqualTo(lines);
                }
            }
        }
    }

    @Test
    void linesShorterThanEightBytesAreEachShownOnTheirOwnAndAnEmptyLineIsNotShown() throws Exception {
        String a = line(S, "INFO kernel A");
        String b = line(2 * S, "INFO kernel B");
        root.file("boot", id.hex() + ".log", ReadRoot.lines(a, "oops", "", "x", b));
        String file = "var/rayos/logs/boot/" + id.hex() + ".log+";
        for (LogQuery q : List.of(LogQuery.ALL, new LogQuery(Level.INFO, null, null, null, null, null, null))) {
            for (boolean fast : new boolean[] {true, false}) {
                List<String> out = read(q, LogReader.CHUNK, fast);
                assertThat(out).as("fast " + fast).hasSize(4);
                assertThat(out.get(0)).isEqualTo(a);
                assertThat(out.get(1)).startsWith("!! corrupt line (").endsWith(" at " + file + (a.length() + 1) + ": oops");
                assertThat(out.get(2)).startsWith("!! corrupt line (").endsWith(" at " + file + (a.length() + 7) + ": x");
                assertThat(out.get(3)).isEqualTo(b);
            }
        }
    }

    @Test
    void aLineFeedRightAfterAWordOfCapitalsEndsItsLine() throws Exception {
        // The line feed is the eighth byte of the word at the line's start, after seven bytes that
        // each share a bit with a line feed (Z is 0x5A, the line feed 0x0A).
        String debug = line(2 * S, "DEBUG kernel HIDDEN");
        String c = line(3 * S, "INFO kernel C");
        root.file("boot", id.hex() + ".log", ReadRoot.lines("ZZZZZZZ", debug, c));
        for (boolean fast : new boolean[] {true, false}) {
            List<String> out = read(new LogQuery(Level.INFO, null, null, null, null, null, null), LogReader.CHUNK, fast);
            assertThat(out).as("fast " + fast).hasSize(2);
            assertThat(out.get(0)).startsWith("!! corrupt line (").endsWith(": ZZZZZZZ");
            assertThat(out.get(1)).isEqualTo(c);
        }
    }

    @Test
    void aPartialLastLineIsShownPartialWhenTheFileReadBeforeItHadALineFeedJustPastIt() throws Exception {
        // One scanning thread reads both files into the same buffer: the older file's line feed
        // lies just past the active file's last byte.
        String a = line(S, "INFO kernel A");
        String partial = line(2 * S, "INFO kernel BEING_WRITTEN");
        int n = a.length() + 1 + partial.length();
        String older = line(0, "INFO kernel OLDER pad=");
        older = older + "p".repeat(n - older.length());
        root.file("boot", id.hex() + ".1.log", ReadRoot.lines(older, line(0, "INFO kernel OLDER2")));
        root.file("boot", id.hex() + ".log", a + "\n" + partial);
        for (boolean fast : new boolean[] {true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogReader r = new LogReader(root.layout, LogQuery.ALL, 1)) {
                r.fastPath = fast;
                r.read(List.of(boot), LineFormat.of("raw", out, root.layout, false), false);
            }
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).as("fast " + fast).hasSize(4);
            assertThat(lines.subList(0, 3)).containsExactly(older, line(0, "INFO kernel OLDER2"), a);
            assertThat(lines.get(3)).startsWith("!! partial line (no line feed yet) at ").endsWith(": " + partial);
        }
    }

    @Test
    void aLineWithNoTimestampThatBeginsWithALevelNameIsShownFlaggedUnderALevelFilter() throws Exception {
        String warn = line(S, "WARN kernel W");
        root.file("boot", id.hex() + ".log", ReadRoot.lines("INFO kernel NO_TIME", warn, "DEBUG kernel NO_TIME_EITHER"));
        for (boolean fast : new boolean[] {true, false}) {
            List<String> out = read(new LogQuery(Level.WARN, null, null, null, null, null, null), LogReader.CHUNK, fast);
            assertThat(out).as("fast " + fast).hasSize(3);
            assertThat(out.get(0)).startsWith("!! corrupt line (").endsWith(": INFO kernel NO_TIME");
            assertThat(out.get(1)).isEqualTo(warn);
            assertThat(out.get(2)).startsWith("!! corrupt line (").endsWith(": DEBUG kernel NO_TIME_EITHER");
        }
    }
}
