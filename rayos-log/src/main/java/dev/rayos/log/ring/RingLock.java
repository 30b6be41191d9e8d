package dev.rayos.log.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring's lock, and the one condition producers wait on (room in the ring). It exists for one
 * measured reason: {@code ReentrantLock.unlock} is a volatile store, a full fence on x86, and the
 * fence waits for the record just copied into the mapped ring to leave the store buffer; that wait
 * was a fifth of a log call's CPU (JFR, issue 12). Here the lock is released with a release store,
 * which orders the record's bytes before the release as a reader needs and waits for nothing.
 *
 * <p>Not reentrant, not fair. A thread that finds the lock taken spins briefly (the lock is held
 * for a copy of a hundred bytes), then parks in one of a few slots; {@link #unlock} unparks one
 * parked thread. A release store can be read late by a thread about to park, so a parked thread
 * also wakes on its own after {@code parkNanos} to look again: a wake-up missed by that race
 * costs at most that long, never a hang.
 */
final class RingLock {
    private static final int SPINS = 16;
    private static final int SLOTS = 16;
    private static final long PARK_NANOS = 100_000;

    private volatile int state; // 0 free, 1 held
    private Thread owner; // written and read by the holder only: misuse is refused, not a silent release
    private volatile int parkedCount;
    private final AtomicReferenceArray<Thread> parked = new AtomicReferenceArray<>(SLOTS);
    private final long parkNanos;
    // Threads in await(), registered and unregistered with the lock held.
    private Thread[] awaiting = new Thread[4];
    private int awaitingCount;

    private static final VarHandle STATE;
    private static final VarHandle PARKED_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(RingLock.class, "state", int.class);
            PARKED_COUNT = l.findVarHandle(RingLock.class, "parkedCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    RingLock() {
        this(PARK_NANOS);
    }

    /** @param parkNanos how long a parked thread sleeps before it looks again unwoken (tests make it long) */
    RingLock(long parkNanos) {
        this.parkNanos = parkNanos;
    }

    void lock() {
        if (!STATE.compareAndSet(this, 0, 1)) {
            lockContended();
        }
        owner = Thread.currentThread();
    }

    private void lockContended() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            throw new IllegalStateException("the ring's lock is not reentrant: this thread holds it");
        }
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                return;
            }
        }
        // Counted for the whole wait: unlock looks in the slots only when someone waits.
        PARKED_COUNT.getAndAdd(this, 1);
        boolean interrupted = false;
        try {
            while (true) {
                int slot = enlist(me);
                if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                    delist(slot, me);
                    return;
                }
                LockSupport.parkNanos(this, parkNanos);
                // A park returns at once while the interrupt flag is set: keep it for the caller.
                interrupted |= Thread.interrupted();
                delist(slot, me);
                if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                    return;
                }
            }
        } finally {
            PARKED_COUNT.getAndAdd(this, -1);
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    /** A free slot now holding {@code me}, or -1 when all are taken (the timed park still bounds the wait). */
    private int enlist(Thread me) {
        for (int i = 0; i < SLOTS; i++) {
            if (parked.get(i) == null && parked.compareAndSet(i, null, me)) {
                return i;
            }
        }
        return -1;
    }

    private void delist(int slot, Thread me) {
        if (slot >= 0) {
            parked.compareAndSet(slot, me, null); // unless an unlock took it to wake us
        }
    }

    void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("the ring's lock is not held by this thread");
        }
        owner = null;
        STATE.setRelease(this, 0);
        if (parkedCount != 0) {
            // Taking the thread out of its slot makes one unpark per wait: the holder's next
            // unlocks do not pay a system call each while the woken thread is on its way.
            for (int i = 0; i < SLOTS; i++) {
                Thread t = parked.get(i);
                if (t != null && parked.compareAndSet(i, t, null)) {
                    LockSupport.unpark(t);
                    return;
                }
            }
        }
    }

    /**
     * Whether no thread holds the lock, waits for it, sits in a slot or is registered in
     * {@link #await}: what every wait must leave behind once it is over (for tests; a slot left
     * taken would cost later unlocks a wake-up of a thread that no longer waits).
     */
    boolean isQuiet() {
        if (state != 0 || parkedCount != 0 || awaitingCount != 0) {
            return false;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (parked.get(i) != null) {
                return false;
            }
        }
        return true;
    }

    /** Whether some thread holds the lock (a hint, for tests and assertions). */
    boolean isLocked() {
        return state != 0;
    }

    /**
     * With the lock held: lets it go, waits until {@link #signalAll} (or {@code nanos} pass, or a
     * spurious wake-up: callers re-check their condition in a loop), and takes it again.
     *
     * @return whether the thread was interrupted meanwhile (the flag is cleared; the caller keeps it)
     */
    boolean await(long nanos) {
        Thread me = Thread.currentThread();
        if (awaitingCount == awaiting.length) {
            awaiting = Arrays.copyOf(awaiting, awaiting.length * 2);
        }
        awaiting[awaitingCount++] = me;
        unlock();
        // A signalAll between the unlock and this park leaves the permit: the park returns at once.
        LockSupport.parkNanos(this, nanos);
        boolean interrupted = Thread.interrupted();
        lock();
        for (int i = 0; i < awaitingCount; i++) {
            if (awaiting[i] == me) {
                awaiting[i] = awaiting[--awaitingCount];
                awaiting[awaitingCount] = null;
                break;
            }
        }
        return interrupted;
    }

    /** With the lock held: wakes every thread in {@link #await}. */
    void signalAll() {
        for (int i = 0; i < awaitingCount; i++) {
            LockSupport.unpark(awaiting[i]);
            awaiting[i] = null;
        }
        awaitingCount = 0;
    }
}
