package dev.rayos.log.boot;

import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BuildInfo;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.AtomicFiles;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The boots of a machine (spec §6): {@code var/rayos/boot/current_boot_id} and one history file per
 * boot. Changes happen under {@code var/rayos/boot/.lock} and every file is replaced atomically, so
 * two processes starting or ending boots at once cannot tear them.
 */
public final class Boots {
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    /**
     * A history file that could not be read, with why (reported, then skipped), and the sequence
     * number still legible in it (-1 when none): a damaged boot keeps its place and its number.
     */
    public record Damaged(Path file, String why, long seq) {
        Damaged(Path file, String why) {
            this(file, why, -1);
        }

        /** The boot id of the file's name, or null when the name is not one. */
        public BootId id() {
            String n = file.getFileName().toString();
            String id = n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
            return BootId.isValid(id) ? new BootId(id) : null;
        }
    }

    private static final java.util.regex.Pattern SEQ = java.util.regex.Pattern.compile("\"seq\"\\s*:\\s*([0-9]{1,18})");

    private static long legibleSeq(byte[] b) {
        java.util.regex.Matcher m = SEQ.matcher(new String(b, 0, Math.min(b.length, 1 << 16), StandardCharsets.ISO_8859_1));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The readable boots, oldest first, and the damaged files. */
    public record Listing(List<BootRecord> boots, List<Damaged> damaged) {}

    private final RootLayout layout;
    private final LogClock clock;

    public Boots(RootLayout layout, LogClock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    /**
     * The current boot, if one was started and its id file is intact (and readable: an unreadable
     * one is damage, {@link #currentDamage()} says so).
     */
    public Optional<BootId> current() throws IOException {
        try {
            byte[] b = Files.readAllBytes(layout.currentBootIdFile());
            String s = new String(b, StandardCharsets.US_ASCII).trim();
            return BootId.isValid(s) ? Optional.of(new BootId(s)) : Optional.empty();
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            return Optional.empty();
        }
    }

    /**
     * What is wrong with {@code current_boot_id} when it exists but names no boot id (a torn or
     * foreign write), e.g. {@code "holds 'xyz'"}; empty when it is absent or intact.
     */
    public Optional<String> currentDamage() throws IOException {
        try {
            byte[] b = Files.readAllBytes(layout.currentBootIdFile());
            String s = new String(b, StandardCharsets.US_ASCII).trim();
            if (BootId.isValid(s)) {
                return Optional.empty();
            }
            String shown = LineCodec.printable(s.length() > 40 ? s.substring(0, 40) + "…" : s);
            return Optional.of(layout.relative(layout.currentBootIdFile()) + " is damaged (it holds '" + shown
                    + "', not a boot id)");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.file.AccessDeniedException e) {
            return Optional.of(layout.relative(layout.currentBootIdFile()) + " cannot be read (permission denied)");
        }
    }

    /**
     * Starts a new boot: a boot still running is marked unclean (every one, should
     * {@code current_boot_id} be damaged and not say which), the new one gets the next sequence
     * number, its history file and {@code current_boot_id} are written atomically.
     */
    public BootRecord start(BootMode mode, boolean wallClock) throws IOException {
        return locked(() -> {
            Optional<BootId> prev = current();
            if (prev.isPresent()) {
                Optional<BootRecord> pr = readQuietly(prev.get());
                if (pr.isPresent() && pr.get().end() == EndState.RUNNING) {
                    write(pr.get().withEnd(EndState.UNCLEAN, -1, null));
                }
            }
            // Damaged files count too: their number, where legible, and at least one each, so a
            // damaged boot's number is never given to another boot.
            Listing all = list();
            for (BootRecord r : all.boots()) {
                if (r.end() == EndState.RUNNING && !(prev.isPresent() && prev.get().equals(r.id()))) {
                    // only one boot runs at a time: one still "running" never recorded its end
                    write(r.withEnd(EndState.UNCLEAN, -1, null));
                }
            }
            all = list();
            long seq = all.boots().size() + all.damaged().size();
            for (BootRecord r : all.boots()) {
                seq = Math.max(seq, r.seq() + 1);
            }
            for (Damaged d : all.damaged()) {
                seq = Math.max(seq, d.seq() + 1);
            }
            BootId id = BootId.random();
            BootRecord rec = new BootRecord(id, seq, BuildInfo.version(), BuildInfo.buildId(), mode,
                    clock.monoNanos(), wallClock ? utcNow() : null, wallClock, EndState.RUNNING, -1, null,
                    layout.relative(layout.logFile("boot", id)), null);
            write(rec);
            AtomicFiles.write(layout.currentBootIdFile(), (id.hex() + "\n").getBytes(StandardCharsets.US_ASCII));
            return rec;
        });
    }

    /** Records how a boot ended (clean shutdown, crash, watchdog). */
    public BootRecord end(BootId id, EndState state) throws IOException, BootHistoryException {
        try {
            return locked(() -> {
                BootRecord r = readRaw(id);
                BootRecord ended = r.withEnd(state, clock.monoNanos(), utcNow());
                write(ended);
                return ended;
            });
        } catch (WrappedHistory w) {
            throw w.cause;
        }
    }

    /** Updates one boot's record under the lock (crash path, markers). */
    public BootRecord update(BootId id, java.util.function.UnaryOperator<BootRecord> change)
            throws IOException, BootHistoryException {
        try {
            return locked(() -> {
                BootRecord r = change.apply(readRaw(id));
                write(r);
                return r;
            });
        } catch (WrappedHistory w) {
            throw w.cause;
        }
    }

    /**
     * Records that the wall clock became known in boot {@code id}: the pair (CLOCK_MONOTONIC, UTC)
     * read at one instant, and that lines carry UTC from now on ({@code wall_clock} true).
     */
    public BootRecord timeSync(BootId id, long mono, String utc) throws IOException, BootHistoryException {
        BootRecord.utcNanosOf(utc); // a bad time fails here, before the lock
        return update(id, r -> r.withTimeSync(mono, utc));
    }

    /** Records that boot {@code id} reached marker {@code name} (its first time only; see {@link BootRecord#withMarker}). */
    public BootRecord recordMarker(BootId id, String name, long mono, String utc)
            throws IOException, BootHistoryException {
        return update(id, r -> r.withMarker(name, mono, utc));
    }

    /** Reads one boot's record. */
    public BootRecord read(BootId id) throws IOException, BootHistoryException {
        try {
            return readRaw(id);
        } catch (WrappedHistory w) {
            throw w.cause;
        }
    }

    private BootRecord readRaw(BootId id) throws IOException {
        Path f = layout.historyFile(id);
        try {
            return BootRecord.fromJson(Files.readAllBytes(f));
        } catch (BootHistoryException e) {
            throw new WrappedHistory(new BootHistoryException(layout.relative(f) + ": " + e.getMessage()));
        }
    }

    private Optional<BootRecord> readQuietly(BootId id) throws IOException {
        try {
            return Optional.of(readRaw(id));
        } catch (NoSuchFileException | WrappedHistory e) {
            return Optional.empty();
        }
    }

    /** Every boot in the history, oldest first; damaged files are listed apart, never fatal. */
    public Listing list() throws IOException {
        List<BootRecord> boots = new ArrayList<>();
        List<Damaged> damaged = new ArrayList<>();
        Path dir = layout.historyDir();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                readListed(p, boots, damaged);
            }
        } catch (NoSuchFileException none) {
            // no boots yet
        } catch (java.nio.file.AccessDeniedException denied) {
            damaged.add(new Damaged(dir, "permission denied")); // the boots are still known by their log files
        }
        // not Comparator.comparingLong(…).thenComparing(…): see CategoryFile.overCap
        boots.sort((a, b) -> a.seq() != b.seq() ? Long.compare(a.seq(), b.seq()) : a.id().hex().compareTo(b.id().hex()));
        return new Listing(boots, damaged);
    }

