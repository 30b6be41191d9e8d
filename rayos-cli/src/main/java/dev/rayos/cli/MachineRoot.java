package dev.rayos.cli;

import dev.rayos.log.LogSystem;
import dev.rayos.log.boot.BootHistoryException;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.Boots;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/** The machine at a root as the CLI commands see it: its boots and a log system for the current boot. */
final class MachineRoot {
    private final RootLayout layout;
    private final LogClock clock;
    private final Boots boots;

    MachineRoot(RootLayout layout, LogClock clock) {
        this.layout = layout;
        this.clock = clock;
        this.boots = new Boots(layout, clock);
    }

    /**
     * The clock lines of {@code boot} carry: after a time sync, UTC is the latest synced time plus
     * the monotonic time elapsed since (not the host's clock, which may disagree: the timeline stays
     * one line); before, the machine's clocks.
     */
    LogClock clockOf(BootRecord boot) {
        BootRecord.TimeSync pair = boot.writingPair();
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
     * The current boot's record; with none, a damaged one, or one that was shut down cleanly, a new
     * boot is started, saying so on {@code err} unless there was simply none. (A boot that ended
     * otherwise, crashed say, keeps its late lines: its end was judged by others, not by its
     * shutdown.)
     */
    BootRecord currentOrStart(java.io.PrintWriter err) throws IOException {
        Optional<String> damage = boots.currentDamage();
        Optional<BootId> cur = boots.current();
        if (cur.isPresent()) {
            try {
                BootRecord rec = boots.read(cur.get());
                if (rec.end() != dev.rayos.log.boot.EndState.CLEAN) {
                    return rec;
                }
                err.println("rayos: boot " + rec.id() + " was shut down: starting a new boot");
                err.flush();
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

    /**
     * The boot that is running, for the commands that act on it ({@code shutdown}, {@code time-sync}):
     * a damaged {@code current_boot_id} is said as such (exit 3), no boot or one that already ended is
     * a check that did not hold (exit 1).
     *
     * @param doing what the command would do, for the damaged case ("which boot to end")
     */
    BootRecord running(String doing) throws IOException {
        Optional<String> damage = boots.currentDamage();
        if (damage.isPresent()) {
            throw new UserError(damage.get() + ": " + doing + " is not known; 'rayos boot' starts a new one "
                    + "(and marks boots left running unclean)", ExitCodes.ENVIRONMENT);
        }
        Optional<BootId> cur = boots.current();
        if (cur.isEmpty()) {
            throw new UserError("no boot is running under " + layout.root() + " (start one with 'rayos boot')",
                    ExitCodes.CHECK);
        }
        BootRecord rec;
        try {
            rec = boots.read(cur.get());
        } catch (BootHistoryException e) {
            throw new UserError("the history of the current boot " + cur.get() + " cannot be read ("
                    + RayosCommand.oneLine(e.getMessage()) + "); 'rayos boot' starts a new one", ExitCodes.ENVIRONMENT);
        }
        if (rec.end() != dev.rayos.log.boot.EndState.RUNNING) {
            throw new UserError("boot " + rec.id() + " already ended (" + rec.end().id() + "); 'rayos boot' starts "
                    + "a new one", ExitCodes.CHECK);
        }
        return rec;
    }

    /**
     * The one boot {@code sel} names, for the commands that look at one ({@code status},
     * {@code analyze}): {@code -b all} is refused; a machine with no boot yet is a check that did not
     * hold (exit 1: nothing is ready), any other miss bad input (exit 2).
     */
    static dev.rayos.log.read.BootCatalog.Entry oneBoot(dev.rayos.log.read.BootCatalog cat, String boot, String command) {
        try {
            dev.rayos.log.read.BootSelector sel = dev.rayos.log.read.BootSelector.parse(boot);
            if (sel instanceof dev.rayos.log.read.BootSelector.All) {
                throw new UserError(command + " looks at one boot: -b all is not one");
            }
            if (sel instanceof dev.rayos.log.read.BootSelector.Current && cat.all().isEmpty()) {
                throw noBootsYet(cat.layout());
            }
            return cat.select(sel).get(0);
        } catch (dev.rayos.log.read.ReadQueryException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** A machine that has not booted yet: exit 1, as coredumpctl says "No coredumps found". */
    static UserError noBootsYet(RootLayout layout) {
        return new UserError("no boots under " + layout.root() + " yet (start one with 'rayos boot')", ExitCodes.CHECK);
    }

    /** For the readers: says on {@code err} which log directories were left out as unreadable. */
    static void sayUnreadable(dev.rayos.log.read.BootCatalog cat, java.io.PrintWriter err) {
        for (String u : cat.unreadable()) {
            err.println("rayos: skipped " + u);
        }
        err.flush();
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
