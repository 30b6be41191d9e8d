package dev.rayos.cli.recovery;

import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The console on one terminal: the menu, the questions an action asks, its command, its output. The
 * same for both modes ({@link ConsoleUi} draws); bad input is one line with the menu again, and
 * nothing runs.
 */
final class ConsoleSession {
    private final ConsoleUi ui;
    private final List<RecoveryAction> entries;
    private final CommandRunner runner;
    private final RecoveryEvents events;
    private final ActionLock lock;
    private final Supplier<String> status;
    private final UnaryOperator<String> bootName;

    ConsoleSession(ConsoleUi ui, List<RecoveryAction> entries, CommandRunner runner, RecoveryEvents events,
                   ActionLock lock, Supplier<String> status, UnaryOperator<String> bootName) {
        this.bootName = bootName;
        this.ui = ui;
        this.entries = entries;
        this.runner = runner;
        this.events = events;
        this.lock = lock;
        this.status = status;
    }

    /** Outcome of an action: a line for the menu, output to show (after the lock is released), or both. */
    private record Done(String message, ConsoleUi.Shown shown) {
        static Done say(String message) {
            return new Done(message, null);
        }
    }

    /** Why a question got no usable answer: the line to show. */
    private static final class Stop extends Exception {
        Stop(String message) {
            super(message, null, false, false);
        }
    }

    /** Runs until the user leaves (true) or the terminal's input ends (false). */
    boolean run() throws IOException {
        String message = null;
        while (true) {
            String line = ui.menu(status.get() + " | " + ui.name(), entries, message);
            if (line == null) {
                return false;
            }
            MenuInput in = MenuInput.menu(line, entries.size());
            if (in instanceof MenuInput.Quit) {
                return true;
            }
            if (in instanceof MenuInput.Invalid bad) {
                message = bad.why();
                continue;
            }
            if (!(in instanceof MenuInput.Choice choice)) {
                message = null;
                continue;
            }
            RecoveryAction a = entries.get(choice.index());
            Done done;
            Optional<String> busy = lock.tryAcquire(a.label(), ui.name());
            if (busy.isPresent()) {
                events.action(a.id(), "busy", -1, ui.name());
                done = Done.say(busy.get());
            } else {
                try {
                    done = perform(a);
                } catch (Stop s) {
                    done = s.getMessage() == null ? null : Done.say(s.getMessage()); // null: input ended
                } finally {
                    lock.release();
                }
            }
            if (done == null) {
                return false;
            }
            if (done.shown() != null) {
                ui.show(done.shown());
            }
            message = done.message();
        }
    }

