import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Generates a machine root with BOOTS boots of about MB_PER_BOOT MiB of log lines each (main log in
 * 10 MiB segments, plus a small input category), 5% of lines WARN or worse, with history files.
 * Lines are formatted by the project's LineCodec. Usage: java -cp rayos.jar GenLogs.java ROOT BOOTS MB_PER_BOOT
 */
public class GenLogs {
    public static void main(String[] a) throws Exception {
        RootLayout layout = new RootLayout(Path.of(a[0]));
        int boots = Integer.parseInt(a[1]);
        long perBoot = Long.parseLong(a[2]) << 20;
        Random rnd = new Random(42);
        long t = 1_767_000_000_000_000_000L; // 2025-12-29
        String[] comps = {"kernel", "disk", "net", "vm.linux", "policy", "presentation"};
        String[] levels = {"INFO", "INFO", "DEBUG", "NOTICE"};
        String[] bad = {"WARN", "WARN", "WARN", "ERROR", "CRIT"};
        Files.createDirectories(layout.categoryDir("boot"));
        Files.createDirectories(layout.categoryDir("input"));
        LineBuffer b = new LineBuffer();
        for (int k = 0; k < boots; k++) {
            BootId id = BootId.random();
            long startUtc = t;
            LineBuffer u = new LineBuffer(40);
            LineCodec.appendUtc(u, startUtc / 1000 * 1000);
            BootRecord r = new BootRecord(id, k, "0.1", "bench", BootMode.NORMAL, 1_000_000_000L, u.toString(), true,
                    EndState.CLEAN, -1, null, layout.relative(layout.logFile("boot", id)), null);
            AtomicFiles.write(layout.historyFile(id), r.toJson());
            long written = 0;
            int seg = 1;
            OutputStream in = new BufferedOutputStream(new FileOutputStream(layout.logFile("input", id).toFile()), 1 << 16);
            OutputStream out = null;
            long segBytes = 0;
            long n = 0;
            while (written < perBoot) {
                if (out == null || segBytes >= (10L << 20)) {
                    if (out != null) {
                        out.close();
                    }
                    Path p = written + (10L << 20) >= perBoot ? layout.logFile("boot", id)
                            : layout.categoryDir("boot").resolve(id.hex() + "." + seg++ + ".log");
                    out = new BufferedOutputStream(new FileOutputStream(p.toFile()), 1 << 16);
                    segBytes = 0;
                }
                t += 1000 + rnd.nextInt(50_000);
                b.clear();
                LineCodec.appendUtc(b, t / 1000 * 1000);
                String lvl = rnd.nextInt(100) < 5 ? bad[rnd.nextInt(bad.length)] : levels[rnd.nextInt(levels.length)];
                b.putAscii(" ").putAscii(lvl).putAscii(" ").putAscii(comps[rnd.nextInt(comps.length)])
                        .putAscii(" EVENT_").putDecimal(rnd.nextInt(40)).putAscii(" seq=").putDecimal(n++)
                        .putAscii(" detail=\"something happened here\" value=").putDecimal(rnd.nextInt(1_000_000));
                b.put((byte) '\n');
                boolean toInput = rnd.nextInt(1000) == 0;
                (toInput ? in : out).write(b.array(), 0, b.length());
                if (!toInput) {
                    segBytes += b.length();
                }
                written += b.length();
            }
            if (out != null) {
                out.close(); // none with MB_PER_BOOT 0: history only (start-compare.sh's earlier boots)
            }
            in.close();
            t += 60_000_000_000L;
        }
    }
}
