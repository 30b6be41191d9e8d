package dev.rayos.log.store;

import dev.rayos.log.root.LogFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything a log system did to the disk, in order (ALICE's and CrashMonkey's idea): each write,
 * truncation and fsync of a log file (through {@link RecordingChannel}), the names under
 * {@code logs/} after each (rotations and retention rename and delete), and the ring's mapped
 * pages as the file showed them at each of those moments (the ring is written through a shared
 * mapping, so its file shows every store at once; recording each store would cost the hot path).
 * The test adds the log calls that returned and what each promised.
 */
final class DiskTrace {
    static final int PAGE = 4096;
    /** Events kept at most: a run makes about a thousand; a store writing in a loop is stopped here. */
    static final int MAX_EVENTS = 20_000;

    sealed interface Op permits Write, Truncate, Fsync, Returned {}

    record Write(long inode, long pos, byte[] bytes) implements Op {}

    record Truncate(long inode, long size) implements Op {}

    /** An fsync that returned; {@code content} is what the file held when it began. */
    record Fsync(long inode, byte[] content) implements Op {}

    /** A log call (or flush, {@code n = -1}) that returned; {@code urgent} when it promised durability. */
    record Returned(int n, boolean urgent) implements Op {}

    /** One event: the op, when it happened, and the names under logs/ (relative path to inode) after it. */
    record Event(Op op, long nanos, Map<String, Long> names) {}

    /** One version of a ring page: from event {@code after} on (-1: before any), these bytes. */
    record PageVersion(int after, byte[] bytes) {}

    private final Path root;
    private final Path logs;
    private final List<Event> events = new ArrayList<>();
    private Path ring;
    private List<List<PageVersion>> pages = List.of();
    private int watchedFrom = Integer.MAX_VALUE;
    private volatile boolean on = true;
    private volatile boolean overflowed;

    DiskTrace(Path root, Path logs) {
        this.root = root;
        this.logs = logs;
    }

    /** Installs the recording opener for log files; {@link #close} removes it. */
    void install() {
        CategoryFile.opener = (p, opts) -> {
            FileChannel real = FileChannel.open(p, opts);
            return on ? new RecordingChannel(real, LogFiles.inodeOf(p), this) : real;
        };
    }

    void uninstall() {
        on = false;
        CategoryFile.opener = FileChannel::open;
    }

    /** From now on, the ring's pages are kept at every event. */
    synchronized void watchRing(Path ringFile) throws IOException {
        ring = ringFile;
        watchedFrom = events.size();
        byte[] now = Files.readAllBytes(ringFile);
        pages = new ArrayList<>();
        for (int p = 0; p * PAGE < now.length; p++) {
            List<PageVersion> v = new ArrayList<>();
            v.add(new PageVersion(-1, new byte[PAGE])); // never written back
            v.add(new PageVersion(-1, Arrays.copyOfRange(now, p * PAGE, (p + 1) * PAGE)));
            pages.add(v);
        }
    }

    Path ring() {
        return ring;
    }

    /** The first event whose ring pages are known (events before it came before the ring was watched). */
    synchronized int watchedFrom() {
        return watchedFrom;
    }

    synchronized void write(long inode, long pos, byte[] bytes) {
        add(new Write(inode, pos, bytes));
    }

    synchronized void truncate(long inode, long size) {
        add(new Truncate(inode, size));
    }

    synchronized void fsync(long inode, byte[] content) {
        add(new Fsync(inode, content));
    }

    synchronized void returned(int n, boolean urgent) {
        add(new Returned(n, urgent));
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized List<List<PageVersion>> pages() {
        return pages;
    }

    byte[] contentOf(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) ch.size());
        while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
            // read all
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** True when more than {@link #MAX_EVENTS} happened: the rest were not kept. */
    boolean overflowed() {
        return overflowed;
    }

    private void add(Op op) {
        if (!on) {
            return;
        }
        if (events.size() >= MAX_EVENTS) {
            overflowed = true;
            return;
        }
        int index = events.size();
        events.add(new Event(op, System.nanoTime(), names()));
        if (ring != null && Files.exists(ring)) {
            try (FileChannel ch = FileChannel.open(ring, StandardOpenOption.READ)) {
                byte[] now = contentOf(ch);
                for (int p = 0; p < pages.size() && (p + 1) * PAGE <= now.length; p++) {
                    List<PageVersion> v = pages.get(p);
                    byte[] last = v.get(v.size() - 1).bytes();
                    if (!Arrays.equals(last, 0, PAGE, now, p * PAGE, (p + 1) * PAGE)) {
                        v.add(new PageVersion(index, Arrays.copyOfRange(now, p * PAGE, (p + 1) * PAGE)));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Map<String, Long> names() {
        Map<String, Long> last = null;
        int failed = 0;
        for (int attempt = 0; ; attempt++) {
            try {
                // A listing taken while another thread renames and creates (a rotation) can miss
                // the renamed file or pair a name with its successor's inode: only two listings
                // in a row that agree are taken as the names of a moment.
                Map<String, Long> now = listNames();
                if (now.equals(last) || attempt >= 50) {
                    return now;
                }
                last = now;
            } catch (java.io.UncheckedIOException | IllegalStateException renamedMeanwhile) {
                if (++failed == 5) {
                    throw renamedMeanwhile;
                }
            }
        }
    }

    private Map<String, Long> listNames() {
        Map<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(logs)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(logs)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && p.getFileName().toString().endsWith(".log")) {
                    out.put(root.relativize(p).toString(), LogFiles.inodeOf(p));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
