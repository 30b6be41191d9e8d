package dev.rayos.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Proves a contender's files hold exactly the lines logged: every line has the {@link BenchLine}
 * layout, and read oldest file first, each producer's {@code n} runs 0, 1, 2, … to its last
 * without a gap, a duplicate or a reordering. A fast run that lost lines is not a result: any
 * difference throws.
 */
public final class OutputCheck {
    /** What a check found. */
    public record Result(long lines, int files, long largestFile, long bytes) {
        @Override
        public String toString() {
            return lines + " lines, " + bytes + " bytes in " + files + " files (largest " + largestFile + " B)";
        }
    }

    private OutputCheck() {}

    public static Result verify(List<Path> files, int threads, long perThread) throws IOException {
        return verify(files, threads, perThread, "INFO");
    }

    /** {@link #verify(List, int, long)} for lines logged at {@code level} (INFO or ERROR). */
    public static synchronized Result verify(List<Path> files, int threads, long perThread, String level)
            throws IOException {
        long[] next = new long[threads];
        long lines = 0;
        long largest = 0;
        long bytes = 0;
        byte[] line = new byte[4096];
        byte[] head = BenchLine.headBytes(level);
        byte[] fixed = BenchLine.FIXED_BYTES;
        for (Path f : files) {
            chunkPos = 0;
            chunkLen = 0;
            long size = Files.size(f);
            largest = Math.max(largest, size);
            bytes += size;
            long lineNo = 0;
            try (InputStream in = Files.newInputStream(f)) {
                int len = 0;
                int c;
                while ((c = read(in)) >= 0) {
                    if (c != '\n') {
                        if (len == line.length) {
                            throw fail(f, lineNo + 1, "line longer than " + line.length + " bytes", line, 200);
                        }
                        line[len++] = (byte) c;
                        continue;
                    }
                    lineNo++;
                    // <ts:27> HEAD t ' n=' n FIXED
                    int p = BenchLine.TS_LEN;
                    if (len < p + head.length || line[4] != '-' || line[10] != 'T' || line[19] != '.' || line[26] != 'Z'
                            || !Arrays.equals(line, p, p + head.length, head, 0, head.length)) {
                        throw fail(f, lineNo, "not a bench line", line, len);
                    }
                    p += head.length;
                    long t = 0;
                    int start = p;
                    while (p < len && line[p] >= '0' && line[p] <= '9') {
                        t = t * 10 + (line[p++] - '0');
                    }
                    if (p == start || p + 3 > len || line[p] != ' ' || line[p + 1] != 'n' || line[p + 2] != '=') {
                        throw fail(f, lineNo, "no t= n=", line, len);
                    }
                    p += 3;
                    long n = 0;
                    start = p;
                    while (p < len && line[p] >= '0' && line[p] <= '9') {
                        n = n * 10 + (line[p++] - '0');
                    }
                    if (p == start || len - p != fixed.length || !Arrays.equals(line, p, len, fixed, 0, fixed.length)) {
                        throw fail(f, lineNo, "bad n or tail", line, len);
                    }
                    if (t >= threads) {
                        throw fail(f, lineNo, "thread " + t + " of " + threads, line, len);
                    }
                    if (n != next[(int) t]) {
                        throw fail(f, lineNo, "thread " + t + " expected n=" + next[(int) t] + " (a gap, a duplicate or a reordering)", line, len);
                    }
                    next[(int) t]++;
                    lines++;
                    len = 0;
                }
                if (len != 0) {
                    throw fail(f, lineNo + 1, "a last line without a line feed", line, len);
                }
            }
        }
        for (int t = 0; t < threads; t++) {
            if (next[t] != perThread) {
                throw new IllegalStateException("LOST LINES: thread " + t + " has " + next[t] + " of " + perThread
                        + " lines in " + files.size() + " files " + files);
            }
        }
        return new Result(lines, files.size(), largest, bytes);
    }

    private static final byte[] CHUNK = new byte[1 << 20];
    private static int chunkPos;
    private static int chunkLen;

    /** A byte of {@code in} through an unsynchronised buffer (one check runs at a time). */
    private static int read(InputStream in) throws IOException {
        if (chunkPos == chunkLen) {
            chunkLen = in.readNBytes(CHUNK, 0, CHUNK.length);
            chunkPos = 0;
            if (chunkLen == 0) {
                return -1;
            }
        }
        return CHUNK[chunkPos++] & 0xFF;
    }

    private static IllegalStateException fail(Path f, long lineNo, String why, byte[] line, int len) {
        return new IllegalStateException("BAD OUTPUT " + f + ":" + lineNo + ": " + why + ": '"
                + new String(line, 0, Math.min(len, 200), StandardCharsets.UTF_8) + "'");
    }
}
