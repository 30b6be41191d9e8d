package dev.rayos.harness;

import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.Timestamp;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes harness events as lines of the project's format (component {@code harness}),
 * stamped with the host's UTC clock: the host knows the wall time, unlike an early guest.
 */
public final class HarnessLog implements Consumer<HarnessEvent> {
    private final PrintWriter out;
    private final Clock clock;

    public HarnessLog(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void accept(HarnessEvent e) {
        Instant now = clock.instant();
        long nanos = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        String line = LineCodec.format(e.toLogLine(Timestamp.utc(nanos)));
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
