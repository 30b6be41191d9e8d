package dev.rayos.log.read;

import dev.rayos.log.root.BootId;
import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and opens the files of one boot in one category, oldest first, for a read or a poll, while
 * writers may be rotating them. A file that vanished since its listing is skipped; one that cannot
 * be read is skipped and told to {@code problems}, once, so the rest is still read.
 */
final class BootFiles {
    private final RootLayout layout;
    private final LogQuery query;
    private final Set<String> problems;

    BootFiles(RootLayout layout, LogQuery query, Set<String> problems) {
        this.layout = layout;
        this.query = query;
        this.problems = problems;
    }

    /** The categories to read: all directories, or those the query names. */
    List<Path> categories() throws IOException {
        List<Path> dirs = BootCatalog.categoryDirs(layout); // unreadable ones left out (BootCatalog.unreadable says)
        if (query.categories() == null) {
            return dirs;
        }
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (query.categories().contains(d.getFileName().toString())) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * Opens the files of {@code boot} in {@code dir}, each also added to {@code opened} (the caller
     * closes what is there, whatever happens), from a listing of {@code dir} grouped by boot taken
     * once for many boots, or listed now when {@code listing} is null. Listed now, the files opened
     * are checked against a second listing: a rotation in between (the active file renamed to a new
     * part, a new active file made) would have the new active file read before the rest of the
     * renamed one, so the lines came out of order; then it is done again.
     */
    List<Seg> open(Path dir, BootId boot, List<Seg> opened, Map<String, List<LogFiles.Segment>> listing)
            throws IOException {
        if (listing != null) {
            return openListed(dir, listing.getOrDefault(boot.hex(), List.of()), opened);
        }
        for (int attempt = 0; ; attempt++) {
            List<LogFiles.Segment> segs = listOf(dir, boot);
            int mark = opened.size();
            List<Seg> out = openListed(dir, segs, opened);
            Set<Path> before = new HashSet<>();
            segs.forEach(x -> before.add(x.path()));
            boolean rotated = listOf(dir, boot).stream().anyMatch(x -> !before.contains(x.path()));
            if (!rotated || attempt == 4) {
                return out; // (after five rotations in a row, the next poll puts the rest in order)
            }
            while (opened.size() > mark) {
                opened.remove(opened.size() - 1).ch.close();
            }
        }
    }

    private static List<LogFiles.Segment> listOf(Path dir, BootId boot) throws IOException {
        List<LogFiles.Segment> segs = new ArrayList<>();
        for (LogFiles.Segment s : LogFiles.segments(dir, boot.hex())) {
            if (s.boot().equals(boot.hex())) {
                segs.add(s);
            }
        }
        return segs;
    }

    /** Opens the listed segments, oldest first (a file that vanished since is skipped). */
    private List<Seg> openListed(Path dir, List<LogFiles.Segment> listed, List<Seg> opened) throws IOException {
        List<LogFiles.Segment> segs = new ArrayList<>(listed);
        segs.sort((a, b) -> a.order().compareTo(b.order())); // not Comparator.comparing: see CategoryFile.overCap
        List<Seg> out = new ArrayList<>();
        String cat = dir.getFileName().toString();
        for (LogFiles.Segment s : segs) {
            // The inode before and after opening agree: the channel is that file, even if a
            // rotation renames it a moment later (the follower tracks files by inode).
            for (int attempt = 0; attempt < 3; attempt++) {
                long before = LogFiles.inodeOf(s.path());
                if (before < 0) {
                    break; // rotated or retained away since the listing
                }
                FileChannel ch;
                try {
                    ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    break;
                } catch (AccessDeniedException denied) {
                    problems.add(layout.relative(s.path()) + ": permission denied");
                    break;
                }
                try {
                    long size = ch.size();
                    if (LogFiles.inodeOf(s.path()) != before) {
                        ch.close();
                        continue;
                    }
                    Seg seg = new Seg(cat, s.path(), ch, size, before);
                    opened.add(seg);
                    out.add(seg);
                    break;
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
            }
        }
        return out;
    }

    /** Closes what a read or a poll opened (read-only: nothing is lost when a close fails). */
    static void closeAll(List<Seg> opened) {
        for (Seg s : opened) {
            try {
                s.ch.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }
}
