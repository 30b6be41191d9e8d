package dev.rayos.recovery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real system tool run to its end (qemu-img, e2fsck): exit code and output (stdout and stderr). */
final class Tool {
    /** How a run ended. */
    record Run(int code, String output) {
        /** The last two non-empty lines of the output, as one line. */
        String summary() {
            String[] lines = output.strip().split("\n");
            StringBuilder b = new StringBuilder();
            for (int i = Math.max(0, lines.length - 2); i < lines.length; i++) {
                b.append(b.length() == 0 ? "" : "; ").append(lines[i].strip());
            }
            return b.length() == 0 ? "exit " + code : b.toString();
        }

        String firstLine() {
            String s = output.strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    private static final int MAX_OUTPUT = 16 << 20;

    private Tool() {}

    /**
     * Runs {@code cmd} with no input and waits at most {@code timeoutS} seconds.
     *
     * @param pkg the Debian package that provides it, named when it cannot be started
     */
    static Run run(List<String> cmd, int timeoutS, String pkg) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.get(0) + " (install " + pkg + "): " + e.getMessage());
        }
        p.getOutputStream().close();
        String out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish in " + timeoutS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while " + cmd.get(0) + " ran");
        }
        return new Run(p.exitValue(), out);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (b.size() < MAX_OUTPUT) {
                b.write(buf, 0, n);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
