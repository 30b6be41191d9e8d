package dev.rayos.log.read;

import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A machine root for reader tests: history files written as the boot history writes them, log
 * files written byte for byte, and the real {@link LogReader} reading them into a real form.
 */
final class ReadRoot {
    /** 2026-01-01T00:00:00Z in epoch nanoseconds. */
    static final long T0 = 1_767_225_600_000_000_000L;
    /** A second and a millisecond in nanoseconds. */
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;

    final Path root;
    final RootLayout layout;

    ReadRoot(Path root) {
        this.root = root;
        this.layout = new RootLayout(root);
    }

    /** Writes the record as the boot's history file; its catalog entry. */
    BootCatalog.Entry boot(BootRecord r) throws IOException {
        AtomicFiles.write(layout.historyFile(r.id()), r.toJson());
        return new BootCatalog.Entry(r.id(), r);
    }

    /** A boot that started at mono 1 s without the wall clock and learnt it at mono 5 s as {@code T0}. */
    static BootRecord syncedAtFiveSeconds(BootId id, long seq) {
        return new BootRecord(id, seq, "v", "b", BootMode.NORMAL, 1_000_000_000L, null, false, EndState.RUNNING,
                -1, null, "x", null).withTimeSync(5_000_000_000L, "2026-01-01T00:00:00.000000Z");
    }

    /** A boot that never learnt the wall clock. */
    static BootRecord monoOnly(BootId id, long seq) {
        return new BootRecord(id, seq, "v", "b", BootMode.SAFE, 1_000_000_000L, null, false, EndState.UNCLEAN,
                -1, null, "x", null);
    }

    /** Writes {@code text} as it is (line feeds included) to {@code var/rayos/logs/CATEGORY/FILE}. */
    Path file(String category, String file, String text) throws IOException {
        Path p = layout.categoryDir(category).resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** The lines, each with its line feed. */
    static String lines(String... lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    /** What {@code rayos logs -o FORM} writes for these boots, and the form (for its counts). */
    record Read(byte[] bytes, LineFormat form) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    Read read(List<BootCatalog.Entry> boots, LogQuery q, String form) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineFormat f = LineFormat.of(form, out, layout, boots.size() > 1);
        try (LogReader r = new LogReader(layout, q, 2)) {
            r.read(boots, f, false);
        }
        f.flush();
        return new Read(out.toByteArray(), f);
    }

    String text(List<BootCatalog.Entry> boots, LogQuery q, String form) throws IOException {
        return read(boots, q, form).text();
    }

    /** {@code nanos} as the codec writes a line's UTC timestamp. */
    static String utc(long nanos) {
        LineBuffer b = new LineBuffer(40);
        LineCodec.appendUtc(b, nanos);
        return b.toString();
    }
}
