package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The ring's own lock: exclusion under contention, and every way a waiting thread gets going
 * again. Where a wake-up is the point, the lock's own timed re-look is set to an hour, so only
 * the wake-up under test can end the wait; a broken one fails the test's join, never hangs it.
 */
class RingLockTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** A counter only the lock protects: a plain field, read and written in two steps. */
    private long counter;
    /** What the test's threads threw: any of it fails the test. */
    private final java.util.Queue<Throwable> thrown = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Test
    void noIncrementIsLostWhenFourThreadsFightForTheLock() throws Exception {
        RingLock lock = new RingLock();
        int perThread = 200_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            ts.add(start(() -> {
                for (int i = 0; i < perThread; i++) {
                    lock.lock();
                    try {
                        long c = counter;
                        if ((i & 63) == 0) {
                            Thread.yield(); // now and then, give a rival the moment to barge in
                        }
                        counter = c + 1;
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        joinAll(ts);
        assertThat(counter).isEqualTo(4L * perThread);
        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.isQuiet()).as("no slot or count left by the waits").isTrue();
    }

    @Test
    void aParkedThreadIsWokenByTheUnlockNotByItsOwnTimer() throws Exception {
        RingLock lock = new RingLock(HOUR);
        lock.lock();
        AtomicBoolean got = new AtomicBoolean();
        Thread t = start(() -> {
            lock.lock();
            got.set(true);
            lock.unlock();
        });
        awaitParkedOn(t, lock);
        lock.unlock();
        joinAll(List.of(t));
        assertThat(got).as("the waiter has the lock after the unlock").isTrue();
        assertThat(lock.isQuiet()).isTrue();
    }

    @Test
    void everyWaiterGetsTheLockWhenMoreWaitThanThereAreSlots() throws Exception {
        RingLock lock = new RingLock(TimeUnit.MILLISECONDS.toNanos(1));
        lock.lock();
        AtomicInteger got = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ts.add(start(() -> {
                lock.lock();
                got.incrementAndGet();
                lock.unlock();
            }));
        }
        for (Thread t : ts) {
            awaitParkedOn(t, lock);
        }
        lock.unlock();
        joinAll(ts);
        assertThat(got).hasValue(24);
        assertThat(lock.isQuiet()).isTrue();
    }

    @Test
    void anInterruptedThreadWaitsForTheLockAndKeepsItsInterrupt() throws Exception {
        RingLock lock = new RingLock(HOUR);
        lock.lock();
        AtomicBoolean kept = new AtomicBoolean();
        AtomicBoolean got = new AtomicBoolean();
        Thread t = start(() -> {
            Thread.currentThread().interrupt();
            lock.lock();
            got.set(true);
            kept.set(Thread.currentThread().isInterrupted());
            lock.unlock();
        });
        awaitParkedOn(t, lock); // parked, not spinning on the interrupt flag
        assertThat(got).as("the lock is still held").isFalse();
        lock.unlock();
        joinAll(List.of(t));
        assertThat(got).isTrue();
        assertThat(kept).as("the interrupt is there for the caller").isTrue();
    }

    @Test
    void awaitLetsTheLockGoAndSignalAllWakesEveryWaiter() throws Exception {
        RingLock lock = new RingLock(HOUR);
        AtomicInteger woken = new AtomicInteger();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // more than the first array of waiters holds
            ts.add(start(() -> {
                lock.lock();
                try {
                    assertThat(lock.await(HOUR)).isFalse();
                    woken.incrementAndGet();
                } finally {
                    lock.unlock();
                }
            }));
        }
        for (Thread t : ts) {
            awaitParkedOn(t, lock);
        }
        lock.lock(); // they all let it go while they wait
        assertThat(woken).hasValue(0);
        lock.signalAll();
        lock.unlock();
        joinAll(ts);
        assertThat(woken).hasValue(6);
        assertThat(lock.isQuiet()).isTrue();
    }

    @Test
    void anAwaitThatEndsByItsTimeLeavesNothingForALaterSignalToWake() throws Exception {
        RingLock lock = new RingLock(HOUR);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ts.add(start(() -> {
                lock.lock();
                try {
                    lock.await(TimeUnit.MILLISECONDS.toNanos(1));
                } finally {
                    lock.unlock();
                }
            }));
        }
        joinAll(ts);
        assertThat(lock.isQuiet()).as("each took itself off the waiters").isTrue();
    }

    @Test
    void awaitSaysAnInterruptCameAndClearsTheFlag() throws Exception {
        RingLock lock = new RingLock(HOUR);
        AtomicBoolean said = new AtomicBoolean();
        AtomicBoolean flagAfter = new AtomicBoolean(true);
        Thread t = start(() -> {
            lock.lock();
            try {
                said.set(lock.await(HOUR));
                flagAfter.set(Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
        });
        awaitParkedOn(t, lock);
        t.interrupt();
        joinAll(List.of(t));
        assertThat(said).as("await reports the interrupt").isTrue();
        assertThat(flagAfter).as("and leaves keeping it to its caller").isFalse();
    }

    @Test
    void aThreadThatDoesNotHoldTheLockCannotReleaseItAndTheHolderKeepsIt() throws Exception {
        RingLock lock = new RingLock();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessage("the ring's lock is not held by this thread");
        lock.lock();
        AtomicBoolean refused = new AtomicBoolean();
        Thread t = start(() -> {
            try {
                lock.unlock();
            } catch (IllegalMonitorStateException e) {
                refused.set(true);
            }
        });
        t.join(10_000);
        assertThat(refused).isTrue();
        assertThat(lock.isLocked()).as("still the holder's").isTrue();
        lock.unlock();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void theHolderTakingTheLockAgainIsRefusedRatherThanLeftWaitingForItself() {
        RingLock lock = new RingLock(HOUR);
        lock.lock();
        assertThatThrownBy(lock::lock).isInstanceOf(IllegalStateException.class)
                .hasMessage("the ring's lock is not reentrant: this thread holds it");
        lock.unlock();
        lock.lock(); // free again, and the refused attempt left nothing behind
        lock.unlock();
    }

    private Thread start(Runnable r) {
        Thread t = new Thread(r, "ring-lock-test");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> thrown.add(e));
        t.start();
        return t;
    }

    private void joinAll(List<Thread> ts) throws InterruptedException {
        for (Thread t : ts) {
            t.join(30_000);
            assertThat(t.isAlive()).as("a thread still waiting").isFalse();
        }
        assertThat(thrown).as("what the threads threw").isEmpty();
    }

    /** Until {@code t} is parked with the lock as its blocker (at most 10 s). */
    private static void awaitParkedOn(Thread t, RingLock lock) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(LockSupport.getBlocker(t) == lock && t.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("thread parked on the lock in time").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
