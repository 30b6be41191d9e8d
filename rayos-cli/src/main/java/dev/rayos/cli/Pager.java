package dev.rayos.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The pager of the reading commands, as journalctl does it: when standard output is a terminal,
 * output goes through {@code $RAYOS_PAGER}, else {@code $PAGER}, else {@code less -FRSX} ({@code -F}:
 * it quits at once when everything fits on the screen). An empty value or {@code cat} means none; a
 * pager that is not installed falls back to {@code less}, then {@code more}, then none.
 */
final class Pager {
    private final Process process;

    private Pager(Process process) {
        this.process = process;
    }

    /** The pager, or null when there is to be none (not a terminal, --no-pager, none chosen, none found). */
    static Pager start(Map<String, String> env) {
        if (System.console() == null) {
            return null; // standard output (or input) is not a terminal: a pipe or a file reads it
        }
        String cmd = env.get("RAYOS_PAGER");
        if (cmd == null) {
            cmd = env.get("PAGER");
        }
        if (cmd == null) {
            cmd = "less -FRSX";
        }
        if (cmd.isBlank() || cmd.strip().equals("cat")) {
            return null;
        }
        // as systemd's pager: one that is not there falls back to less, then more, then none
        for (String c : new String[] {cmd, "less -FRSX", "more"}) {
            if (found(env, c.strip().split("\\s+")[0])) {
                return run(c);
            }
        }
        return null;
    }

    /** Whether {@code program} can be run: a path that is executable, or a name found on $PATH. */
    static boolean found(Map<String, String> env, String program) {
        if (program.contains("/")) {
            return java.nio.file.Files.isExecutable(java.nio.file.Path.of(program));
        }
        if (!program.matches("[A-Za-z0-9._+-]+")) {
            return true; // shell syntax (a variable, a quote): sh decides
        }
        for (String dir : env.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Pager run(String cmd) {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", cmd));
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putIfAbsent("LESS", "FRSX");
        try {
            return new Pager(pb.start());
        } catch (IOException e) {
            return null; // no shell: write directly
        }
    }

    OutputStream input() {
        return process.getOutputStream();
    }

    /** Ends the input and waits for the person to quit the pager. */
    void finish() {
        try {
            process.getOutputStream().close();
        } catch (IOException gone) {
            // quit early (q before the end): nothing more to show
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
