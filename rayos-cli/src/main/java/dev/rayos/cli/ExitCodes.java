package dev.rayos.cli;

import dev.rayos.machine.agent.AgentExit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every exit code of the {@code rayos} command, in one place: {@code rayos help} prints this table,
 * each command's help the rows that command can answer with, 1 said in that command's own terms
 * ({@link #forCommand}), and docs/reading-logs.md ("Exit codes") carries the same rows; a test
 * checks they agree.
 */
final class ExitCodes {
    private ExitCodes() {}

    static final int OK = 0;
    /** A check that did not hold: not ready, no crash found or shown, a boot already ended, a harness timeout. */
    static final int CHECK = 1;
    /** Bad usage or bad input: one line on stderr, nothing written. */
    static final int USAGE = 2;
    /** The environment failed: a file could not be read or written (said in words, with the path). */
    static final int ENVIRONMENT = 3;
    /** The root holds no RayOS machine (no var/rayos under it). */
    static final int NO_MACHINE = 9;
    /** An event reached the ring (and console) but not the log files: storage is broken. */
    static final int NOT_STORED = 10;
    /** A bug in rayos (not the environment, not the input): sysexits' EX_SOFTWARE. */
    static final int INTERNAL = 70;

    record Row(int code, String meaning) {}

    /** What exit 1 means, per command: the commands are named as under rayos (a group covers its own). */
    private record Check(String what, List<String> commands, boolean named) {}

    private static final List<Check> CHECKS = List.of(
            new Check("not ready", List.of("status", "analyze"), true),
            new Check("no boots yet", List.of("boots", "status", "analyze"), true),
            new Check("no crash found", List.of("crash ingest"), true),
            new Check("no crash report", List.of("crashes", "crash show"), true),
            new Check("no boot running or it already ended", List.of("shutdown", "time-sync"), true),
            new Check("problems left", List.of("repair", "vm reset-state"), true),
            new Check("the collector or the socket not reachable", List.of("forward", "serve"), true),
            new Check("a harness timeout", List.of("harness run"), false));

    static final List<Row> ROWS = List.of(
            new Row(OK, "success"),
            new Row(CHECK, "a check did not hold: " + allChecks()),
            new Row(USAGE, "bad usage or bad input: one line on stderr saying what, nothing written"),
            new Row(ENVIRONMENT, "a file could not be read or written (permission denied, disk full, read-only "
                    + "file system...): the path and why on stderr"),
            new Row(4, "harness run: the guest crashed"),
            new Row(5, "harness run: QEMU was unresponsive and was force-quit"),
            new Row(6, "harness run: QEMU did not start"),
            new Row(7, "harness run: QEMU exited before every marker was seen"),
            new Row(8, "harness run: a --fail-on pattern matched"),
            new Row(NO_MACHINE, "no RayOS machine at the root (no ROOT/var/rayos): a mistyped --root?"),
            new Row(NOT_STORED, "log, cat: the event reached only the ring and the console, not the log files"),
            new Row(AgentExit.REBOOT, "agent: the boot is over and the machine is to reboot (read by the image's /init)"),
            new Row(AgentExit.POWEROFF, "agent: the boot is over and the machine is to power off (read by /init)"),
            new Row(INTERNAL, "an internal error (a bug in rayos): one line on stderr saying so; RAYOS_DEBUG=1 prints "
                    + "where"));

    /** The commands that read or change a machine: exit 9 on a root without one. */
    private static final List<String> NEED_A_MACHINE = List.of("boots", "status", "analyze", "crashes", "crash show",
            "crash ingest", "shutdown", "time-sync", "logs", "repair", "vm", "factory-reset", "recovery", "forward");

    // Every command builds its help's rows at start, so this file keeps to plain loops and string
    // joins: String.format loads the locale data and a stream's lambdas are spun outside the
    // start-up archive, ~0.02 s of each short command's start (docs/PERFORMANCE.md).

    private static String allChecks() {
        List<String> parts = new ArrayList<>();
        for (Check c : CHECKS) {
            parts.add(c.what() + (c.named() ? " (" + String.join(", ", c.commands()) + ")" : ""));
        }
        return String.join(", ", parts);
    }

    /** A code as picocli's list shows it: right-aligned in two columns, as "%2d". */
    private static String code(int code) {
        return (code < 10 ? " " : "") + code;
    }

    /** The table as picocli's exit code list (code, meaning), in order. */
    static Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Row r : ROWS) {
            m.put(code(r.code()), r.meaning());
        }
        return m;
    }

    /** The rows command {@code name} (as under rayos: "crash ingest") can answer with, 1 in its own terms. */
    static Map<String, String> forCommand(String name) {
        List<String> checks = new ArrayList<>();
        for (Check c : CHECKS) {
            if (coversAny(c.commands(), name)) {
                checks.add(c.what());
            }
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Row r : ROWS) {
            boolean in = switch (r.code()) {
                case OK, USAGE, ENVIRONMENT, INTERNAL -> true;
                case CHECK -> !checks.isEmpty();
                case 4, 5, 6, 7, 8 -> name.equals("harness run");
                case NO_MACHINE -> coversAny(NEED_A_MACHINE, name);
                case NOT_STORED -> name.equals("log") || name.equals("cat");
                default -> name.equals("agent"); // its reboot and power-off
            };
            if (in) {
                m.put(code(r.code()),
                        r.code() == CHECK ? "a check did not hold: " + String.join(", ", checks) : r.meaning());
            }
        }
        return m;
    }

    private static boolean coversAny(List<String> groups, String name) {
        for (String g : groups) {
            if (covers(g, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the command named {@code group} is {@code name} or a command under it. */
    private static boolean covers(String group, String name) {
        return name.equals(group) || name.startsWith(group + " ");
    }
}
