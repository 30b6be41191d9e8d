package dev.rayos.machine.disk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the disk tools the machine is built with (sfdisk, mkfs.vfat, mtools, mke2fs, debugfs,
 * jlink, ...) as a child process, never through a shell, and turns a failure into one line that says
 * which tool failed and what it printed.
 */
public final class Tool {
    /** What a tool printed and how it ended. */
    public record Result(int exit, byte[] out, String err) {
        public String outText() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private Tool() {}

    /** Runs {@code cmd}; a non-zero exit is a {@link ToolException}. */
    public static Result run(List<String> cmd) throws ToolException {
        return run(cmd, null, Map.of(), 600);
    }

    /** Runs {@code cmd} with {@code stdin} (or none) and extra environment; a non-zero exit throws. */
    public static Result run(List<String> cmd, byte[] stdin, Map<String, String> env, int timeoutSeconds) throws ToolException {
        Result r = runAllowingFailure(cmd, stdin, env, timeoutSeconds);
        if (r.exit() != 0) {
            throw new ToolException(cmd.get(0) + " failed (exit " + r.exit() + "): " + firstLines(r.err().isBlank() ? r.outText() : r.err()));
        }
        return r;
    }

    /** Runs {@code cmd} and returns however it ended (a tool that cannot be started still throws). */
    public static Result runAllowingFailure(List<String> cmd, byte[] stdin, Map<String, String> env, int timeoutSeconds)
            throws ToolException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        pb.environment().putAll(env);
        Path err;
        try {
            err = Files.createTempFile("rayos-tool", ".err");
        } catch (IOException e) {
            throw new ToolException("cannot create a temporary file: " + e.getMessage(), e);
        }
        try {
            pb.redirectError(err.toFile());
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new ToolException(cmd.get(0) + " cannot be run (" + e.getMessage() + "); run .ci/install-machine.sh", e);
            }
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException e) {
                // the tool closed its input early; its exit status says whether that mattered
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream o = p.getInputStream()) {
                o.transferTo(out);
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new ToolException(cmd.get(0) + " did not finish within " + timeoutSeconds + " s");
                }
            } catch (IOException e) {
                throw new ToolException("reading the output of " + cmd.get(0) + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new ToolException(cmd.get(0) + " interrupted", e);
            }
            return new Result(p.exitValue(), out.toByteArray(), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ToolException("reading the errors of " + cmd.get(0) + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a stray temporary file is harmless
            }
        }
    }

    /** Whether {@code exe} is on the PATH. */
    public static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLines(String s) {
        String t = s.strip().replace('\r', ' ');
        String[] lines = t.split("\n");
        String joined = String.join("; ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 3)));
        return joined.length() > 400 ? joined.substring(0, 400) + "…" : joined;
    }
}
