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

    /**
     * The current boot's record; with none (or a damaged one), a new boot is started, saying so on
     * {@code err} when something was damaged.
     */
    BootRecord currentOrStart(java.io.PrintWriter err) throws IOException {
        Optional<String> damage = boots.currentDamage();
        Optional<BootId> cur = boots.current();
        if (cur.isPresent()) {
            try {
                return boots.read(cur.get());
            } catch (NoSuchFileException | BootHistoryException e) {
                err.println("rayos: the history of the current boot " + cur.get() + " cannot be read ("
                        + RayosCommand.oneLine(e.getMessage()) + "): starting a new boot");
                err.flush();
            }
        }
        if (damage.isPresent()) {
            err.println("rayos: " + damage.get() + ": starting a new boot");
            err.flush();
        }
        return start(BootMode.NORMAL, true);
    }

    /** For the readers: says on {@code err} that {@code current_boot_id} is damaged and the latest boot is shown. */
    static void warnIfCurrentDamaged(Boots boots, java.io.PrintWriter err) throws IOException {
        Optional<String> damage = boots.currentDamage();
        if (damage.isPresent()) {
            err.println("rayos: " + damage.get() + ": showing the latest boot");
            err.flush();
        }
    }

    /** Starts a boot and logs its BOOT_START, as 'rayos boot' does (an implicit boot is no different). */
    BootRecord start(BootMode mode, boolean wallClock) throws IOException {
        BootRecord rec = boots.start(mode, wallClock);
        try (LogSystem sys = open(rec)) {
            sys.logger("boot").notice("BOOT_START").kv("boot_id", rec.id().hex()).kv("seq", rec.seq())
                    .kv("mode", mode.id()).kv("version", rec.version()).kv("build_id", rec.buildId())
                    .kv("wall_clock", wallClock).log();
        }
        return rec;
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
