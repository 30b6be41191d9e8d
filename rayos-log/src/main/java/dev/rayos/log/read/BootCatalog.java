package dev.rayos.log.read;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The boots a reader can select, in order: those of the history by sequence number, with boots
 * that only left log files (their history file missing or damaged) in their place among them
 * (by the number still legible in a damaged file, else by their oldest file's time). Offsets back
 * from the latest ({@code -b -1}) count history boots only, since only they have a known order;
 * {@code -b N} is the boot numbered N ({@code #N} in headers), a damaged one too when its file still
 * says its number; the others are reached by id or {@code all}.
 */
public final class BootCatalog {
    /** One boot: its record, or null when only its log files are known. */
    public record Entry(BootId id, BootRecord record) {
        /** The pair placing mono times in UTC, or null. */
        public BootRecord.TimeSync clockPair() {
            return record == null ? null : record.clockPair();
        }
    }

    private final RootLayout layout;
    private final List<Entry> history;
    private final List<Entry> all;
    private final List<Boots.Damaged> damaged;
    private final Optional<BootId> current;
    private final Map<String, Long> damagedSeq;
    private final List<Path> unreadableDirs;

    BootCatalog(RootLayout layout, List<Entry> history, List<Entry> all, List<Boots.Damaged> damaged,
                        Optional<BootId> current, Map<String, Long> damagedSeq, List<Path> unreadableDirs) {
        this.damagedSeq = damagedSeq;
        this.unreadableDirs = unreadableDirs;
        this.layout = layout;
        this.history = history;
        this.all = all;
        this.damaged = damaged;
        this.current = current;
    }

    /** Reads the history and the log directories of the machine at {@code layout}. */
    public static BootCatalog load(RootLayout layout, Boots boots) throws IOException {
        Boots.Listing listing = boots.list();
        List<Entry> history = new ArrayList<>();
        Map<String, Entry> byId = new LinkedHashMap<>();
        for (BootRecord r : listing.boots()) {
            Entry e = new Entry(r.id(), r);
            history.add(e);
            byId.put(r.id().hex(), e);
        }
        Map<String, Long> firstSeen = new HashMap<>();
        List<Path> unreadable = new ArrayList<>();
        for (Path dir : categoryDirs(layout, unreadable)) {
            for (LogFiles.Segment s : LogFiles.segments(dir)) {
                firstSeen.merge(s.boot(), s.modified(), Math::min);
            }
        }
        Map<String, Long> damagedSeq = new HashMap<>();
        for (Boots.Damaged d : listing.damaged()) {
            if (d.id() != null && d.seq() >= 0) {
                damagedSeq.put(d.id().hex(), d.seq());
            }
        }
        // Boots known only by their files (history damaged or missing) take their place among the
        // others, not the end: by the sequence number still legible in a damaged file, else by the
        // time of their oldest file against the history boots' oldest files.
        List<String> orphans = new ArrayList<>();
        for (String b : firstSeen.keySet()) {
            if (!byId.containsKey(b)) {
                orphans.add(b);
            }
        }
        for (String b : damagedSeq.keySet()) {
            if (!byId.containsKey(b) && !firstSeen.containsKey(b)) {
                orphans.add(b);
            }
        }
        orphans.sort(java.util.Comparator.<String, Long>comparing(b -> firstSeen.getOrDefault(b, Long.MAX_VALUE))
                .thenComparing(b -> b));
        List<Entry> all = new ArrayList<>(history);
        for (String b : orphans) {
            int at = all.size();
            Long seq = damagedSeq.get(b);
            for (int i = 0; i < all.size(); i++) {
                Entry e = all.get(i);
                boolean after;
                if (seq != null && e.record() != null) {
                    after = e.record().seq() > seq;
                } else {
                    Long t = firstSeen.get(e.id().hex());
                    after = t != null && firstSeen.containsKey(b) && t > firstSeen.get(b);
                }
                if (after) {
                    at = i;
                    break;
                }
            }
            all.add(at, new Entry(new BootId(b), null));
        }
        return new BootCatalog(layout, List.copyOf(history), List.copyOf(all), listing.damaged(), boots.current(),
                Map.copyOf(damagedSeq), List.copyOf(unreadable));
    }

    /**
     * The catalog of the one boot {@code sel} names (the current boot, a boot id or a prefix only
     * one boot has), read without the other boots' history and files: it selects for {@code sel}
     * what {@link #load} would, and says the same of unreadable directories; empty where only the
     * whole catalog can say which boot (see {@link OneBootCatalog}). Its other lists hold that boot alone.
     */
    public static Optional<BootCatalog> ofSelected(RootLayout layout, Boots boots, BootSelector sel) throws IOException {
        return OneBootCatalog.of(layout, boots, sel);
    }

    /**
     * The category directories under {@code var/rayos/logs/}, sorted by name: real directories
     * only (a symbolic link there could lead outside the root), with valid category names, that
     * can be listed (the others are left out: see {@link #unreadableDirs}).
     */
    public static List<Path> categoryDirs(RootLayout layout) throws IOException {
        return categoryDirs(layout, new ArrayList<>());
    }

    /** {@link #categoryDirs(RootLayout)}, adding to {@code unreadable} the directories left out as unreadable. */
    public static List<Path> categoryDirs(RootLayout layout, List<Path> unreadable) throws IOException {
        List<Path> out = new ArrayList<>();
        Path logs = layout.logsDir();
        if (!Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        layout.requireInside(logs);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(logs)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (RootLayout.isCategory(name) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.isReadable(p) && Files.isExecutable(p)) {
                        out.add(p);
                    } else {
                        unreadable.add(p); // the other categories stay readable
                    }
                }
            }
        } catch (NoSuchFileException gone) {
            return out;
        } catch (java.nio.file.AccessDeniedException denied) {
            unreadable.add(logs);
            return out;
        }
        out.sort(null);
        unreadable.sort(null);
        return out;
    }

    /**
     * What a reader could not read, in words, for the commands to say on stderr: history files
     * and directories, log directories ({@code var/rayos/logs/input: permission denied}).
     */
    public List<String> unreadable() {
        List<String> out = new ArrayList<>();
        for (Boots.Damaged d : damaged) {
            if (d.file().equals(layout.historyDir())) {
                out.add(layout.relative(d.file()) + ": " + d.why() + " (boots known by their log files only)");
            }
        }
        for (Path p : unreadableDirs) {
            out.add(layout.relative(p) + ": permission denied");
        }
        return out;
    }

    /** Boots of the history, oldest first. */
    public List<Entry> history() {
        return history;
    }

    /** Every boot: the history's, then those known only by their log files. */
    public List<Entry> all() {
        return all;
    }

    /** History files that could not be read (reported, then skipped). */
    public List<Boots.Damaged> damaged() {
        return damaged;
    }

    public RootLayout layout() {
        return layout;
    }

    /** The entry of a boot id, if the catalog knows it. */
    public Optional<Entry> byId(BootId id) {
        for (Entry e : all) { // a loop: a stream's findFirst spins JDK lambda classes at each start
            if (e.id().equals(id)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /**
     * The boots a selector names, oldest first.
     *
     * @throws ReadQueryException when it names no boot (or, for a prefix, more than one)
     */
    public List<Entry> select(BootSelector sel) throws ReadQueryException {
        if (sel instanceof BootSelector.All) {
            return all;
        }
        if (sel instanceof BootSelector.Current) {
            if (current.isPresent()) {
                Optional<Entry> e = byId(current.get());
                if (e.isPresent()) {
                    return List.of(e.get());
                }
                return List.of(new Entry(current.get(), null));
            }
            if (history.isEmpty()) {
                throw new ReadQueryException("no boots under " + layout.root() + " (start one with 'rayos boot')");
            }
            return List.of(history.get(history.size() - 1));
        }
        if (sel instanceof BootSelector.FromLatest) {
            int back = ((BootSelector.FromLatest) sel).back();
            if (back >= history.size()) {
                throw new ReadQueryException("no boot -" + back + ": the history has " + count(history.size()));
            }
            return List.of(history.get(history.size() - 1 - back));
        }
        if (sel instanceof BootSelector.FromFirst) {
            // by the boot's number (#N is seq N-1), as headers show it: a boot whose history is
            // damaged keeps its number when the file still says it, and never lends it to another
            int idx = ((BootSelector.FromFirst) sel).index();
            for (Entry e : all) {
                Long seq = e.record() != null ? Long.valueOf(e.record().seq()) : damagedSeq.get(e.id().hex());
                if (seq != null && seq == idx - 1L) {
                    return List.of(e);
                }
            }
            throw new ReadQueryException("no boot " + idx + ": the history has " + count(history.size())
                    + (damaged.isEmpty() ? "" : " (and " + damaged.size() + " that cannot be read: reach those by id)"));
        }
        String prefix = ((BootSelector.IdPrefix) sel).prefix();
        List<Entry> found = new ArrayList<>();
        for (Entry e : all) {
            if (e.id().hex().startsWith(prefix)) {
                found.add(e);
            }
        }
        if (found.isEmpty()) {
            throw new ReadQueryException("no boot with id " + prefix + (prefix.length() < 32 ? "…" : "")
                    + " under " + layout.root());
        }
        if (found.size() > 1) {
            throw new ReadQueryException("boot id prefix " + prefix + " is not unique (" + found.size()
                    + " boots: " + found.get(0).id() + ", " + found.get(1).id() + (found.size() > 2 ? ", …" : "")
                    + ")");
        }
        return found;
    }

    /** The offset of a history boot as {@code rayos boots} shows it (0 the latest), or null. */
    public Integer offsetOf(BootId id) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).id().equals(id)) {
                return i - (history.size() - 1);
            }
        }
        return null;
    }

    /** The current boot's id, if one is recorded. */
    public Optional<BootId> current() {
        return current;
    }

    private static String count(int n) {
        return n == 1 ? "1 boot" : n + " boots";
    }
}
