package dev.rayos.harness;

import dev.rayos.log.line.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waiting on a {@link Machine}'s console: for an expectation's marker after the end of the previous
 * match (inside a given boot, when it names one), and for each {@code --send}'s marker before
 * typing its text. It keeps the two positions those waits are measured from: the end of the last
 * match, and where each boot began in the console (boot 1 at 0; a QMP {@code RESET} starts the
 * next). A wait returns early once the machine has ended, so a crash or the watchdog is reported
 * as such, not as a timeout.
 */
final class Expectations {
    private final Console console;
    private final MachineConfig config;
    private final Supplier<Ending> ending;
    private final BooleanSupplier crashSeen;
    private final Consumer<HarnessEvent> emit;
    // console position where each boot began (boot 1 at 0); a QMP RESET starts the next
    private final List<Long> bootStarts = new CopyOnWriteArrayList<>(List.of(0L));
    private long cursor; // end of the last matched expectation

    Expectations(Console console, MachineConfig config, Supplier<Ending> ending, BooleanSupplier crashSeen,
                 Consumer<HarnessEvent> emit) {
        this.console = console;
        this.config = config;
        this.ending = ending;
        this.crashSeen = crashSeen;
        this.emit = emit;
    }

    /** A guest reset: the next boot begins at the console's present position. Returns its number. */
    int bootBegan() {
        bootStarts.add(console.position());
        return bootStarts.size();
    }

    /** How many boots have begun (1 until the first guest reset). */
    int boots() {
        return bootStarts.size();
    }

    /** See {@link Machine#await(Expectation)}. */
    Awaited await(Expectation x) throws InterruptedException {
        if (x.boot() == 0) {
            return await(x.marker(), x.timeout());
        }
        long start = config.clock.monoNanos();
        long deadline = start + x.timeout().toNanos();
        int k = x.boot();
        if (!console.awaitUntil(deadline, () -> bootStarts.size() >= k || ending.get() != null)) {
            return new Awaited(x.marker(), false, (config.clock.monoNanos() - start) / 1_000_000, null);
        }
        if (bootStarts.size() < k) {
            return new Awaited(x.marker(), false, (config.clock.monoNanos() - start) / 1_000_000, ending.get());
        }
        long from = Math.max(cursor, bootStarts.get(k - 1));
        long at = console.awaitText(x.marker(), from, deadline, () -> ending.get() != null || bootStarts.size() > k);
        long waited = (config.clock.monoNanos() - start) / 1_000_000;
        if (at >= 0 && (bootStarts.size() <= k || at <= bootStarts.get(k))) {
            cursor = at;
            emit.accept(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_EXPECT_MET", "marker", x.marker(), "boot", Integer.toString(k),
                    "waited_ms", Long.toString(waited)));
            return new Awaited(x.marker(), true, waited, null);
        }
        if (bootStarts.size() > k && ending.get() == null) {
            emit.accept(HarnessEvent.of(Level.ERROR, "RAYOS_HARNESS_BOOT_ENDED", "boot", Integer.toString(k), "marker", x.marker()));
        }
        return new Awaited(x.marker(), false, waited, ending.get());
    }

    /** See {@link Machine#await(String, Duration)}. */
    Awaited await(String marker, Duration timeout) throws InterruptedException {
        if (marker.isEmpty()) {
            throw new IllegalArgumentException("empty marker");
        }
        long start = config.clock.monoNanos();
        long deadline = start + timeout.toNanos();
        long at = console.awaitText(marker, cursor, deadline, () -> ending.get() != null || (crashSeen.getAsBoolean() && !config.multiBoot()));
        if (at < 0 && crashSeen.getAsBoolean() && ending.get() == null && !config.multiBoot()) {
            // the settle thread ends the machine once the crash text is complete
            console.awaitUntil(config.clock.monoNanos() + config.crashSettle.toNanos() * 8, () -> ending.get() != null);
        }
        long waited = (config.clock.monoNanos() - start) / 1_000_000;
        if (at >= 0) {
            cursor = at;
            emit.accept(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_EXPECT_MET", "marker", marker, "waited_ms", Long.toString(waited)));
            return new Awaited(marker, true, waited, null);
        }
        return new Awaited(marker, false, waited, ending.get());
    }

    /** Types each {@code --send} with {@code type} once its marker appears, in order (its own thread). */
    void typeSends(Consumer<String> type) {
        long from = 0;
        try {
            for (Send s : config.sends) {
                if (s.boot() > 0 && !console.awaitUntil(Long.MAX_VALUE, () -> bootStarts.size() >= s.boot() || ending.get() != null)) {
                    return;
                }
                if (ending.get() != null) {
                    return;
                }
                long f = s.boot() > 0 ? Math.max(from, bootStarts.get(s.boot() - 1)) : from;
                long at = console.awaitText(s.marker(), f, Long.MAX_VALUE, () -> ending.get() != null);
                if (at < 0) {
                    return;
                }
                from = at;
                emit.accept(HarnessEvent.of(Level.INFO, "RAYOS_HARNESS_SEND", "marker", s.marker(), "text", s.text()));
                type.accept(s.text());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
