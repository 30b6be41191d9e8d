package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one boot wrote to one category, oldest first: its numbered parts in order, then its active
 * file, read as one stream of bytes (a rotation only moves the stream on to the next file).
 * Recovery reads the end of it to see which of a ring's pending lines already reached the files.
 */
final class BootStream {
    private final List<LogFiles.Segment> segments;
    private final long[] starts;
    private final long size;

    private BootStream(List<LogFiles.Segment> segments) {
        this.segments = segments;
        this.starts = new long[segments.size()];
        long at = 0;
        for (int i = 0; i < segments.size(); i++) {
            starts[i] = at;
            at += segments.get(i).size();
        }
        this.size = at;
    }

    /** The boot's files in {@code category} as they are now. */
    static BootStream of(RootLayout layout, String category, BootId boot) throws IOException {
        List<LogFiles.Segment> mine = new ArrayList<>();
        for (LogFiles.Segment s : LogFiles.segments(layout.categoryDir(category))) {
            if (s.boot().equals(boot.hex())) {
                mine.add(s);
            }
        }
        mine.sort(Comparator.comparing(LogFiles.Segment::order));
        return new BootStream(mine);
    }

    long size() {
        return size;
    }

    /**
     * Where byte {@code offset} of the boot's file with {@code inode} lies in the stream (past its end
     * when the file is shorter), or -1 when no file of the boot has that inode.
     */
    long positionOf(long inode, long offset) throws IOException {
        for (int i = 0; i < segments.size(); i++) {
            LogFiles.Segment s = segments.get(i);
            if (LogFiles.inodeOf(s.path()) == inode) {
                return offset <= s.size() ? starts[i] + offset : size;
            }
        }
        return -1;
    }

    /** The bytes {@code [from, from + max)} of the stream (fewer at its end; a file gone meanwhile reads as nothing). */
    byte[] read(long from, int max) throws IOException {
        ByteBuffer out = ByteBuffer.allocate((int) Math.max(0, Math.min(max, size - from)));
        for (int i = 0; i < segments.size() && out.hasRemaining(); i++) {
            long end = starts[i] + segments.get(i).size();
            if (end <= from + out.position()) {
                continue;
            }
            long pos = from + out.position() - starts[i];
            try (FileChannel ch = FileChannel.open(segments.get(i).path(), StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)) {
                int limit = (int) Math.min(out.remaining(), end - (from + out.position()));
                ByteBuffer part = out.slice().limit(limit);
                while (part.hasRemaining() && ch.read(part, pos + part.position()) > 0) {
                    // fill
                }
                out.position(out.position() + part.position());
                if (part.hasRemaining()) {
                    break; // the file is shorter than it was listed: the stream ends here
                }
            } catch (NoSuchFileException gone) {
                break;
            }
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }
}
