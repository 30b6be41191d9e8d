package dev.rayos.log.console;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The serial console sink: lines go into a bounded byte queue and a thread of its own writes them
 * to the device, so a slow console (115200 baud is about 11 KiB/s) never holds up the store.
 *
 * <p>Pressure policy: ordinary lines are taken only while the queue is less than half full and
 * are otherwise dropped and counted; urgent lines (markers, ERROR and worse) may use the whole
 * queue, and when even that is full the offering thread waits for the device, so they are never
 * dropped. After a run of drops, when the queue has room again, the console says
 * {@code RAYOS_LOG_DROPPED sink=serial count=N}.
 *
 * <p>Wake-ups: after each write the writer naps 1 ms (ten after a write that followed drops), and
 * only a writer asleep after an idle nap, or one an urgent line finds the queue full for, is
 * signalled by an offer. A signal per drainer pass cost more than the lines it carried (the woken
 * writer took a core from a producer); under a flood the console takes at most half its queue
 * per nap.
 */
public final class ConsoleSink implements Closeable {
    /** Formats the drop notice line (the caller knows the clock and the line grammar). */
    public interface DropNotice {
        byte[] line(long dropped);
    }

    private final OutputStream out;
    private final byte[] queue;
    private final DropNotice notice;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final Condition hasRoom = lock.newCondition();
    private final Thread writer;
    /**
     * Held around every write to the device, by the writer thread and by {@link #writeNow}, so a
     * banner written straight to the device never lands in the middle of a queued line.
     */
    private final Object device = new Object();
    private int head; // next byte to write to the device
    private int size;
    private long dropped;
    private long droppedTotal;
    private boolean closing;
    private boolean inFlight; // a chunk taken from the queue is being written to the device
    /** The writer waits for a signal (not napping): only then does an offer wake it. */
    private boolean sleeping;
    private final long napNanos;
    private volatile IOException failure;

    public ConsoleSink(OutputStream out, int queueBytes, DropNotice notice, String name) {
        this(out, queueBytes, notice, name, NAP_NANOS);
    }

