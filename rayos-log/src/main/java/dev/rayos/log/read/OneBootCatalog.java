package dev.rayos.log.read;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog of the one boot a selector names, read without the rest of the history: the current
 * boot, or a boot by its id (or a prefix only one boot has). {@link BootCatalog#load} parses every
 * boot's history file and looks at every log file, which made reading one boot among hundreds cost
 * time in proportion to all of them (docs/PERFORMANCE.md). This reads that boot's history file
 * alone, through the same checks as the whole history ({@link Boots#listOne}), and the names of the
 * directories it needs; it selects the entry the whole catalog would select, and reports the same
 * unreadable directories. Where the answer needs the others (an offset, the latest boot, an error
 * about a boot that is not there), it gives way to the whole catalog.
 */
final class OneBootCatalog {
    private OneBootCatalog() {}

    /** A catalog of the boot {@code sel} names, or empty when the whole catalog is needed to say which. */
    static Optional<BootCatalog> of(RootLayout layout, Boots boots, BootSelector sel) throws IOException {
        Optional<BootId> current = boots.current();
        List<Path> unreadableDirs = new ArrayList<>();
        List<Path> dirs = BootCatalog.categoryDirs(layout, unreadableDirs);
        BootId id;
        if (sel instanceof BootSelector.Current) {
            if (current.isEmpty()) {
                return Optional.empty(); // the latest boot, which only the whole history knows
            }
            id = current.get();
        } else if (sel instanceof BootSelector.IdPrefix) {
            id = onlyCandidate(layout, dirs, ((BootSelector.IdPrefix) sel).prefix());
            if (id == null) {
                return Optional.empty(); // none or several: the whole catalog says which, or why not
            }
        } else {
            return Optional.empty();
        }
        Boots.Listing one = boots.listOne(id);
        BootRecord record = one.boots().isEmpty() ? null : one.boots().get(0);
        Map<String, Long> damagedSeq = new HashMap<>();
        for (Boots.Damaged d : one.damaged()) {
            if (d.id() != null && d.seq() >= 0) {
                damagedSeq.put(d.id().hex(), d.seq());
            }
        }
        // The whole catalog knows a boot by its history, a number still legible in a damaged one, or
        // its log files; the current boot it names in any case.
        boolean known = record != null || !damagedSeq.isEmpty() || sel instanceof BootSelector.Current
                || hasFiles(dirs, id);
        if (!known) {
            return Optional.empty();
        }
        BootCatalog.Entry e = new BootCatalog.Entry(id, record);
        return Optional.of(new BootCatalog(layout, record == null ? List.of() : List.of(e), List.of(e),
                List.copyOf(one.damaged()), current, Map.copyOf(damagedSeq), List.copyOf(unreadableDirs)));
    }

    /**
     * The one boot id starting with {@code prefix} among the history's file names and the log files'
     * names (names only: nothing parsed or looked at), or null when there is none or more than one.
     */
    private static BootId onlyCandidate(RootLayout layout, List<Path> dirs, String prefix) throws IOException {
        if (prefix.length() == 32) {
            return new BootId(prefix);
        }
        Set<String> ids = new LinkedHashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.historyDir())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".json") && BootId.isValid(n.substring(0, n.length() - 5))) {
                    ids.add(n.substring(0, n.length() - 5));
                }
            }
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            // the log files may still name it
        }
        for (Path dir : dirs) {
            for (LogFiles.Segment s : LogFiles.segments(dir, prefix)) {
                ids.add(s.boot());
            }
        }
        return ids.size() == 1 ? new BootId(ids.iterator().next()) : null;
    }

    private static boolean hasFiles(List<Path> dirs, BootId id) throws IOException {
        for (Path dir : dirs) {
            if (!LogFiles.segments(dir, id.hex()).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
