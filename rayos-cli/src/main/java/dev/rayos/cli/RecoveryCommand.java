package dev.rayos.cli;

import dev.rayos.cli.recovery.RecoveryActions;
import dev.rayos.cli.recovery.RecoveryConsole;
import dev.rayos.cli.recovery.RecoveryEvents;
import dev.rayos.log.LogSystem;
import dev.rayos.log.root.BootId;
import dev.rayos.log.boot.BootMode;
import dev.rayos.log.boot.BootRecord;
import dev.rayos.log.boot.EndState;
import dev.rayos.log.read.BootCatalog;
import dev.rayos.log.read.BootSelector;
import dev.rayos.log.root.RootLayout;
import dev.rayos.log.time.LogClock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rayos recovery}: the recovery console, on this terminal or on the devices named. */
@Command(name = "recovery", mixinStandardHelpOptions = true,
        description = {"The recovery console: boots and why they failed, logs of any boot, crash reports,",
            "check and repair, VM saved state, factory resets, the next boot's mode, reboot.",
            "Runs on every terminal given at once (any of them drives it, one action at a time);",
            "prints RAYOS_RECOVERY_READY on each once it accepts input.",
            "Line mode (numbered menu, no escape codes) on a serial line, a pipe or a dumb terminal;",
            "full screen (JLine) where the terminal can draw it."},
        footer = {"", "Examples:",
            "  rayos recovery                                   on this terminal",
            "  rayos recovery --serial /dev/ttyS0 --display /dev/tty1",
            "  printf '1\\nq\\n' | rayos recovery                 a script over a pipe (line mode)"})
final class RecoveryCommand implements Callable<Integer> {
    /** Output of one action kept for showing; past it the output is cut (and says so). */
    static final long MAX_OUTPUT = 64L << 20;

    @ParentCommand
    RayosCommand parent;

    @Option(names = "--serial", paramLabel = "DEV", description = "A serial line to run on (/dev/ttyS0).")
    File serial;

    @Option(names = "--display", paramLabel = "DEV", description = "The local display's console (/dev/tty1).")
    File display;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, line or full (default: ${DEFAULT-VALUE}: line on a serial line, a pipe or a dumb "
                    + "or unknown TERM).")
    String mode;

    @Option(names = "--term", paramLabel = "TYPE",
            description = "Terminal type of the devices (default: linux for --display, ansi for --serial).")
    String term;

    @Option(names = "--page-lines", paramLabel = "N", defaultValue = "20",
            description = "Lines per page in line mode (default: ${DEFAULT-VALUE}).")
    int pageLines;

    @Override
    public Integer call() throws Exception {
        RecoveryConsole.Mode m;
        try {
            m = RecoveryConsole.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--mode '" + RayosCommand.oneLine(mode) + "' is not auto, line or full");
        }
        if (pageLines < 3 || pageLines > 1000) {
            throw new UserError("--page-lines must be 3 to 1000, not " + pageLines);
        }
        if (term != null && !term.matches("[A-Za-z0-9][A-Za-z0-9+._-]{0,31}")) {
            throw new UserError("--term '" + RayosCommand.oneLine(term) + "' is not a terminal type");
        }
        List<RecoveryConsole.Place> places = new ArrayList<>();
        if (display != null) {
            places.add(new RecoveryConsole.Place(display, false, term));
        }
        if (serial != null) {
            places.add(new RecoveryConsole.Place(serial, true, term));
        }
        if (places.isEmpty()) {
            places.add(new RecoveryConsole.Place(null, false, null));
        }
        for (RecoveryConsole.Place p : places) {
            if (p.device() != null && !p.device().exists()) {
                throw new UserError("recovery: no device " + p.device()); // before anything is written
            }
        }
        RootLayout layout = parent.machine(); // a mistyped root is not a machine to start a recovery boot on
        MachineRoot machine = new MachineRoot(layout, LogClock.system());
        Log log = new Log(machine);
        InProcessCommand runner = new InProcessCommand(parent.root, MAX_OUTPUT);
        RecoveryConsole console = new RecoveryConsole(
                RecoveryActions.available(RecoveryActions.standard(), runner, layout.root().equals(Path.of("/"))),
                runner, log, log::status, log::bootName, pageLines);
        List<AutoCloseable> terminals;
        try {
            terminals = console.open(places, m);
        } catch (IOException e) {
            throw new UserError("recovery: " + RayosCommand.oneLine(e.getMessage()));
        }
        return console.run(terminals);
    }

    /**
     * The console's events, in the log of the boot running (the recovery boot), else of a recovery
     * boot started for them. Each event opens and closes a log system, as a command does: an action
     * may remove the log files (a factory reset), and the console keeps nothing open across it.
     * Logging never stops the console: on a broken disk it still comes up.
     */
    static final class Log implements RecoveryEvents {
        private final MachineRoot machine;

        Log(MachineRoot machine) {
            this.machine = machine;
            try {
                if (running().isEmpty()) {
                    machine.boots().start(BootMode.RECOVERY, true);
                }
            } catch (IOException | RuntimeException e) {
                // no boot to log into: the console runs all the same
            }
        }

        @Override
        public void ready(List<String> terminals) {
            log(l -> l.notice(RecoveryConsole.READY).kv("terminals", String.join(", ", terminals)).log());
        }

        @Override
        public void action(String id, String result, int exit, String terminal) {
            log(l -> {
                var e = l.notice("RAYOS_RECOVERY_ACTION").kv("action", id).kv("result", result);
                if (exit >= 0) {
                    e.kv("exit", exit);
                }
                e.kv("terminal", terminal).log();
            });
        }

        /** The status line: the boot the console runs in, and the root. */
        String status() {
            Optional<BootRecord> r = running();
            return "boot " + r.map(b -> b.id().hex() + " (" + b.mode().id() + ")").orElse("none")
                    + " | root " + machine.layout().root();
        }

        /**
         * The boot a selector names, as {@code <id> #<n> <mode> <end>} (#1 the first boot, as -b 1); the
         * selector when it names none.
         */
        String bootName(String selector) {
            try {
                var cat = BootCatalog.load(machine.layout(), machine.boots());
                var sel = cat.select(BootSelector.parse(selector));
                if (sel.size() == 1) {
                    BootRecord r = sel.get(0).record();
                    return sel.get(0).id().hex() + (r == null ? "" : " #" + (r.seq() + 1) + " " + r.mode().id() + " "
                            + r.end().id());
                }
            } catch (Exception e) {
                // shown as typed
            }
            return selector.isEmpty() ? "current" : selector;
        }

        private Optional<BootRecord> running() {
            try {
                Optional<BootId> cur = machine.boots().current();
                if (cur.isEmpty()) {
                    return Optional.empty();
                }
                BootRecord r = machine.boots().read(cur.get());
                return r.end() == EndState.RUNNING ? Optional.of(r) : Optional.empty();
            } catch (Exception e) {
                return Optional.empty();
            }
        }

        private void log(Consumer<dev.rayos.log.Logger> event) {
            Optional<BootRecord> r = running();
            if (r.isEmpty()) {
                return; // a reset removed the boot: what it did was logged before it ran
            }
            try (LogSystem sys = machine.open(r.get())) {
                event.accept(sys.logger("recovery"));
            } catch (Exception e) {
                // a broken store: the console goes on
            }
        }
    }
}
