package dev.rayos.cli.recovery;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs one of the CLI's own commands for the console and hands back what it printed. */
public interface CommandRunner {
    /**
     * What a command printed.
     *
     * @param exit its exit code (0 success, 1 a check did not hold, 2 bad input, …)
     * @param out  its standard output
     * @param cut  true when the output was longer than the console keeps and was cut
     * @param err  its standard error (one line for bad input)
     */
    record Result(int exit, byte[] out, boolean cut, String err) {
        public String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** True when this build has the command {@code path} (for example {@code [vm, reset-state]}). */
    boolean exists(List<String> path);

    /** Runs {@code rayos ARGV…} to its end. */
    Result run(List<String> argv);
}
