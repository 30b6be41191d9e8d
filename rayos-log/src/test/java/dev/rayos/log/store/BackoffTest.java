package dev.rayos.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pace of retrying a failed write: 50 ms, then twice as long each time up to 5 s, and 50 ms
 * again after a success. The waits are recorded, not lived.
 */
class BackoffTest {
    @Test
    void eachFailureWaitsTwiceAsLongUpToFiveSecondsAndASuccessStartsOver() {
        Backoff b = new Backoff(n -> { });
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.add(b.failed());
        }
        assertThat(waits).containsExactly(50L, 100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        b.succeeded();
        assertThat(b.failed()).isEqualTo(50);
    }

    @Test
    void failedAndWaitWaitsOutTheBackOffInNanoseconds() {
        List<Long> paused = new ArrayList<>();
        Backoff b = new Backoff(paused::add);
        b.failedAndWait();
        b.failedAndWait();
        b.failedAndWait();
        assertThat(paused).containsExactly(50_000_000L, 100_000_000L, 200_000_000L);
    }
}
