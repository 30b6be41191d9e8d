package dev.rayos.cli.recovery;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The recovery console ({@code rayos recovery}): the same menu on every terminal it is given, any of
 * them driving it, one action at a time. See {@code docs/recovery.md}, "The console".
 */
public final class RecoveryConsole {
    /** The marker printed (and logged) once every terminal accepts input. */
    public static final String READY = "RAYOS_RECOVERY_READY";

    /** How a terminal is driven; {@code AUTO} picks from the terminal's kind. */
    public enum Mode { AUTO, LINE, FULL }

    /**
     * A terminal to run on: a device, or (device null) this process's own terminal. {@code serial}
     * says the device is a serial line (line mode unless FULL is asked); {@code type} is the terminal
     * type of a device, null for the default (linux for a display, ansi for a serial line).
     */
    public record Place(File device, boolean serial, String type) {}

    private final List<RecoveryAction> entries;
    private final CommandRunner runner;
    private final RecoveryEvents events;
    private final Supplier<String> status;
    private final int pageLines;
    private final UnaryOperator<String> bootName;

    /**
     * @param status   the status line's text (the boot the console runs in)
     * @param bootName what a boot the user named ({@code -1}, a prefix, empty for the current) is,
     *                 for the viewer's status line
     */
    public RecoveryConsole(List<RecoveryAction> entries, CommandRunner runner, RecoveryEvents events,
                           Supplier<String> status, UnaryOperator<String> bootName, int pageLines) {
        this.bootName = bootName;
        this.entries = List.copyOf(entries);
        this.runner = runner;
        this.events = events;
        this.status = status;
        this.pageLines = pageLines;
    }

    /**
     * The mode a place gets: LINE or FULL as asked, else full screen only where it can be drawn — a
     * tty with a known type that has cursor addressing — and never on a serial line.
     */
    static Mode modeOf(Place place, Mode asked, String envTerm, boolean ownIsTty) {
        if (asked != Mode.AUTO) {
            return asked;
        }
        if (place.device() == null) {
            return ownIsTty && Terminals.fullScreenType(envTerm) ? Mode.FULL : Mode.LINE;
        }
        if (place.serial()) {
            return Mode.LINE;
        }
        return Terminals.fullScreenType(typeOf(place)) ? Mode.FULL : Mode.LINE;
    }

    private static String typeOf(Place p) {
        return p.type() != null ? p.type() : p.serial() ? "ansi" : "linux";
    }

    /** Opens the terminals, or fails with an IOException naming the one that could not be opened. */
    public List<AutoCloseable> open(List<Place> places, Mode asked) throws IOException {
        List<AutoCloseable> uis = new ArrayList<>();
        String envTerm = System.getenv("TERM");
        boolean ownTty = System.console() != null;
        try {
            for (Place p : places) {
                Mode m = modeOf(p, asked, envTerm, ownTty);
                if (m == Mode.FULL && p.device() == null && !ownTty) {
                    throw new IOException("this terminal is not a terminal: full screen needs one (try --mode line)");
                }
                if (p.device() == null) {
                    uis.add(m == Mode.FULL ? Terminals.ownScreen() : Terminals.ownLine(pageLines));
                } else {
                    if (!p.device().exists()) {
                        throw new IOException("no device " + p.device());
                    }
                    uis.add(m == Mode.FULL ? Terminals.deviceScreen(p.device(), typeOf(p))
                            : Terminals.deviceLine(p.device(), pageLines));
                }
            }
        } catch (IOException | RuntimeException e) {
            close(uis);
            throw e;
        }
        return uis;
    }

    /**
     * Runs a session on each terminal until one of them leaves, or every terminal's input ended.
     * Closes the terminals. Returns 0.
     */
    public int run(List<AutoCloseable> terminals) throws InterruptedException {
        List<ConsoleUi> uis = terminals.stream().map(ConsoleUi.class::cast).toList();
        ActionLock lock = new ActionLock();
        CountDownLatch left = new CountDownLatch(1);
        AtomicInteger open = new AtomicInteger(uis.size());
        events.ready(uis.stream().map(u -> u.name() + " (" + u.mode() + ")").toList());
        for (ConsoleUi ui : uis) {
            Thread t = new Thread(() -> {
                boolean quit = false;
                try {
                    ui.println(READY + " terminal=" + ui.name() + " mode=" + ui.mode());
                    quit = new ConsoleSession(ui, entries, runner, events, lock, status, bootName).run();
                } catch (IOException | RuntimeException e) {
                    // this terminal failed; the others go on
                }
                if (quit || open.decrementAndGet() == 0) {
                    left.countDown();
                }
            }, "rayos-recovery " + ui.name());
            t.setDaemon(true); // a session blocked reading its terminal does not keep the process
            t.start();
        }
        left.await();
        close(terminals);
        return 0;
    }

    private static void close(List<AutoCloseable> uis) {
        for (AutoCloseable u : uis) {
            try {
                u.close();
            } catch (Exception ignored) {
                // closing what is going away anyway
            }
        }
    }
}
