package dev.rayos.bridges.forward;

import dev.rayos.log.root.LogFiles;
import dev.rayos.log.Logger;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.store.RemovedFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends every line of the machine's log files to a syslog collector as RFC 5424 with octet
 * counting, in order per category, from a durable cursor per category ({@code docs/bridges.md},
 * "Forwarding"). The files are the queue: nothing is copied. At least once: the cursor is written
 * (fsync'd) after the bytes were handed to the kernel, and after a broken connection the last
 * {@link ForwardConfig#replayWindow()} bytes are sent again, with the same sequence numbers. One pass is
 * {@link #once}; {@link ForwardLoop} runs passes until stopped. Not thread-safe, but for
 * {@link #stop}.
 */
public final class Forwarder implements AutoCloseable {
    /**
     * What one call sent, and what it found removed before it was sent: lines (exact when
     * {@code unrecordedFiles} is 0), files, and files whose lines could not be counted.
     */
    public record Sent(long lines, long bytes, long lostLines, long lostFiles, long unrecordedFiles) {}

    private static final int CHUNK = 256 * 1024;
    private final RootLayout layout;
    private final ForwardConfig config;
    private final Logger events;
    private final CursorStore store;
    private final ReplayWindow window;
    /** The machine's forwarder lock, held from the first pass to {@link #close}: one forwarder at a time. */
    private java.io.Closeable claim;
    private final Map<String, ForwardCursor> cursors = new HashMap<>();
    private final Batch frames = new Batch(CHUNK * 2);
    /** Per category, its frame encoder (reused: a line costs no allocation). */
    private final Map<String, Rfc5424Frames> encoders = new HashMap<>();
    private final byte[] chunk = new byte[CHUNK];
    /** Volatile for {@link #abort} from another thread. */
    private volatile Collector collector;
    private long lines;
    private long bytes;
    private long lostLines;
    private long lostFiles;
    private long unrecorded;
    private volatile boolean stopping;

    /** @param events where the forwarder's own events go ({@code FORWARD_*}, {@code RAYOS_FORWARD_LOST}); null for none */
    public Forwarder(RootLayout layout, ForwardConfig config, Logger events) {
        this.layout = layout;
        this.config = config;
        this.events = events;
        this.store = new CursorStore(layout);
        this.window = new ReplayWindow(config.replayWindow());
    }

    /**
     * Sends what the files hold now, then returns.
     *
     * @throws IOException when the collector cannot be reached or breaks off (the cursors stand where it did)
     * @throws CursorException when a cursor file is damaged (nothing of that category is sent)
     */
    public Sent once() throws IOException, CursorException {
        Sent before = total();
        try {
            pass();
        } catch (IOException e) {
            broken();
            throw e;
        }
        Sent now = total();
        return new Sent(now.lines() - before.lines(), now.bytes() - before.bytes(), now.lostLines() - before.lostLines(),
                now.lostFiles() - before.lostFiles(), now.unrecordedFiles() - before.unrecordedFiles());
    }

    /**
     * Asks a pass in progress (on another thread) to end after the batch in hand, its cursor
     * written; {@link #once} then returns what it sent. For {@link ForwardLoop}'s stop.
     */
    public void stop() {
        stopping = true;
    }

    /** Closes the connection under a pass in progress on another thread: its send fails, the pass ends. */
    void abort() {
        Collector c = collector;
        if (c != null) {
            c.close();
        }
    }

    /** Lines and bytes sent since this forwarder was made; what it reported lost. */
    public Sent total() {
        return new Sent(lines, bytes, lostLines, lostFiles, unrecorded);
    }

    private void pass() throws IOException, CursorException {
        if (claim == null) {
            claim = store.claim();
        }
        Map<String, Integer> order = CategoryStream.bootOrder(layout);
        for (Path dir : BootCatalog.categoryDirs(layout)) {
            if (stopping) {
                return;
            }
            String category = dir.getFileName().toString();
            ForwardCursor c = cursor(category);
            List<RemovedFiles.Entry> removed = RemovedFiles.read(layout, category).entries();
            List<CategoryStream.Seg> segs = CategoryStream.withCursorsFile(dir, CategoryStream.list(dir, order, removed), c,
                    order, removed);
            CategoryStream.Position p = CategoryStream.locate(segs, c, order, removed);
            if (p.moved() && p.index() >= segs.size()) {
                // the cursor's file is not listed and nothing follows it: a listing taken while the
                // writer rotates (old name gone, new file not made yet), or every file removed. Either
                // way there is nothing to send; the cursor stays, and the next pass that lists a later
                // file moves there and reports what was lost. (Made fresh here, it would start the
                // stream over and send every file again: ForwardFollowTest saw line 0 after 4620.)
                continue;
            }
            if (p.moved()) {
                moveOn(category, c, segs, p);
            }
            int i = p.index();
            long offset = p.offset();
            long line = p.line();
            while (i < segs.size()) {
                CategoryStream.Seg s = segs.get(i);
                boolean last = i == segs.size() - 1;
                long next = sendFrom(category, s, offset, line, last);
                if (stopping) {
                    return; // the cursor stands after the last batch sent
                }
                if (next < 0 || (last && next == offset)) {
                    break; // the file went away meanwhile (next pass finds where), or nothing new
                }
                if (next == offset) {
                    i++; // this file is done and another follows: stand at its start
                    offset = 0;
                    line = 0;
                    if (i < segs.size()) {
                        CategoryStream.Seg n = segs.get(i);
                        commit(category, cursors.get(category).at(n.boot(), n.ordinal(), n.inode(), 0, 0, cursors.get(category).seq()), 0);
                    }
                } else {
                    offset = next;
                    line = cursors.get(category).line(); // sendFrom moved it after each batch
                }
            }
        }
    }

    /**
     * The cursor's file is gone: reports what was lost with it (if anything) and moves the cursor to
     * the first file after it, so the loss is reported once.
     */
    private void moveOn(String category, ForwardCursor c, List<CategoryStream.Seg> segs, CategoryStream.Position p)
            throws IOException {
        CategoryStream.Lost lost = p.lost();
        lostLines += lost.lines();
        lostFiles += lost.files();
        unrecorded += lost.unrecorded();
        String resumed = layout.relative(segs.get(p.index()).path());
        if (events != null && lost.files() > 0) {
            events.warn("RAYOS_FORWARD_LOST").kv("category", category).kv("lines", lost.lines()).kv("files", lost.files())
                    .kv("unrecorded_files", lost.unrecorded()).kv("after_seq", c.seq())
                    .kv("boot", c.boot()).kv("part", c.part()).kv("resumed_at", resumed).log();
        }
        CategoryStream.Seg to = segs.get(p.index()); // a later file is listed (see pass)
        commit(category, c.at(to.boot(), to.ordinal(), to.inode(), 0, 0, c.seq()), 0); // reported once: the cursor no longer names the file that is gone
    }

    /**
     * Sends the complete lines of {@code s} from {@code offset} (a partial last line too when
     * another file follows: it will never be completed); returns the offset reached, or -1 when
     * the file is no longer the one listed.
     */
    private long sendFrom(String category, CategoryStream.Seg s, long offset, long line, boolean last) throws IOException {
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
                frames.reset();
                long seq = encoder(category, c.stream()).appendLines(frames, chunk, end, s.boot(), c.seq());
                send(frames.size());
                lines += seq - c.seq();
                pos += end;
                line += seq - c.seq();
                commit(category, c.at(s.boot(), s.ordinal(), s.inode(), pos, line, seq), frames.size());
                if ((eof && end == len) || stopping) {
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
            window.connected();
            if (events != null) {
                events.info("FORWARD_CONNECTED").kv("target", config.target().toString()).log();
            }
        }
        collector.send(frames.bytes(), len);
        window.sent(len);
        bytes += len;
    }

    /** Durably moves the category's cursor, remembering where the replay window begins. */
    private void commit(String category, ForwardCursor c, int sentBytes) throws IOException {
        ForwardCursor before = cursors.get(category);
        store.write(category, c);
        cursors.put(category, c);
        window.moved(category, before, c, sentBytes);
    }

    /** A broken connection: what may not have reached the collector is sent again, from the window's start. */
    private void broken() {
        if (collector != null) {
            collector.close();
            collector = null;
        }
        for (Map.Entry<String, ForwardCursor> e : window.rewind().entrySet()) {
            if (!e.getValue().equals(cursors.get(e.getKey()))) {
                try {
                    store.write(e.getKey(), e.getValue());
                    cursors.put(e.getKey(), e.getValue());
                } catch (IOException io) {
                    cursors.remove(e.getKey()); // read again from the file on the next pass
                }
            }
        }
    }

    private Rfc5424Frames encoder(String category, String stream) {
        Rfc5424Frames e = encoders.get(category);
        if (e == null || !e.streams(stream)) {
            e = new Rfc5424Frames(config.hostname(), stream, category);
            encoders.put(category, e);
        }
        return e;
    }

    /** The frames of one batch, handed to the socket from the buffer itself (no copy). */
    private static final class Batch extends ByteArrayOutputStream {
        Batch(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private ForwardCursor cursor(String category) throws IOException, CursorException {
        ForwardCursor c = cursors.get(category);
        if (c == null) {
            c = store.load(category);
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
        if (claim != null) {
            try {
                claim.close();
            } catch (IOException e) {
                // the lock goes with the process
            }
            claim = null;
        }
    }
}