    /** With the writer's nap after a write given ({@code napNanos}); tests lengthen it. */
    ConsoleSink(OutputStream out, int queueBytes, DropNotice notice, String name, long napNanos) {
        this.napNanos = napNanos;
        this.out = out;
        this.queue = new byte[Math.max(queueBytes, 4096)];
        this.notice = notice;
        this.writer = new Thread(this::run, name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Queues one line (without its line feed; one is added).
     *
     * @return false when the line was dropped
     */
    public boolean offer(byte[] line, int off, int len, boolean urgent) throws InterruptedException {
        lock.lock();
        try {
            return offerLocked(line, off, len, urgent);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code n} lines of {@code buf} (offsets, lengths, urgency given per line) under one
     * acquisition of the queue's lock: the drainer hands over a whole batch at once rather than
     * taking the lock, and signalling the writer, once per line.
     */
    public void offerAll(byte[] buf, int[] offs, int[] lens, boolean[] urgent, int n) throws InterruptedException {
        if (n == 0) {
            return;
        }
        lock.lock();
        try {
            for (int i = 0; i < n; i++) {
                offerLocked(buf, offs[i], lens[i], urgent[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean offerLocked(byte[] line, int off, int len, boolean urgent) throws InterruptedException {
        int need = len + 1;
        if (need > queue.length) {
            len = queue.length - 1; // an overlong line is cut rather than never shown
            need = queue.length;
        }
        {
            if (closing || failure != null) {
                dropped++;
                return false;
            }
            if (!urgent) {
                if (size + need > queue.length / 2) {
                    dropped++;
                    droppedTotal++;
                    return false;
                }
            } else {
                while (size + need > queue.length) {
                    if (failure != null) {
                        return false;
                    }
                    nonEmpty.signal(); // a writer napping through a flood writes now
                    hasRoom.await(50, TimeUnit.MILLISECONDS);
                }
            }
            put(line, off, len);
            put(NL, 0, 1);
            if (sleeping) {
                sleeping = false;
                nonEmpty.signal();
            }
            return true;
        }
    }

    private static final byte[] NL = {'\n'};
    /** How long the writer naps after a write before it sleeps until signalled. */
    private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The nap after a write while lines are being dropped, in naps. */
    static final int FLOOD_NAPS = 10;

    private void put(byte[] b, int off, int len) {
        int tailIdx = (head + size) % queue.length;
        int first = Math.min(len, queue.length - tailIdx);
        System.arraycopy(b, off, queue, tailIdx, first);
        System.arraycopy(b, off + first, queue, 0, len - first);
        size += len;
    }

    /** Lines dropped so far under pressure. */
    public long droppedTotal() {
        lock.lock();
        try {
            return droppedTotal;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            writeLoop();
        } finally {
            try {
                out.close(); // a FIFO reader sees its end; stdout and stderr come wrapped so they stay open
            } catch (IOException ignored) {
                // nothing more to say to a device that is gone
            }
        }
    }

    private void writeLoop() {
        byte[] chunk = new byte[Math.min(queue.length, 8192)];
        long droppedSeen = 0;
        while (true) {
            int n;
            long toReport = 0;
            lock.lock();
            try {
                // After a write, a nap that no offer interrupts: under a steady flow the next lines
                // come within it, and a wake-up per drainer pass (a signal, then this thread taking
                // a core from a producer) costs more than the lines it writes. Idle after the nap,
                // it sleeps until an offer signals. While lines are being dropped the nap is longer:
                // the console shows a flood's sample either way, and each cycle's wake-up, writes
                // and drop notice were 7% of a flooded process's CPU.
                boolean napped = false;
                while (size == 0 && !closing) {
                    if (!napped) {
                        napped = true;
                        boolean flooded = droppedTotal != droppedSeen;
                        droppedSeen = droppedTotal;
                        nonEmpty.awaitNanos(flooded ? napNanos * FLOOD_NAPS : napNanos);
                    } else {
                        sleeping = true; // an offer clears it as it signals
                        nonEmpty.await();
                    }
                }
                if (size == 0) {
                    toReport = dropped;
                    dropped = 0;
                    n = 0;
                } else {
                n = Math.min(size, chunk.length);
                inFlight = true;
                int first = Math.min(n, queue.length - head);
                System.arraycopy(queue, head, chunk, 0, first);
                System.arraycopy(queue, 0, chunk, first, n - first);
                head = (head + n) % queue.length;
                size -= n;
                if (dropped > 0 && size < queue.length / 4) {
                    toReport = dropped;
                    dropped = 0;
                }
                }
                hasRoom.signalAll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                synchronized (device) {
                    out.write(chunk, 0, n);
                    if (toReport > 0) {
                        out.write(notice.line(toReport));
                        out.write('\n');
                    }
                    out.flush();
                }
                lock.lock();
                try {
                    inFlight = false;
                    hasRoom.signalAll();
                } finally {
                    lock.unlock();
                }
                if (n == 0) {
                    return; // closing and empty
                }
            } catch (IOException e) {
                failure = e; // a console that is gone must not stop logging; the store carries on
                lock.lock();
                try {
                    hasRoom.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            }
        }
    }

    /**
     * Writes {@code bytes} straight to the device, ahead of whatever is still queued, and returns
     * once the device has taken them. For a panic banner: the process may die right after, so the
     * text cannot wait in the queue for the writer thread.
     *
     * @throws IOException when the device fails (or failed earlier)
     */
    public void writeNow(byte[] bytes) throws IOException {
        IOException earlier = failure;
        if (earlier != null) {
            throw earlier;
        }
        synchronized (device) {
            out.write(bytes);
            out.flush();
        }
    }

    /** Waits until every queued line is written to the device (at most {@code millis}). */
    public void awaitWritten(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while ((size > 0 || inFlight) && failure == null && writer.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                hasRoom.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is queued (waiting up to {@code millis}), then stops the writer thread. */
    public void close(long millis) {
        lock.lock();
        try {
            closing = true;
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5000);
    }

    /** Why the device stopped taking lines, if it did. */
    public IOException failure() {
        return failure;
    }
}
