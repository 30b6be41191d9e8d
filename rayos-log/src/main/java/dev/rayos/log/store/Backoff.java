package dev.rayos.log.store;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The pace of retrying a failed write or fsync (logback's {@code ResilientOutputStreamBase}): the
 * same records are tried again after 50 ms, then twice as long each time up to 5 s, and at once
 * again after a success. The store's drainer and its syncer share it so they retry alike.
 */
final class Backoff {
    static final long FIRST_MILLIS = 50;
    static final long MAX_MILLIS = 5000;
    private final LongConsumer pause;
    private long millis;

    Backoff() {
        this(LockSupport::parkNanos);
    }

    /** @param pause waits the given nanoseconds (a test records the pace instead of living it) */
    Backoff(LongConsumer pause) {
        this.pause = pause;
    }

    /** The wait before the next retry, which this failure lengthens. */
    long failed() {
        millis = Math.min(MAX_MILLIS, Math.max(FIRST_MILLIS, millis * 2));
        return millis;
    }

    /** A retry worked: the next failure waits the shortest time again. */
    void succeeded() {
        millis = 0;
    }

    /** Records a failure and waits it out (not interruptible: the caller checks its own stop flag). */
    void failedAndWait() {
        pause.accept(failed() * 1_000_000L);
    }
}
