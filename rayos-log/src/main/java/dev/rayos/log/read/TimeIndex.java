package dev.rayos.log.read;

import dev.rayos.log.root.LogFileName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The text of a time index file ({@code docs/log-times.md}): for each log file of one boot in one
 * category, what identifies the file as it was measured (inode, size, modification and change
 * times, a checksum of its last bytes) and the {@link ChunkTimes} of each of its chunks. Written
 * and read here, nowhere else; a file that is not exactly this form is refused whole with a
 * {@link TimeIndexException}, and the reader then reads the log files in full.
 */
final class TimeIndex {
    static final String HEADER = "rayos-log-times 1";
    /** The most bytes an index file may hold (a boot's files at the smallest chunk fit many times over). */
    static final int MAX_BYTES = 8 << 20;
    /** The most chunks one file's entry may list. */
    static final int MAX_CHUNKS = 1 << 20;

    private TimeIndex() {}

    /**
     * One log file as it was measured.
     *
     * @param name    its file name ({@link LogFileName})
     * @param tailCrc CRC-32C of its last {@value FileStamp#TAIL} bytes (all of it when shorter)
     * @param chunk   the chunk size the times were measured in
     * @param chunks  the times of the lines starting in each chunk, in order: ceil(size / chunk) of them
     */
    record FileTimes(String name, FileStamp stamp, int chunk, List<ChunkTimes> chunks) {
        FileTimes {
            chunks = List.copyOf(chunks);
        }

        /** The times of all its lines. */
        ChunkTimes whole() {
            ChunkTimes all = ChunkTimes.EMPTY;
            for (ChunkTimes c : chunks) {
                all = all.union(c);
            }
            return all;
        }
    }

    /** The index file's bytes for {@code files} (of one boot, one category). */
    static byte[] format(List<FileTimes> files) {
        StringBuilder s = new StringBuilder(64 + files.size() * 200);
        s.append(HEADER).append('\n');
        for (FileTimes f : files) {
            FileStamp st = f.stamp();
            s.append("file ").append(f.name()).append(' ').append(st.inode()).append(' ').append(st.size()).append(' ')
                    .append(st.mtimeNanos()).append(' ').append(st.ctimeNanos()).append(' ')
                    .append(hex8(st.tailCrc())).append(' ').append(f.chunk()).append(' ').append(f.chunks().size())
                    .append('\n');
            for (ChunkTimes c : f.chunks()) {
                s.append("chunk ");
                range(s, c.hasUtc(), c.utcMin(), c.utcMax());
                s.append(' ');
                range(s, c.hasMono(), c.monoMin(), c.monoMax());
                s.append(' ').append(c.unplaced() ? '1' : '0').append('\n');
            }
        }
        byte[] body = s.toString().getBytes(StandardCharsets.US_ASCII);
        String end = "end " + hex8(crc(body, body.length)) + "\n";
        byte[] out = new byte[body.length + end.length()];
        System.arraycopy(body, 0, out, 0, body.length);
        System.arraycopy(end.getBytes(StandardCharsets.US_ASCII), 0, out, body.length, end.length());
        return out;
    }

    private static void range(StringBuilder s, boolean has, long min, long max) {
        if (has) {
            s.append(min).append(' ').append(max);
        } else {
            s.append("- -");
        }
    }

