package dev.rayos.log.read;

import static dev.rayos.log.read.ReadRoot.utc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
    static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

    @TempDir
    Path root;


    RootLayout layout() {
        return new RootLayout(root);
    }

    BootCatalog.Entry boot(BootRecord r) throws Exception {
        AtomicFiles.write(layout().historyFile(r.id()), r.toJson());
        return new BootCatalog.Entry(r.id(), r);
    }

    void write(String category, String file, String... lines) throws Exception {
        Path p = layout().categoryDir(category).resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("", Arrays.stream(lines).map(l -> l + "\n").toArray(String[]::new)));
    }

    String read(List<BootCatalog.Entry> boots, LogQuery q, String form) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat f = LineFormat.of(form, out, layout(), boots.size() > 1);
        try (LogReader r = new LogReader(layout(), q, 2)) {
            r.read(boots, f, false);
        }
        f.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    BootRecord wallClockBoot(BootId id, long seq) {
        return new BootRecord(id, seq, "v", "b", BootMode.NORMAL, 1_000, utc(T0), true, EndState.CLEAN, -1, null,
                "x", null);
    }

    @Test
    void linesOfAllCategoriesOfABootComeMergedByTime() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(wallClockBoot(id, 0));
        write("boot", id.hex() + ".1.log", utc(T0 + 1) + " INFO kernel A", utc(T0 + 3) + " INFO kernel C");
        write("boot", id.hex() + ".log", utc(T0 + 5) + " INFO kernel E");
        write("input", id.hex() + ".log", utc(T0 + 2) + " INFO input B", utc(T0 + 4) + " INFO input D");
        String out = read(List.of(e), LogQuery.ALL, "raw");
        assertThat(out.lines().map(l -> l.substring(l.lastIndexOf(' ') + 1))).containsExactly("A", "B", "C", "D", "E");
    }

    @Test
    void monoLinesOfABootThatSyncedLaterAreShownInUtcAsEstimatesAndOrderedAmongUtcLines() throws Exception {
        BootId id = BootId.random();
        // started at mono 1s without a wall clock; at mono 5s the clock became known as T0
        BootRecord r = new BootRecord(id, 0, "v", "b", BootMode.NORMAL, 1_000_000_000L, null, false, EndState.RUNNING,
                -1, null, "x", null).withTimeSync(5_000_000_000L, utc(T0));
        BootCatalog.Entry e = boot(r);
        write("boot", id.hex() + ".log", "mono:2000000000 INFO kernel EARLY",
                "mono:5000000000 NOTICE time RAYOS_TIME_SYNC mono=5000000000 utc=" + utc(T0),
                utc(T0 + 1_000_000_000L) + " INFO kernel LATE");
        // a line of another category, written with UTC, that falls between the two mono lines
        write("input", id.hex() + ".log", utc(T0 - 2_500_000_000L) + " INFO input BETWEEN");
        String out = read(List.of(e), LogQuery.ALL, "short");
        assertThat(out.lines()).containsExactly(
                "~" + utc(T0 - 3_000_000_000L) + " INFO kernel EARLY",
                utc(T0 - 2_500_000_000L) + " INFO input BETWEEN",
                "~" + utc(T0) + " NOTICE time RAYOS_TIME_SYNC mono=5000000000 utc=" + utc(T0),
                utc(T0 + 1_000_000_000L) + " INFO kernel LATE");
        String json = read(List.of(e), LogQuery.ALL, "json");
        assertThat(json.lines().findFirst().orElseThrow()).contains("\"ts\":\"mono:2000000000\"")
                .contains("\"utc\":\"" + utc(T0 - 3_000_000_000L) + "\"").contains("\"estimated\":true")
                .contains("\"boot_id\":\"" + id.hex() + "\"").contains("\"category\":\"boot\"");
    }

    @Test
    void aBootThatNeverSyncedReadsInMono() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(new BootRecord(id, 0, "v", "b", BootMode.SAFE, 10, null, false, EndState.UNCLEAN,
                -1, null, "x", null));
        write("boot", id.hex() + ".log", "mono:30 INFO kernel B", "mono:20 INFO kernel A");
        write("ai", id.hex() + ".log", "mono:25 INFO ai X");
        assertThat(read(List.of(e), LogQuery.ALL, "short").lines())
                .containsExactly("mono:25 INFO ai X", "mono:30 INFO kernel B", "mono:20 INFO kernel A");
        assertThat(read(List.of(e), LogQuery.ALL, "json")).doesNotContain("\"utc\"").contains("\"estimated\":false");
    }

    @Test
    void inABootWithoutAPairUtcLinesComeBeforeTheMonoLinesNoneCanPlace() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(new BootRecord(id, 0, "v", "b", BootMode.SAFE, 10, null, false, EndState.UNCLEAN,
                -1, null, "x", null));
        write("ai", id.hex() + ".log", "mono:5 INFO ai M");
        write("boot", id.hex() + ".log", utc(T0) + " INFO kernel U");
        assertThat(read(List.of(e), LogQuery.ALL, "raw").lines()).containsExactly(utc(T0) + " INFO kernel U", "mono:5 INFO ai M");
    }

    @Test
    void everyFilterKeepsExactlyTheLinesItDescribes() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(wallClockBoot(id, 0));
        write("boot", id.hex() + ".log",
                utc(T0 + 1_000) + " DEBUG kernel TICK n=1",
                utc(T0 + 2_000) + " WARN disk SMART_WARNING dev=/dev/sda",
                utc(T0 + 3_000) + " ERROR kernel OOPS addr=0xdead",
                utc(T0 + 4_000) + " INFO kernel RAYOS_READY mode=bicameral",
                utc(T0 + 5_000) + " CRIT net LINK_DOWN if=eth0 msg=\"disk unrelated\"");
        write("input", id.hex() + ".log", utc(T0 + 2_500) + " WARN input KEY text=[redacted]");
        List<BootCatalog.Entry> b = List.of(e);
        assertThat(events(read(b, q(Level.WARN, null, null, null, null, null, null), "raw")))
                .containsExactly("SMART_WARNING", "KEY", "OOPS", "LINK_DOWN");
        assertThat(events(read(b, q(null, Set.of("kernel"), null, null, null, null, null), "raw")))
                .containsExactly("TICK", "OOPS", "RAYOS_READY");
        assertThat(events(read(b, q(null, null, LogQuery.glob("RAYOS_*"), null, null, null, null), "raw")))
                .containsExactly("RAYOS_READY");
        assertThat(events(read(b, q(null, null, LogQuery.glob("?OOPS"), null, null, null, null), "raw"))).isEmpty();
        assertThat(events(read(b, q(null, null, null, Set.of("input"), null, null, null), "raw")))
                .containsExactly("KEY");
        assertThat(events(read(b, q(null, null, null, null, LogQuery.regex("disk|dead"), null, null), "raw")))
                .containsExactly("SMART_WARNING", "OOPS", "LINK_DOWN");
        assertThat(events(read(b, q(null, null, null, null, null, T0 + 2_500, T0 + 4_000), "raw")))
                .containsExactly("KEY", "OOPS", "RAYOS_READY");
        assertThat(events(read(b, q(Level.ERROR, Set.of("kernel", "net"), null, null, null, null, T0 + 4_000), "raw")))
                .containsExactly("OOPS");
    }

    static LogQuery q(Level l, Set<String> c, Pattern e, Set<String> cat, Pattern g, Long s, Long u) {
        return new LogQuery(l, c, e, cat, g, s, u);
    }

    static List<String> events(String out) {
        List<String> ev = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isEmpty()) {
                ev.add(l.split(" ")[3]);
            }
        }
        return ev;
    }

    @Test
    void corruptAndPartialLinesAreFlaggedInTextAndCountedInJsonWithoutStoppingTheRead() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(wallClockBoot(id, 0));
        Path f = layout().categoryDir("boot").resolve(id.hex() + ".log");
        Files.createDirectories(f.getParent());
        String good1 = utc(T0 + 1) + " INFO kernel ONE";
        String bad = "garbage \u0001 here";
        String good2 = utc(T0 + 2) + " INFO kernel TWO bad=\"unclosed";
        String good3 = utc(T0 + 3) + " INFO kernel THREE";
        String torn = utc(T0 + 4) + " INFO kernel TOR";
        Files.writeString(f, good1 + "\n" + bad + "\n" + good2 + "\n" + good3 + "\n" + torn);
        String raw = read(List.of(e), LogQuery.ALL, "raw");
        assertThat(raw.lines()).hasSize(5);
        assertThat(raw.lines().toList().get(0)).isEqualTo(good1);
        assertThat(raw.lines().toList().get(1)).startsWith("!! corrupt line (column 1: ")
                .contains("var/rayos/logs/boot/" + id.hex() + ".log+" + (good1.length() + 1))
                .contains("garbage \\x01 here");
        assertThat(raw.lines().toList().get(2)).isEqualTo(good2); // raw shows what it cannot fully judge as stored
        assertThat(raw.lines().toList().get(4)).startsWith("!! partial line");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat json = LineFormat.of("json", out, layout(), false);
        try (LogReader r = new LogReader(layout(), LogQuery.ALL, 1)) {
            r.read(List.of(e), json, false);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
        assertThat(json.skipped()).isEqualTo(3);
    }

    @Test
    void aFileWhoseFirstLineStartsWithASpaceIsReadWithThatLineFlaggedCorrupt() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(wallClockBoot(id, 0));
        String good = utc(T0 + 1) + " INFO kernel ONE";
        write("boot", id.hex() + ".log", " x INFO kernel SPACED", good); // the scanner looked at the byte before the file
        String raw = read(List.of(e), LogQuery.ALL, "raw");
        assertThat(raw.lines().toList()).hasSize(2);
        assertThat(raw.lines().toList().get(0)).startsWith("!! corrupt line").contains(" x INFO kernel SPACED");
        assertThat(raw.lines().toList().get(1)).isEqualTo(good);
    }

    @Test
    void chunkBoundariesNeitherLoseNorRepeatALine() throws Exception {
        BootId id = BootId.random();
        BootCatalog.Entry e = boot(wallClockBoot(id, 0));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(utc(T0 + i)).append(i % 7 == 0 ? " WARN" : " INFO").append(" kernel E n=").append(i)
                    .append(" pad=").append("x".repeat(i % 50 + 1)).append('\n');
        }
        Path f = layout().categoryDir("boot").resolve(id.hex() + ".log");
        Files.createDirectories(f.getParent());
        Files.writeString(f, sb.toString());
        for (int chunk : new int[] {97, 1000, 4096, 1 << 20}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (LogReader r = new LogReader(layout(), q(Level.WARN, null, null, null, null, null, null), 2)) {
                r.chunk = chunk;
                r.read(List.of(e), LineFormat.of("raw", out, layout(), false), false);
            }
            String expected = sb.toString().lines().filter(l -> l.contains(" WARN ")).map(l -> l + "\n")
                    .reduce("", String::concat);
            assertThat(out.toString(StandardCharsets.UTF_8)).as("chunk " + chunk).isEqualTo(expected);
        }
    }
}
