package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The one way log files are removed (retention, {@code rayos logs --vacuum-*}, {@code rayos
 * repair}), and the record of what was removed that a forwarder needs to count the lines it can no
 * longer send ({@code docs/bridges.md}, "Lost lines"). While a forwarder follows the category (its
 * cursor file exists), each file is counted before it goes and one line is appended, fsync'd, to
 * {@code var/rayos/forward/<category>.removed}:
 *
 * <pre>rayos-removed/1 boot=HEX32 part=N inode=N size=N lines=N crc=HEX8</pre>
 *
 * <p>Appends are single {@code O_APPEND} writes, so processes removing at once never mix their
 * lines. Past 64 KiB the record becomes {@code <category>.removed.old} (replacing the one before),
 * so it keeps the last ~900 removals; a forwarder further behind than that is told its loss could
 * not all be counted. A crash between the record and the removal leaves a record of a file that is
 * still there, which readers ignore (the file is found) or read once (it is removed later and
 * recorded again: the same boot, part and inode).
 */
public final class RemovedFiles {
    /** One removed file: its boot, part number (0: it was the boot's {@code <boot>.log}), inode, size and lines. */
    public record Entry(String boot, int part, long inode, long size, long lines) {}

    static final String MAGIC = "rayos-removed/1";
    static final long ROLL_BYTES = 64 * 1024;
    private static final Pattern LINE = Pattern.compile(MAGIC
            + " boot=([0-9a-f]{32}) part=(0|[1-9][0-9]{0,9}) inode=(0|[1-9][0-9]{0,18}) size=(0|[1-9][0-9]{0,18})"
            + " lines=(0|[1-9][0-9]{0,18}) crc=([0-9a-f]{8})");

    private RemovedFiles() {}

    /**
     * Removes one log file of {@code category} (a link itself, never its target), recording it first
     * when a forwarder follows the category. Returns false when it was already gone.
     */
    public static boolean remove(RootLayout layout, String category, LogFiles.Segment s) throws IOException {
        if (Files.exists(layout.forwardCursor(category), LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(s.path(), LinkOption.NOFOLLOW_LINKS)) {
            long inode = LogFiles.inodeOf(s.path());
            long[] sizeAndLines;
            try {
                sizeAndLines = count(s.path());
            } catch (NoSuchFileException gone) {
                return false;
            }
            append(layout, category, new Entry(s.boot(), s.number(), inode, sizeAndLines[0], sizeAndLines[1]));
        }
        try {
            Files.delete(s.path());
            return true;
        } catch (NoSuchFileException gone) {
            return false; // another process removed it first
        }
    }

    /**
     * The file's size and its lines as a forwarder sends them: each run of bytes between line
     * feeds that is not empty, a last one without its line feed included. Eight bytes at a time: it
     * reads every byte of each file retention removes (while forwarding), on the drainer thread.
     */
    public static long[] count(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            long size = 0;
            long lines = 0;
            boolean afterLf = true; // the start of the file is like the place after a line feed
            int n;
            while ((n = ch.read(buf.clear())) > 0) {
                byte[] b = buf.array();
                size += n;
                lines += linesEnded(b, n, afterLf);
                afterLf = b[n - 1] == '\n';
            }
            return new long[] {size, afterLf ? lines : lines + 1};
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long NL = 0x0A0A0A0A0A0A0A0AL;

    /** The line feeds of {@code b[0, n)} that end a line: those not right after a line feed ({@code afterLf}: b[-1] was one). */
    static long linesEnded(byte[] b, int n, boolean afterLf) {
        long lines = 0;
        boolean prev = afterLf;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NL;
            // the high bit of each byte that was a line feed, exactly (no borrow between bytes)
            long lf = ~(((x & LOW7) + LOW7) | x | LOW7);
            if (lf != 0) {
                long follows = (lf << 8) | (prev ? 0x80L : 0); // a line feed right before each byte
                lines += Long.bitCount(lf) - Long.bitCount(lf & follows);
            }
            prev = lf < 0; // the word's last byte
        }
        for (; i < n; i++) {
            boolean isLf = b[i] == '\n';
            if (isLf && !prev) {
                lines++;
            }
            prev = isLf;
        }
        return lines;
    }

    /** The record line of one removal, its line feed included. */
    public static String encode(Entry e) {
        String body = MAGIC + " boot=" + e.boot() + " part=" + e.part() + " inode=" + e.inode() + " size=" + e.size()
                + " lines=" + e.lines();
        return body + " crc=" + crc(body) + "\n";
    }

    private static void append(RootLayout layout, String category, Entry e) throws IOException {
        Path[] files = layout.removedRecords(category);
        Path record = files[1];
        layout.requireInside(record.getParent());
        try {
            if (Files.size(record) > ROLL_BYTES) {
                Files.move(record, files[0], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException none) {
            // the first removal recorded
        }
        String line = encode(e);
        if (tornTail(record)) {
            line = "\n" + line; // a crash cut the last append: that line stays damaged, this one is whole
        }
        try (FileChannel ch = FileChannel.open(record, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true); // durable before the file goes: a power cut leaves no removal unrecorded
        }
    }

    private static boolean tornTail(Path record) throws IOException {
        try (FileChannel ch = FileChannel.open(record, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            return size > 0 && ch.read(one, size - 1) == 1 && one.get(0) != '\n';
        } catch (NoSuchFileException none) {
            return false;
        }
    }

    /**
     * What was recorded removed in {@code category}, oldest first, each file once (the last record of
     * a boot, part and inode). A damaged record line is skipped and counted in {@link Read#damaged()}.
     */
    public static Read read(RootLayout layout, String category) throws IOException {
        Map<String, Entry> byFile = new LinkedHashMap<>();
        int damaged = 0;
        for (Path f : layout.removedRecords(category)) {
            byte[] data;
            try {
                if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                data = Files.readAllBytes(f);
            } catch (NoSuchFileException gone) {
                continue;
            }
            String text = new String(data, StandardCharsets.US_ASCII);
            int end = text.lastIndexOf('\n');
            for (String l : text.substring(0, end + 1).split("\n")) {
                if (l.isEmpty()) {
                    continue;
                }
                Matcher m = LINE.matcher(l);
                if (!m.matches() || !crc(l.substring(0, l.lastIndexOf(" crc="))).equals(m.group(6))
                        || Long.parseLong(m.group(2)) > Integer.MAX_VALUE) {
                    damaged++;
                    continue;
                }
                Entry e = new Entry(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
                        Long.parseLong(m.group(4)), Long.parseLong(m.group(5)));
                String key = e.boot() + " " + e.part() + " " + e.inode();
                byFile.remove(key);
                byFile.put(key, e);
            }
            if (end + 1 < text.length()) {
                damaged++; // a torn last line: a crash mid-append
            }
        }
        return new Read(List.copyOf(new ArrayList<>(byFile.values())), damaged);
    }

    /** The records read, and how many lines of the record could not be read. */
    public record Read(List<Entry> entries, int damaged) {}

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", c.getValue());
    }
}
