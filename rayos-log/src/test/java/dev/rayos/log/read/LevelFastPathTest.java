package dev.rayos.log.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.Level;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path of the scanner ({@code LineScanner.plainLines}, with the timestamps {@code UtcStamps}
 * reads) decides only lines the whole loop would have decided the same way: over generated files
 * full of awkward lines, every query and output form gives the same bytes with and without it,
 * whatever the chunk size.
 */
class LevelFastPathTest {
    @TempDir
    Path root;

    private static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT", "EMERG"};
    private static final String[] ODD_LEVELS = {"INF", "INFOO", "info", "WARNING", "WAR", "NOTIC", "TRACEX", "", "E",
        "EMER", "ALERT\r", "INFO\r", "DEBUG\t", "I NFO"};

    /** A timestamp of one of the widths the grammar allows, or mono, or something else. */
    private static String ts(Random r, long i) {
        int k = r.nextInt(20);
        if (k < 3) {
            return "mono:" + (1_000_000 + i * 1000);
        }
        if (k == 3) {
            return r.nextBoolean() ? "2026-13-01T00:00:00Z" : "yesterday";
        }
        long s = i / 1000;
        StringBuilder b = new StringBuilder(String.format("2026-01-01T%02d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60));
        int digits = r.nextInt(10);
        if (digits > 0) {
            b.append('.');
            String f = String.format("%09d", (i % 1000) * 1_000_000 + r.nextInt(1_000_000));
            b.append(f, 0, digits);
        }
        return b.append('Z').toString();
    }

    private static String line(Random r, long i) {
        int k = r.nextInt(100);
        String lvl = k < 85 ? LEVELS[r.nextInt(LEVELS.length)] : k < 93 ? ODD_LEVELS[r.nextInt(ODD_LEVELS.length)] : null;
        if (lvl == null) {
            switch (r.nextInt(6)) {
                case 0: return "";
                case 1: return "\r";
                case 2: return "garbage without a level \u00e9\u0000";
                case 3: return ts(r, i);
                case 4: return ts(r, i) + " ";
                default: return "x".repeat(r.nextInt(300));
            }
        }
        String comp = new String[] {"kernel", "disk", "net", "vm.linux"}[r.nextInt(4)];
        String tail = r.nextInt(10) == 0 ? "" : " EVENT_" + r.nextInt(5) + " n=" + i + " pad=" + "p".repeat(r.nextInt(90))
                + (r.nextInt(15) == 0 ? "\r" : "");
        return ts(r, i) + " " + lvl + (r.nextInt(30) == 0 ? "" : " " + comp + tail);
    }

    private void writeFile(Random r, String category, String name, int lines, long[] clock, boolean partialTail)
            throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            clock[0] += 1 + r.nextInt(2000);
            sb.append(line(r, clock[0])).append('\n');
        }
        if (partialTail) {
            sb.append(line(r, clock[0] + 1)); // no line feed: partial
        }
        Path p = new RootLayout(root).categoryDir(category).resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String read(List<BootCatalog.Entry> boots, LogQuery q, String form, int chunk, boolean fast) throws Exception {
        RootLayout layout = new RootLayout(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat f = LineFormat.of(form, out, layout, boots.size() > 1);
        try (LogReader r = new LogReader(layout, q, 2)) {
            r.chunk = chunk;
            r.fastPath = fast;
            r.read(boots, f, false);
        }
        f.flush();
        return out.toString(StandardCharsets.UTF_8) + "\nskipped " + f.skipped();
    }

    @Test
    void theFastPathOutputsExactlyWhatTheWholeLoopOutputs() throws Exception {
        Random r = new Random(7);
        RootLayout layout = new RootLayout(root);
        List<BootCatalog.Entry> boots = new ArrayList<>();
        long[] clock = {0};
        for (int b = 0; b < 3; b++) {
            BootId id = BootId.random();
            // boot 0 synced its clock (mono lines are placed), boot 1 never did, boot 2 has no history
            BootRecord rec = b == 2 ? null : new BootRecord(id, b, "v", "b", BootMode.NORMAL, 1_000_000, null, false,
                    EndState.CLEAN, -1, null, "x", null);
            if (b == 0) {
                rec = rec.withTimeSync(5_000_000, "2026-01-01T00:00:00Z");
            }
            if (rec != null) {
                AtomicFiles.write(layout.historyFile(id), rec.toJson());
            }
            writeFile(r, "boot", id.hex() + ".1.log", 1000, clock, false);
            writeFile(r, "boot", id.hex() + ".log", 1000, clock, b == 2);
            writeFile(r, "input", id.hex() + ".log", 200, clock, false);
            boots.add(new BootCatalog.Entry(id, rec));
        }
        List<LogQuery> queries = new ArrayList<>();
        for (Level l : Level.values()) {
            queries.add(new LogQuery(l, null, null, null, null, null, null));
        }
        queries.add(new LogQuery(Level.WARN, Set.of("disk"), null, null, null, null, null));
        queries.add(new LogQuery(Level.DEBUG, null, null, null, null, null, null, Level.WARN, null)); // a range
        queries.add(new LogQuery(null, null, null, null, null, 1_767_225_600_000_000_000L + 3_600_000_000_000L, null));
        queries.add(new LogQuery(Level.NOTICE, null, LogQuery.glob("EVENT_?"), null, Pattern.compile("n=1"), null, null));
        queries.add(new LogQuery(Level.ERROR, null, null, Set.of("input"), null, null, null));
        int compared = 0;
        for (LogQuery q : queries) {
            for (String form : new String[] {"raw", "short", "json"}) {
                for (int chunk : form.equals("raw") ? new int[] {97, 4096, 1 << 20} : new int[] {1 << 20}) {
                    String slow = read(boots, q, form, chunk, false);
                    String fast = read(boots, q, form, chunk, true);
                    assertThat(fast).as(q + " " + form + " chunk " + chunk).isEqualTo(slow);
                    compared += slow.length();
                }
            }
        }
        // the files really hold what the comparison is about
        String all = read(boots, new LogQuery(Level.WARN, null, null, null, null, null, null), "raw", 1 << 20, true);
        assertThat(all).contains("!! corrupt line", "!! partial line", " WARN ", " EMERG ", "mono:");
        assertThat(all.lines().filter(l -> !l.startsWith("!! "))).noneMatch(l -> l.contains(" INFO kernel"))
                .anyMatch(l -> l.contains(" ERROR "));
        assertThat(compared).isGreaterThan(100_000);
    }
}
