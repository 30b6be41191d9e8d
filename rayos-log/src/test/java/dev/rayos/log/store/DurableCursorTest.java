package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.time.LogClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How far the store is durable, and the wait of an urgent log call for its own record: true once
 * the record is fsync'd, false at the deadline (on the log system's clock, here set by the test),
 * when waiting is pointless, or when the waiting thread is interrupted (which stays interrupted).
 */
class DurableCursorTest {
    /** A clock that moves only when read: each reading is {@code step} later than the one before. */
    static final class SteppingClock implements LogClock {
        final AtomicLong mono = new AtomicLong(1_000_000_000_000L);
        final long step;

        SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public long monoNanos() {
            return mono.getAndAdd(step);
        }

        @Override
        public long utcNanos() {
            return 1_796_551_200_000_000_000L;
        }
    }

    static final LogClock FROZEN = new SteppingClock(0);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aPublishedSequenceNumberIsWhatIsDurableAndNeverGoesBack() {
        DurableCursor c = new DurableCursor();
        assertThat(c.durableSeq()).isZero();
        c.publish(7);
        assertThat(c.durableSeq()).isEqualTo(7);
        c.publish(3);
        assertThat(c.durableSeq()).as("an older round's publication does not lower it").isEqualTo(7);
    }

    @Test
    void aRecordBelowTheDurableCursorIsDurableAtOnce() {
        DurableCursor c = new DurableCursor();
        c.publish(6);
        assertThat(c.await(5, TimeUnit.SECONDS.toNanos(10), FROZEN, () -> false)).isTrue();
    }

    @Test
    void theRecordAtTheDurableCursorIsNotDurableYet() {
        DurableCursor c = new DurableCursor();
        c.publish(5);
        // record 5 is not below 5: a store that gave up leaves it in the ring, not durable
        assertThat(c.await(5, TimeUnit.SECONDS.toNanos(10), FROZEN, () -> true)).isFalse();
        assertThat(c.await(4, TimeUnit.SECONDS.toNanos(10), FROZEN, () -> true)).isTrue();
    }

    @Test
    void aWaitWithNoTimeLeftGivesUpAtOnce() {
        // The clock stands still: a wait that would not end at its deadline would hang here.
        assertThat(new DurableCursor().await(0, 0, FROZEN, () -> false)).isFalse();
    }

    @Test
    void aWaitEndsAtItsDeadlineOnTheLogSystemsClock() {
        // Each reading of the clock is 30 ms later: the 100 ms deadline passes after a few polls.
        SteppingClock clock = new SteppingClock(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(new DurableCursor().await(0, TimeUnit.MILLISECONDS.toNanos(100), clock, () -> false)).isFalse();
    }

    @Test
    void aWaitForTheRecordAtTheCursorEndsWhenItIsPublishedFromAnotherThread() throws Exception {
        DurableCursor c = new DurableCursor();
        c.publish(9); // records below 9 are durable; record 9 is not yet
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread waiter = new Thread(() -> result.complete(c.await(9, Long.MAX_VALUE / 4, FROZEN, () -> false)));
        waiter.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiter.getState() != Thread.State.TIMED_WAITING && !result.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(result).as("still waiting for record 9").isNotDone();
        c.publish(10);
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readingTheCursorLeavesItFreeForThePublisher() throws Exception {
        DurableCursor c = new DurableCursor();
        c.publish(2);
        assertThat(c.durableSeq()).isEqualTo(2);
        CompletableFuture.runAsync(() -> c.publish(3)).get(30, TimeUnit.SECONDS);
        assertThat(c.durableSeq()).isEqualTo(3);
    }

    @Test
    void anInterruptedWaiterGivesUpAndStaysInterrupted() {
        DurableCursor c = new DurableCursor();
        Thread.currentThread().interrupt();
        assertThat(c.await(3, TimeUnit.SECONDS.toNanos(10), FROZEN, () -> false)).isFalse();
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }
}
