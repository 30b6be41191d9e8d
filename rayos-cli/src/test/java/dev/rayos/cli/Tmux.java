package dev.rayos.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real tmux server of the test's own (its own socket, no user configuration): windows of a fixed
 * size, keys typed with {@code send-keys}, the screen read with {@code capture-pane}.
 */
final class Tmux implements AutoCloseable {
    private final String socket = "rayos-test-" + UUID.randomUUID();
    private boolean started;

    static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tmux"))) {
                return true;
            }
        }
        return false;
    }

    /** A shell command running {@code rayos ARGS…} in a child JVM, then showing its exit code and waiting. */
    static String rayos(String env, Path stderr, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        StringBuilder b = new StringBuilder("env ").append(env);
        for (String c : cmd) {
            b.append(' ').append(quote(c));
        }
        return b.append(" 2>").append(quote(stderr.toString())).append("; echo \"[exit $?]\"; sleep 600").toString();
    }

    /** Window {@code name} running {@code command} (sh), {@code cols} x {@code rows}. */
    void window(String name, int cols, int rows, String command) throws Exception {
        if (!started) {
            tmux("new-session", "-d", "-s", "t", "-n", name, "-x", String.valueOf(cols), "-y", String.valueOf(rows),
                    command);
            started = true;
        } else {
            tmux("new-window", "-d", "-t", "t", "-n", name, command);
        }
    }

    /** The terminal device of a window's pane ({@code /dev/pts/N}). */
    String tty(String window) throws Exception {
        return tmux("display-message", "-p", "-t", "t:" + window, "#{pane_tty}").strip();
    }

    /** Types into a window: tmux key names (Enter, Down, PageDown) or literal text with {@code -l}. */
    void keys(String window, String... keys) throws Exception {
        List<String> a = new ArrayList<>(List.of("send-keys", "-t", "t:" + window));
        a.addAll(List.of(keys));
        tmux(a.toArray(new String[0]));
    }

    /** Literal text, then Enter. */
    void type(String window, String text) throws Exception {
        tmux("send-keys", "-t", "t:" + window, "-l", "--", text);
        tmux("send-keys", "-t", "t:" + window, "Enter");
    }

    /** The screen of a window as text, one line per row. */
    String screen(String window) throws Exception {
        return tmux("capture-pane", "-p", "-t", "t:" + window);
    }

    /**
     * Waits until the window's screen shows {@code text} (up to 60 s: JVMs start slowly on a loaded
     * machine) and returns the screen; fails with the screen as it was.
     */
    String await(String window, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = screen(window);
        while (!s.contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' on window " + window + " within 60 s; screen:\n" + s);
            }
            Thread.sleep(100);
            s = screen(window);
        }
        return s;
    }

    /**
     * Waits until the window shows {@code then} somewhere after {@code first} (a result and the prompt
     * drawn after it: the screen may be read between the two writes) and returns the screen.
     */
    String awaitThen(String window, String first, String then) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = screen(window);
        while (s.indexOf(first) < 0 || s.indexOf(then, s.indexOf(first) + first.length()) < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + first + "' then '" + then + "' on window " + window
                        + " within 60 s; screen:\n" + s);
            }
            Thread.sleep(100);
            s = screen(window);
        }
        return s;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public void close() throws Exception {
        if (started) {
            tmux("kill-server");
        }
    }
}
