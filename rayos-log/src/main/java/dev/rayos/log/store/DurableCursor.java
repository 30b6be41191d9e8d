package dev.rayos.log.store;

import dev.rayos.log.time.LogClock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How far the store is durable: every record with a sequence number below {@link #durableSeq()} is
 * in its file and fsync'd. The {@link Syncer} moves it after each fsync round; a log call of a
 * marker or an ERROR waits here for its own record, which is how "fsync'd before the call returns"
 * is kept without the caller doing the fsync. Separate from the ring's commit cursor on purpose:
 * committed means written (the ring may free the space), durable means fsync'd (the caller may go).
 */
final class DurableCursor {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private long durableSeq; // guarded by lock

    /** Every record below {@code seq} is fsync'd now. */
    public void publish(long seq) {
        lock.lock();
        try {
            if (seq > durableSeq) {
                durableSeq = seq;
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number below which every record is fsync'd. */
    public long durableSeq() {
        lock.lock();
        try {
            return durableSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until record {@code seq} is durable, at most {@code timeoutNanos} on {@code clock}, and
     * no longer once {@code giveUp} says waiting is pointless (a failing store, a stopped drainer):
     * the record is in the ring either way, and the next start writes it out.
     *
     * @return true when the record is durable
     */
    public boolean await(long seq, long timeoutNanos, LogClock clock, BooleanSupplier giveUp) {
        long deadline = clock.monoNanos() + timeoutNanos;
        lock.lock();
        try {
            while (durableSeq <= seq && !giveUp.getAsBoolean()) {
                long left = deadline - clock.monoNanos();
                if (left <= 0) {
                    return false;
                }
                advanced.awaitNanos(Math.min(left, POLL_NANOS));
            }
            return durableSeq > seq;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
