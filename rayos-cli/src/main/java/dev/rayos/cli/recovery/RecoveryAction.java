package dev.rayos.cli.recovery;

import java.util.List;

/**
 * One entry of the recovery menu: a label and the command it runs. A plain value so the boot image
 * can add or change entries without touching the console.
 *
 * <p>{@code argv} is a {@code rayos} command line run in-process, or, when {@code external} is true,
 * a program run with the terminal handed over ({@code reboot -f}, a shell). {@code {boot}} in an
 * element is replaced by the boot the user names (an element that is only {@code {boot}} is left out
 * when the answer is empty), an element {@code {vm}} by {@code --}, then the VM name (the answer
 * {@code all} by {@code --all}). When {@code preview} is not empty it runs first and its output
 * is shown before the confirmation ({@code repair --dry-run} before {@code repair --yes}). A
 * non-null {@code confirm} is the word the user must type before {@code argv} runs.
 *
 * @param id       the name in {@code RAYOS_RECOVERY_ACTION action=<id>}
 * @param label    what the menu shows
 * @param argv     the command
 * @param external a program rather than a {@code rayos} command
 * @param preview  a command whose output is shown first, or empty
 * @param confirm  the confirmation word, or null
 * @param further  a second, stronger command offered when the first one's output says it is needed, or null
 */
public record RecoveryAction(String id, String label, List<String> argv, boolean external, List<String> preview,
                             String confirm, Further further) {
    public static final String BOOT = "{boot}";
    public static final String VM = "{vm}";

    /**
     * A stronger command the console offers after the action's command failed and its output holds
     * {@code when} ({@code repair --yes} after e2fsck -p left errors): the question is shown, and it
     * runs only once the user typed {@code confirm}.
     *
     * @param id       the name in {@code RAYOS_RECOVERY_ACTION action=<id>}
     */
    public record Further(String id, String when, String question, String confirm, List<String> argv) {
        public Further {
            argv = List.copyOf(argv);
        }
    }

    public RecoveryAction {
        argv = List.copyOf(argv);
        preview = List.copyOf(preview);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("action " + id + " has no command");
        }
    }

    /** The same action, offering {@code f} when its output calls for it. */
    public RecoveryAction then(Further f) {
        return new RecoveryAction(id, label, argv, external, preview, confirm, f);
    }

    /** A {@code rayos} command that only shows something. */
    public static RecoveryAction show(String id, String label, String... argv) {
        return new RecoveryAction(id, label, List.of(argv), false, List.of(), null, null);
    }

    /** A {@code rayos} command that changes the machine once the user typed {@code confirm}. */
    public static RecoveryAction change(String id, String label, List<String> preview, String confirm,
                                        String... argv) {
        return new RecoveryAction(id, label, List.of(argv), false, preview, confirm, null);
    }

    /** A program run with the terminal handed over, after the user typed {@code confirm} (null: at once). */
    public static RecoveryAction program(String id, String label, String confirm, String... argv) {
        return new RecoveryAction(id, label, List.of(argv), true, List.of(), confirm, null);
    }

    /** The command with the user's answers in place of {@code {boot}} and {@code {vm}}. */
    List<String> argv(String boot, String vm) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String a : argv) {
            if (a.equals(VM)) {
                if (vm.equals("all")) {
                    out.add("--all");
                } else {
                    out.add("--");
                    out.add(vm);
                }
            } else if (a.equals(BOOT)) {
                if (!boot.isEmpty()) {
                    out.add(boot);
                }
            } else {
                out.add(a.replace(BOOT, boot));
            }
        }
        return out;
    }

    /** The subcommand names of the {@code rayos} command (options and placeholders left out). */
    List<String> commandPath() {
        return argv.stream().takeWhile(a -> !a.startsWith("-") && !a.startsWith("{")).toList();
    }

    boolean asksBoot() {
        return argv.stream().anyMatch(a -> a.contains(BOOT));
    }

    boolean asksVm() {
        return argv.contains(VM);
    }
}
