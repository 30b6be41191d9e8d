package dev.rayos.cli;

import dev.rayos.cli.recovery.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs a {@code rayos} command inside this process with its output captured: the recovery console's
 * actions are the CLI's own commands (the same {@link RayosCommand}, the same error handling), so
 * what the console shows is what the command prints.
 *
 * <p>Output past {@code maxBytes} is cut: the capture then fails writes with "Broken pipe", which
 * the commands treat as a reader that went away ({@code rayos logs | head}). Commands print through
 * picocli's {@code getOut()}/{@code getErr()} (or {@link RayosCommand#rawOut}), never
 * {@code System.out}: the console's terminals are not this process's standard output.
 */
final class InProcessCommand implements CommandRunner {
    private final String root;
    private final long maxBytes;

    /** @param root the {@code --root} given to the console, or null (the commands choose as usual) */
    InProcessCommand(String root, long maxBytes) {
        this.root = root;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean exists(List<String> path) {
        CommandLine cl = RayosCommand.commandLine();
        boolean top = true;
        for (String name : path) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) {
                // a positional argument of a command with no subcommands (oneshot normal), not a missing command
                return !top && cl.getSubcommands().isEmpty() && !cl.getCommandSpec().positionalParameters().isEmpty();
            }
            cl = sub;
            top = false;
        }
        return true;
    }

    @Override
    public Result run(List<String> argv) {
        List<String> all = new ArrayList<>();
        if (root != null) {
            all.add("--root=" + root);
        }
        all.addAll(argv);
        CommandLine cl = RayosCommand.commandLine();
        Capture capture = new Capture(maxBytes);
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(capture, StandardCharsets.UTF_8), true);
        cl.setOut(outWriter);
        cl.setErr(new PrintWriter(err, true));
        ((RayosCommand) cl.getCommand()).rawOut = capture;
        int code = cl.execute(all.toArray(new String[0]));
        outWriter.flush();
        return new Result(code, capture.bytes(), capture.cut(), err.toString());
    }

    /** Bytes kept up to a cap; past it every write fails as a closed pipe does. */
    private static final class Capture extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final long max;
        private boolean cut;

        Capture(long max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            long room = max - kept.size();
            if (len > room) {
                kept.write(b, off, (int) Math.max(0, room));
                cut = true;
                throw new IOException("Broken pipe (output cut at " + max + " bytes)");
            }
            kept.write(b, off, len);
        }

        synchronized byte[] bytes() {
            return kept.toByteArray();
        }

        synchronized boolean cut() {
            return cut;
        }
    }
}