    /** One action, under the lock; null when the terminal's input ended. */
    private Done perform(RecoveryAction a) throws IOException, Stop {
        String boot = "";
        String vm = "";
        if (a.asksBoot()) {
            boot = answer(a, a.commandPath().contains("crash")
                    ? "Crash report of which boot? A boot id (Enter: the latest report)"
                    : "Which boot? -1 the one before, 1 the first, an id or a prefix of it (Enter: the current boot)");
        }
        if (!a.preview().isEmpty()) {
            CommandRunner.Result r = runner.run(a.preview());
            if (r.exit() == 2) {
                events.action(a.id(), "failed", r.exit(), ui.name());
                return Done.say(firstLine(r.err(), a.label() + " cannot be checked"));
            }
            ui.show(shown(a.label() + ": " + String.join(" ", a.preview()), null, r));
        }
        if (a.asksVm()) {
            vm = answer(a, "Reset the saved state of which VM? Its name, or all (Enter: cancel)");
            if (vm.isEmpty()) {
                events.action(a.id(), "cancelled", -1, ui.name());
                return Done.say("cancelled: nothing changed");
            }
            if (!vm.equals("all") && !RootLayout.isVmName(vm)) {
                events.action(a.id(), "bad-input", -1, ui.name());
                return Done.say("'" + vm + "' is not a VM name (letters, digits, '_', '.', '-'; see the list): "
                        + "nothing changed");
            }
        }
        if (a.confirm() != null) {
            String word = answer(a, a.label() + ": type " + a.confirm() + " to go on, anything else cancels");
            if (!word.equals(a.confirm())) {
                events.action(a.id(), "cancelled", -1, ui.name());
                return Done.say("not confirmed: nothing changed");
            }
        }
        List<String> argv = a.argv(boot, vm);
        if (a.external()) {
            events.action(a.id(), "started", -1, ui.name());
            int code;
            try {
                code = ui.runProgram(argv);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = -1;
            } catch (IOException e) {
                events.action(a.id(), "failed", -1, ui.name());
                return Done.say(a.label() + " failed: " + e.getMessage());
            }
            events.action(a.id(), code == 0 ? "ok" : "failed", code, ui.name());
            return Done.say(a.label() + " ended (exit " + code + ")");
        }
        if (a.confirm() != null) {
            events.action(a.id(), "started", -1, ui.name()); // logged before a reset that may remove the log
        }
        CommandRunner.Result r = runner.run(argv);
        if (r.exit() == 2) {
            events.action(a.id(), "bad-input", r.exit(), ui.name());
            return Done.say(firstLine(r.err(), "bad input"));
        }
        events.action(a.id(), r.exit() == 0 ? "ok" : "failed", r.exit(), ui.name());
        String boots = a.id().equals("logs") ? shownBoot(boot) : null;
        RecoveryAction.Further f = a.further();
        if (f != null && r.exit() != 0 && r.outText().contains(f.when())) {
            ui.show(shown(a.label(), boots, r));
            String word = answer(a, f.question() + ". Type " + f.confirm() + " to go on, anything else leaves it as it is");
            if (!word.equals(f.confirm())) {
                events.action(f.id(), "cancelled", -1, ui.name());
                return Done.say("not confirmed: " + String.join(" ", f.argv()) + " not run");
            }
            events.action(f.id(), "started", -1, ui.name());
            r = runner.run(f.argv());
            events.action(f.id(), r.exit() == 0 ? "ok" : r.exit() == 2 ? "bad-input" : "failed", r.exit(), ui.name());
            return new Done(r.exit() == 0 ? null : a.label() + ": exit " + r.exit(),
                    shown(a.label() + ": " + String.join(" ", f.argv()), boots, r));
        }
        ConsoleUi.Shown s = shown(a.label(), boots, r);
        if (a.id().equals("logs")) {
            s = new ConsoleUi.Shown(s.title(), s.boot(), s.lines(), level -> relevel(a, argv, boots, level));
        }
        return new Done(r.exit() == 0 ? null : a.label() + ": exit " + r.exit(), s);
    }

    /** The logs again at another level: the same command with {@code --level}. */
    private ConsoleUi.Relevelled relevel(RecoveryAction a, List<String> argv, String boot, String level) {
        MenuInput in = MenuInput.answer(level);
        if (in instanceof MenuInput.Invalid bad) {
            return new ConsoleUi.Relevelled(null, bad.why());
        }
        Optional<String> busy = lock.tryAcquire(a.label(), ui.name());
        if (busy.isPresent()) {
            return new ConsoleUi.Relevelled(null, busy.get());
        }
        try {
            List<String> again = new ArrayList<>(argv);
            String l = ((MenuInput.Answer) in).text();
            if (!l.isEmpty()) {
                again.add("--level=" + l);
            }
            CommandRunner.Result r = runner.run(again);
            if (r.exit() == 2) {
                return new ConsoleUi.Relevelled(null, firstLine(r.err(), "bad level"));
            }
            events.action(a.id(), r.exit() == 0 ? "ok" : "failed", r.exit(), ui.name());
            ConsoleUi.Shown s = shown(a.label(), boot, r);
            return new ConsoleUi.Relevelled(new ConsoleUi.Shown(s.title(), boot, s.lines(),
                    lv -> relevel(a, argv, boot, lv)), null);
        } finally {
            lock.release();
        }
    }

    /** An answer to a question, or {@link Stop} with the line saying why there is none. */
    private String answer(RecoveryAction a, String question) throws IOException, Stop {
        String line = ui.ask(question);
        if (line == null) {
            throw new Stop(null);
        }
        MenuInput in = MenuInput.answer(line);
        if (in instanceof MenuInput.Invalid bad) {
            events.action(a.id(), "bad-input", -1, ui.name());
            throw new Stop(bad.why() + ": nothing changed");
        }
        return ((MenuInput.Answer) in).text();
    }

    private String shownBoot(String boot) {
        return bootName.apply(boot);
    }

    private static ConsoleUi.Shown shown(String title, String boot, CommandRunner.Result r) {
        List<String> lines = new ArrayList<>(Text.lines(r.out()));
        if (r.cut()) {
            lines.add("(output cut: longer than the console keeps; read the rest with rayos logs -n)");
        }
        lines.addAll(Text.lines(r.err()));
        return new ConsoleUi.Shown(title, boot, lines, null);
    }

    private static String firstLine(String err, String otherwise) {
        List<String> l = Text.lines(err);
        return l.isEmpty() ? otherwise : l.get(0);
    }
}
