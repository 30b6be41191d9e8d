package dev.rayos.harness;

import dev.rayos.log.time.LogClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand, so a time limit is crossed without waiting for it. */
final class ManualClock implements LogClock {
    private final AtomicLong mono = new AtomicLong(1_000_000_000L);

    @Override
    public long monoNanos() {
        return mono.get();
    }

    @Override
    public long utcNanos() {
        return 1_700_000_000_000_000_000L + mono.get();
    }

    void advance(Duration d) {
        mono.addAndGet(d.toNanos());
    }
}
