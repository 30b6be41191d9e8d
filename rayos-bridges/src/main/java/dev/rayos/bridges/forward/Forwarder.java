package dev.rayos.bridges.forward;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.Logger;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Sends every line of the machine's log files to a syslog collector as RFC 5424 with octet
 * counting, in order per category, from a durable cursor per category ({@code docs/bridges.md},
 * "Forwarding"). The files are the queue: nothing is copied. At least once: the cursor is written
 * (fsync'd) after the bytes were handed to the kernel, and after a broken connection the last
 * {@link Config#replayWindow()} bytes are sent again, with the same sequence numbers.
 */
public final class Forwarder implements AutoCloseable {
    /** What to connect to and how. */
    public record Config(URI target, Path caFile, String hostname, long replayWindow, long maxBackoffMillis) {
        /** Defaults: 8 MiB replayed after a break, retries backing off up to 5 s. */
        public static Config of(URI target, Path caFile, String hostname) {
            return new Config(target, caFile, hostname, 8L << 20, 5000);
        }
    }

    /** What one call sent. */
    public record Sent(long lines, long bytes, long lostFiles) {}

    private record Checkpoint(ForwardCursor cursor, long at) {}

    private static final int CHUNK = 256 * 1024;
    private final RootLayout layout;
    private final Config config;
    private final Logger events;
    private final CursorStore store;
    private final Map<String, ForwardCursor> cursors = new HashMap<>();
    /** Per category, the cursors of this connection back to one a replay window before its end. */
    private final Map<String, ArrayDeque<Checkpoint>> window = new HashMap<>();
    private final ByteArrayOutputStream frames = new ByteArrayOutputStream(CHUNK * 2);
    private final byte[] chunk = new byte[CHUNK];
    private Collector collector;
    private long connectionBytes;
    private long lines;
    private long bytes;
    private long lost;

    /** @param events where the forwarder's own events go ({@code FORWARD_*}, {@code RAYOS_FORWARD_LOST}); null for none */
    public Forwarder(RootLayout layout, Config config, Logger events) {
        this.layout = layout;
        this.config = config;
        this.events = events;
        this.store = new CursorStore(layout);
    }

    /**
     * Sends what the files hold now, then returns.
     *
     * @throws IOException when the collector cannot be reached or breaks off (the cursors stand where it did)
     * @throws CursorException when a cursor file is damaged (nothing of that category is sent)
     */
    public Sent once() throws IOException, CursorException {
        long l0 = lines;
        long b0 = bytes;
        long x0 = lost;
        try {
            pass();
        } catch (IOException e) {
            broken();
            throw e;
        }
        return new Sent(lines - l0, bytes - b0, lost - x0);
    }

    /**
     * Forwards until {@code stop} says so: new lines within {@code pollMillis}; a refused or broken
     * connection is retried, backing off from 100 ms to {@link Config#maxBackoffMillis()}.
     */
    public void run(BooleanSupplier stop, long pollMillis) throws CursorException, InterruptedException {
        long backoff = 100;
        boolean down = false;
        while (!stop.getAsBoolean()) {
            try {
                long before = lines;
                pass();
                if (down && events != null) {
                    events.notice("FORWARD_UP").kv("target", config.target().toString()).log();
                }
                down = false;
                backoff = 100;
                if (lines == before) {
                    Thread.sleep(pollMillis);
                }
            } catch (IOException e) {
                broken();
                if (!down && events != null) {
                    events.warn("FORWARD_DOWN").kv("target", config.target().toString())
                            .kv("error", String.valueOf(e.getMessage())).log();
                }
                down = true;
                Thread.sleep(backoff);
                backoff = Math.min(config.maxBackoffMillis(), backoff * 2);
            }
        }
    }

    /** Lines and bytes sent since this forwarder was made; files reported lost. */
    public Sent total() {
        return new Sent(lines, bytes, lost);
    }

    private void pass() throws IOException, CursorException {
        Map<String, Integer> order = CategoryStream.bootOrder(layout);
        for (Path dir : BootCatalog.categoryDirs(layout)) {
            String category = dir.getFileName().toString();
            ForwardCursor c = cursor(category);
            List<CategoryStream.Seg> segs = CategoryStream.list(dir, order);
            CategoryStream.Position p = CategoryStream.locate(segs, c, order);
            if (p.lostFiles() > 0) {
                reportLost(category, c, segs, p);
            }
            int i = p.index();
            long offset = p.offset();
            while (i < segs.size()) {
                CategoryStream.Seg s = segs.get(i);
                boolean last = i == segs.size() - 1;
                long next = sendFrom(category, s, offset, last);
                if (next < 0 || (last && next == offset)) {
                    break; // the file went away meanwhile (next pass finds where), or nothing new
                }
                if (next == offset) {
                    i++; // this file is done and another follows: stand at its start
                    offset = 0;
                    if (i < segs.size()) {
                        CategoryStream.Seg n = segs.get(i);
                        commit(category, cursors.get(category).at(n.boot(), n.ordinal(), n.inode(), 0, cursors.get(category).seq()), 0);
                    }
                } else {
                    offset = next;
                }
            }
        }
    }

    private void reportLost(String category, ForwardCursor c, List<CategoryStream.Seg> segs, CategoryStream.Position p)
            throws IOException {
        lost += p.lostFiles();
        String resumed = p.index() < segs.size() ? layout.relative(segs.get(p.index()).path()) : "-";
        if (events != null) {
            events.warn("RAYOS_FORWARD_LOST").kv("category", category).kv("files", p.lostFiles()).kv("after_seq", c.seq())
                    .kv("boot", c.boot()).kv("part", c.part()).kv("resumed_at", resumed).log();
        }
        CategoryStream.Seg to = p.index() < segs.size() ? segs.get(p.index()) : null;
        ForwardCursor moved = to != null ? c.at(to.boot(), to.ordinal(), to.inode(), 0, c.seq())
                : new ForwardCursor(c.stream(), c.seq(), "", 0, 0, 0); // whatever appears later comes after
        commit(category, moved, 0); // reported once: the cursor no longer names the file that is gone
    }

    /**
     * Sends the complete lines of {@code s} from {@code offset} (a partial last line too when
     * another file follows: it will never be completed); returns the offset reached, or -1 when
     * the file is no longer the one listed.
     */
    private long sendFrom(String category, CategoryStream.Seg s, long offset, boolean last) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(s.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return -1;
        }
        try (ch) {
            if (LogFiles.inodeOf(s.path()) != s.inode()) {
                return -1; // rotated between listing and opening: the name is another file now
            }
            long pos = offset;
            while (true) {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                int n;
                while (b.hasRemaining() && (n = ch.read(b, pos + b.position())) > 0) {
                    // fill the chunk
                }
                int len = b.position();
                int end = len;
                while (end > 0 && chunk[end - 1] != '\n') {
                    end--;
                }
                boolean eof = len < CHUNK;
                if (len == 0 || (end == 0 && eof && last)) {
                    return pos; // nothing, or a line still being written
                }
                if (end == 0) {
                    end = len; // a torn last line in a file that will never grow again (or no line at all)
                }
                ForwardCursor c = cursors.get(category);
                Rfc5424Frames enc = new Rfc5424Frames(config.hostname(), c.stream(), category);
                frames.reset();
                long seq = c.seq();
                int from = 0;
                while (from < end) {
                    int nl = from;
                    while (nl < end && chunk[nl] != '\n') {
                        nl++;
                    }
                    if (nl > from) {
                        enc.append(frames, chunk, from, nl, s.boot(), ++seq);
                    }
                    from = nl + 1;
                }
                send(frames.size());
                lines += seq - c.seq();
                pos += end;
                commit(category, c.at(s.boot(), s.ordinal(), s.inode(), pos, seq), frames.size());
                if (eof && end == len) {
                    return pos;
                }
            }
        }
    }

    private void send(int len) throws IOException {
        if (collector != null && collector.closedByPeer()) {
            throw new IOException("the collector closed the connection");
        }
        if (collector == null) {
            collector = Collector.connect(config.target(), config.caFile());
            connectionBytes = 0;
            window.clear();
            if (events != null) {
                events.info("FORWARD_CONNECTED").kv("target", config.target().toString()).log();
            }
        }
        collector.send(frames.toByteArray(), len);
        connectionBytes += len;
        bytes += len;
    }

    /** Durably moves the category's cursor, remembering where the replay window begins. */
    private void commit(String category, ForwardCursor c, int sentBytes) throws IOException {
        ForwardCursor before = cursors.get(category);
        ArrayDeque<Checkpoint> w = window.computeIfAbsent(category, k -> new ArrayDeque<>());
        if (w.isEmpty() && before != null) {
            w.add(new Checkpoint(before, connectionBytes - sentBytes));
        }
        store.write(category, c);
        cursors.put(category, c);
        w.add(new Checkpoint(c, connectionBytes));
        // keep the newest checkpoint that lies a whole window back, drop the older ones
        while (w.size() > 2) {
            java.util.Iterator<Checkpoint> it = w.iterator();
            it.next();
            if (connectionBytes - it.next().at() < config.replayWindow()) {
                break;
            }
            w.poll();
        }
    }

    /** A broken connection: what may not have reached the collector is sent again, from the window's start. */
    private void broken() {
        if (collector != null) {
            collector.close();
            collector = null;
        }
        for (Map.Entry<String, ArrayDeque<Checkpoint>> e : window.entrySet()) {
            Checkpoint first = e.getValue().peekFirst();
            if (first != null && !first.cursor().equals(cursors.get(e.getKey()))) {
                try {
                    store.write(e.getKey(), first.cursor());
                    cursors.put(e.getKey(), first.cursor());
                } catch (IOException io) {
                    cursors.remove(e.getKey()); // read again from the file on the next pass
                }
            }
        }
        window.clear();
    }

    private ForwardCursor cursor(String category) throws IOException, CursorException {
        ForwardCursor c = cursors.get(category);
        if (c == null) {
            Optional<ForwardCursor> read;
            try {
                read = store.read(category);
            } catch (CursorException e) {
                throw new CursorException(layout.relative(store.file(category)) + " is damaged (" + e.getMessage()
                        + "): remove it to forward " + category + " again from its oldest file");
            }
            if (read.isPresent()) {
                c = read.get();
            } else {
                // durable before the first line is sent: a forwarder killed after sending goes on in
                // the same stream, so what it sends again has the same sequence numbers
                c = ForwardCursor.fresh(CursorStore.newStream());
                store.write(category, c);
            }
            cursors.put(category, c);
        }
        return c;
    }

    @Override
    public void close() {
        if (collector != null) {
            collector.close();
            collector = null;
        }
    }
}