    /**
     * The history of one boot as {@link #list()} reads it, for a reader of that boot alone: its record,
     * or its file among the damaged (the history directory too, when it cannot be listed); both empty
     * when it has no history file. Reads no other boot's file.
     */
    public Listing listOne(BootId id) throws IOException {
        List<BootRecord> boots = new ArrayList<>();
        List<Damaged> damaged = new ArrayList<>();
        Path dir = layout.historyDir();
        try (DirectoryStream<Path> ignored = Files.newDirectoryStream(dir)) {
            // opened, not read: whether list() could list it
        } catch (NoSuchFileException none) {
            return new Listing(boots, damaged);
        } catch (java.nio.file.AccessDeniedException denied) {
            damaged.add(new Damaged(dir, "permission denied"));
        }
        Path p = layout.historyFile(id);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            readListed(p, boots, damaged);
        }
        return new Listing(boots, damaged);
    }

    /** Reads the history file {@code p} into {@code boots}, or says in {@code damaged} why it cannot. */
    private static void readListed(Path p, List<BootRecord> boots, List<Damaged> damaged) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - ".json".length());
        if (!BootId.isValid(id) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            damaged.add(new Damaged(p, "not a boot history file name"));
            return;
        }
        byte[] b = null;
        try {
            b = Files.readAllBytes(p);
            if (b.length > 1 << 20) {
                damaged.add(new Damaged(p, "larger than 1 MiB"));
                return;
            }
            BootRecord r = BootRecord.fromJson(b);
            if (!r.id().hex().equals(id)) {
                damaged.add(new Damaged(p, "holds boot id " + r.id() + ", not the one of its name"));
                return;
            }
            boots.add(r);
        } catch (BootHistoryException e) {
            damaged.add(new Damaged(p, e.getMessage(), legibleSeq(b)));
        } catch (java.nio.file.AccessDeniedException e) {
            damaged.add(new Damaged(p, "permission denied")); // the other boots stay readable
        } catch (NoSuchFileException gone) {
            // removed since the listing
        } catch (IOException e) {
            damaged.add(new Damaged(p, "cannot be read: " + e.getMessage()));
        }
    }

    private void write(BootRecord r) throws IOException {
        AtomicFiles.write(layout.historyFile(r.id()), r.toJson());
    }

    private String utcNow() {
        return LineCodec.utcNow(clock);
    }

    private interface Work<T> {
        T run() throws IOException;
    }

    /** A {@link BootHistoryException} carried through {@link Work}. */
    private static final class WrappedHistory extends IOException {
        final BootHistoryException cause;

        WrappedHistory(BootHistoryException cause) {
            super(cause.getMessage(), cause);
            this.cause = cause;
        }
    }

    private <T> T locked(Work<T> w) throws IOException {
        Path dir = layout.bootDir();
        Files.createDirectories(dir);
        layout.requireInside(dir);
        JVM_LOCK.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileLock ignored = ch.lock()) {
            return w.run();
        } finally {
            JVM_LOCK.unlock();
        }
    }
}
