package dev.rayos.log.store;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The fsyncs of a log system, on a thread of their own: the drainer hands over the files it wrote
 * and the sequence number they cover, and goes on writing while the disk catches up. An fsync of
 * ten megabytes takes tens of milliseconds; done inline it stalled the drainer, and behind it every
 * producer (measured: 30–44% of the drainer's time went to the fsync before each rotation).
 *
 * <p>Files rotated away are {@linkplain #retire retired} here rather than closed by the drainer:
 * they are fsync'd at once (a 10 MiB file's fsync overlaps the writing of the next instead of all
 * of them waiting for the close or the next round), then closed. A durable sequence number is published only after every file
 * written before the request, retired ones included, is fsync'd.
 */
final class Syncer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Set<FileChannel> dirty = new LinkedHashSet<>();
    private final List<FileChannel> retired = new ArrayList<>();
    private final LongConsumer durable;
    private final Consumer<IOException> failure;
    private final Thread thread;
    private final Backoff backoff;
    private long requested = -1; // seq to publish once what is dirty now is fsync'd
    private boolean stopping;

    /**
     * @param durable told the sequence number below which every line is fsync'd, after each round
     * @param failure told of an fsync that failed (the round is retried)
     */
    public Syncer(LongConsumer durable, Consumer<IOException> failure, String name) {
        this(durable, failure, name, new Backoff());
    }

    /** @param backoff the pace of retrying a failed round */
    Syncer(LongConsumer durable, Consumer<IOException> failure, String name, Backoff backoff) {
        this.durable = durable;
        this.failure = failure;
        this.backoff = backoff;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A file the drainer wrote to since the last request. */
    public void dirty(FileChannel ch) {
        lock.lock();
        try {
            dirty.add(ch);
        } finally {
            lock.unlock();
        }
    }

    /** A file rotated away: fsync it with the next round, then close it. */
    public void retire(FileChannel ch) {
        lock.lock();
        try {
            retired.add(ch);
            dirty.remove(ch);
            work.signal(); // fsync'd now, while the drainer fills the next file, not all at close
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a round: fsync everything dirty or retired now, then publish {@code seq}. */
    public void request(long seq) {
        lock.lock();
        try {
            requested = Math.max(requested, seq);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** True when files were written that no round has fsync'd yet. */
    public boolean hasDirty() {
        lock.lock();
        try {
            return !dirty.isEmpty() || !retired.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<FileChannel> now;
            List<FileChannel> toClose;
            long seq;
            lock.lock();
            try {
                while (requested < 0 && retired.isEmpty() && !stopping) {
                    work.awaitUninterruptibly();
                }
                if (requested < 0 && dirty.isEmpty() && retired.isEmpty()) {
                    return; // stopping, nothing left
                }
                seq = requested;
                // A round for retired files alone fsyncs just them and publishes nothing; a
                // request later publishes only after this round (rounds run one after another).
                now = seq < 0 && !stopping ? List.of() : new ArrayList<>(dirty);
                toClose = new ArrayList<>(retired);
                if (!now.isEmpty()) {
                    dirty.clear();
                }
                retired.clear();
                requested = -1;
            } finally {
                lock.unlock();
            }
            try {
                for (FileChannel ch : now) {
                    try {
                        ch.force(false);
                    } catch (ClosedChannelException closed) {
                        // retired meanwhile: it is forced below before it is closed
                    }
                }
                for (FileChannel ch : toClose) {
                    ch.force(false);
                    ch.close();
                }
                if (seq >= 0) {
                    durable.accept(seq);
                }
                backoff.succeeded();
            } catch (IOException e) {
                failure.accept(e);
                lock.lock();
                try {
                    dirty.addAll(now);
                    retired.addAll(0, toClose);
                    requested = Math.max(requested, seq);
                } finally {
                    lock.unlock();
                }
                backoff.failedAndWait(); // close() waits for this thread, never interrupts it
            }
        }
    }

    /** Runs a last round for everything still dirty or retired, and waits for the thread to end. */
    public void close(long millis) {
        lock.lock();
        try {
            stopping = true;
            if (!dirty.isEmpty() || !retired.isEmpty()) {
                requested = Math.max(requested, 0);
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
