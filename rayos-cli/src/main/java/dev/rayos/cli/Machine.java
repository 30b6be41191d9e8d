package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.boot.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/** The machine at a root as the CLI commands see it: its boots and a log system for the current boot. */
final class Machine {
    private final RootLayout layout;
    private final LogClock clock;
    private final Boots boots;

    Machine(RootLayout layout, LogClock clock) {
        this.layout = layout;
        this.clock = clock;
        this.boots = new Boots(layout, clock);
    }

    /**
     * The clock lines of {@code boot} carry: after a time sync, UTC is the synced time plus the
     * monotonic time elapsed since (not the host's clock, which may disagree: the timeline stays
     * one line); before, the machine's clocks.
     */
    LogClock clockOf(BootRecord boot) {
        BootRecord.TimeSync pair = boot.timeSync();
        if (pair == null) {
            return clock;
        }
        long pairMono = pair.monoNanos();
        long pairUtc = pair.utcNanos();
        return new LogClock() {
            @Override
            public long monoNanos() {
                return clock.monoNanos();
            }

            @Override
            public long utcNanos() {
                return pairUtc + (clock.monoNanos() - pairMono);
            }
        };
    }

    RootLayout layout() {
        return layout;
    }

    Boots boots() {
        return boots;
    }

    /** The current boot's record; with none (or a damaged one), a new boot is started. */
    BootRecord currentOrStart() throws IOException {
        Optional<BootId> cur = boots.current();
        if (cur.isPresent()) {
            try {
                return boots.read(cur.get());
            } catch (NoSuchFileException | BootHistoryException e) {
                // fall through: a damaged current boot never stops logging
            }
        }
        return boots.start(BootMode.NORMAL, true);
    }

    /**
     * A log system for this boot, its lines in UTC once the boot knows the wall clock; readiness
     * markers it logs are recorded in the boot's history file.
     */
    LogSystem open(BootRecord boot) throws IOException {
        return LogSystem.builder(layout).boot(boot.id()).clock(clockOf(boot)).wallClockKnown(boot.wallClock())
                .onMarker(boots::recordMarker).open();
    }
}
