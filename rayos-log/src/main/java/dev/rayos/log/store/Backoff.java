package dev.rayos.log.store;

import java.util.concurrent.locks.LockSupport;

/**
 * The pace of retrying a failed write or fsync (logback's {@code ResilientOutputStreamBase}): the
 * same records are tried again after 50 ms, then twice as long each time up to 5 s, and at once
 * again after a success. The store's drainer and its syncer share it so they retry alike.
 */
final class Backoff {
    static final long FIRST_MILLIS = 50;
    static final long MAX_MILLIS = 5000;
    private long millis;

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
        LockSupport.parkNanos(failed() * 1_000_000L);
    }
}