    /**
     * Reads an index file of boot {@code boot} (32 hex digits).
     *
     * @throws TimeIndexException saying the first thing wrong, and on which line
     */
    static List<FileTimes> parse(byte[] b, String boot) throws TimeIndexException {
        if (b.length > MAX_BYTES) {
            throw new TimeIndexException("longer than " + MAX_BYTES + " bytes", 0);
        }
        if (b.length == 0 || b[b.length - 1] != '\n') {
            throw new TimeIndexException("does not end with a line feed (cut short?)", 0);
        }
        int endLine = b.length - 1;
        while (endLine > 0 && b[endLine - 1] != '\n') {
            endLine--;
        }
        for (byte x : b) {
            if (x < 0x20 && x != '\n' || x >= 0x7F) {
                throw new TimeIndexException("holds a byte that is not printable ASCII", 0);
            }
        }
        String[] lines = new String(b, 0, b.length - 1, StandardCharsets.US_ASCII).split("\n", -1);
        String last = lines[lines.length - 1];
        if (!last.equals("end " + hex8(crc(b, endLine)))) {
            throw new TimeIndexException("its last line is not 'end' and the checksum of the lines above", lines.length);
        }
        if (!lines[0].equals(HEADER)) {
            throw new TimeIndexException("does not start with '" + HEADER + "'", 1);
        }
        List<FileTimes> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 1;
        while (i < lines.length - 1) {
            String[] t = lines[i].split(" ", -1);
            if (t.length != 9 || !t[0].equals("file")) {
                throw new TimeIndexException("expected 'file NAME INODE SIZE MTIME CTIME TAILCRC CHUNK COUNT'", i + 1);
            }
            Optional<LogFileName> name = LogFileName.parse(t[1]);
            if (name.isEmpty() || !name.get().boot().equals(boot)) {
                throw new TimeIndexException("not a log file name of boot " + boot, i + 1);
            }
            if (!names.add(t[1])) {
                throw new TimeIndexException("a second entry for " + t[1], i + 1);
            }
            long inode = number(t[2], 0, i);
            long size = number(t[3], 0, i);
            FileStamp stamp = new FileStamp(inode, size, number(t[4], Long.MIN_VALUE, i), number(t[5], Long.MIN_VALUE, i),
                    crcOf(t[6], i));
            long chunk = number(t[7], 1, i);
            long count = number(t[8], 0, i);
            if (chunk > Integer.MAX_VALUE || count != (size + chunk - 1) / chunk || count > MAX_CHUNKS) {
                throw new TimeIndexException("chunk count is not the file size over the chunk size, rounded up", i + 1);
            }
            if (i + 1 + count > lines.length - 1) {
                throw new TimeIndexException("fewer chunk lines than the file's count", lines.length);
            }
            List<ChunkTimes> chunks = new ArrayList<>((int) count);
            for (int k = 0; k < count; k++) {
                chunks.add(chunkLine(lines[i + 1 + k], i + 1 + k));
            }
            out.add(new FileTimes(t[1], stamp, (int) chunk, chunks));
            i += 1 + (int) count;
        }
        return out;
    }

    private static ChunkTimes chunkLine(String line, int i) throws TimeIndexException {
        String[] t = line.split(" ", -1);
        if (t.length != 6 || !t[0].equals("chunk") || !(t[5].equals("0") || t[5].equals("1"))) {
            throw new TimeIndexException("expected 'chunk UTCMIN UTCMAX MONOMIN MONOMAX 0|1'", i + 1);
        }
        long[] r = new long[4];
        for (int k = 0; k < 4; k += 2) {
            boolean none = t[1 + k].equals("-");
            if (none != t[2 + k].equals("-")) {
                throw new TimeIndexException("a range with one end left out", i + 1);
            }
            if (none) {
                r[k] = Long.MAX_VALUE;
                r[k + 1] = Long.MIN_VALUE;
                continue;
            }
            r[k] = number(t[1 + k], Long.MIN_VALUE, i);
            r[k + 1] = number(t[2 + k], Long.MIN_VALUE, i);
            if (r[k] > r[k + 1]) {
                throw new TimeIndexException("a range whose least time is after its greatest", i + 1);
            }
        }
        return new ChunkTimes(r[0], r[1], r[2], r[3], t[5].equals("1"));
    }

    /** A decimal number as {@link Long#toString} writes it, at least {@code min}. */
    private static long number(String s, long min, int i) throws TimeIndexException {
        boolean neg = s.startsWith("-");
        String digits = neg ? s.substring(1) : s;
        if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                || (digits.length() > 1 && digits.charAt(0) == '0') || (neg && digits.equals("0"))) {
            throw new TimeIndexException("'" + s + "' is not a decimal number", i + 1);
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new TimeIndexException("'" + s + "' is out of range", i + 1);
        }
        if (v < min) {
            throw new TimeIndexException("'" + s + "' is below " + min, i + 1);
        }
        return v;
    }

    private static int crcOf(String s, int i) throws TimeIndexException {
        if (s.length() != 8 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new TimeIndexException("'" + s + "' is not 8 lower-case hex digits", i + 1);
        }
        return (int) Long.parseLong(s, 16);
    }

    static String hex8(int v) {
        String h = Integer.toHexString(v);
        return "00000000".substring(h.length()) + h;
    }

    static int crc(byte[] b, int len) {
        CRC32C c = new CRC32C();
        c.update(b, 0, len);
        return (int) c.getValue();
    }
}
