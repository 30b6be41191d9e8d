package dev.rayos.cli.recovery;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Line mode, for a dumb serial terminal or a script: a numbered menu, one line per entry, no escape
 * codes, every screen ending in a prompt, output paged by {@code pageLines}. The device stays in the
 * kernel's cooked mode, so the kernel echoes and edits the line (cheap at 115200 baud).
 *
 * <p>Input is read a byte at a time, never ahead: a program the console hands the terminal to (a
 * shell) gets every byte typed after its start.
 */
final class LineUi implements ConsoleUi {
    static final int MAX_LINE = 4096;

    private final String name;
    private final InputStream in;
    private final OutputStream out;
    private final int pageLines;
    private final File device; // null: this process's own stdin/stdout
    private boolean lastWasCr;

    LineUi(String name, InputStream in, OutputStream out, int pageLines, File device) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.pageLines = pageLines;
        this.device = device;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String mode() {
        return "line";
    }

    @Override
    public void println(String line) throws IOException {
        write(line + "\n");
    }

    @Override
    public String menu(String status, List<RecoveryAction> entries, String message) throws IOException {
        StringBuilder b = new StringBuilder();
        if (message != null) {
            b.append(message).append('\n');
        }
        b.append('\n').append("RayOS recovery - ").append(status).append('\n');
        for (int i = 0; i < entries.size(); i++) {
            b.append(String.format("%3d  %s%n", i + 1, entries.get(i).label()));
        }
        b.append("  q  Leave the console\n");
        b.append("choice [1-").append(entries.size()).append(", q]> ");
        write(b.toString());
        return readLine();
    }

    @Override
    public String ask(String question) throws IOException {
        write(question + "> ");
        return readLine();
    }

    @Override
    public void show(Shown shown) throws IOException {
        List<String> lines = shown.lines();
        write("== " + shown.title() + (shown.boot() == null ? "" : " (boot " + shown.boot() + ")") + " ==\n");
        int at = 0;
        while (at < lines.size()) {
            int to = Math.min(lines.size(), at + pageLines);
            StringBuilder b = new StringBuilder();
            for (int i = at; i < to; i++) {
                b.append(lines.get(i)).append('\n');
            }
            write(b.toString());
            at = to;
            if (at < lines.size()) {
                String a = ask("-- lines 1-" + at + " of " + lines.size() + ": Enter for more, q for the menu --");
                if (a == null || a.strip().equals("q")) {
                    return;
                }
            }
        }
        write("== end of " + shown.title() + " (" + lines.size() + " line" + (lines.size() == 1 ? "" : "s") + ") ==\n");
    }

    @Override
    public int runProgram(List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (device == null) {
            pb.inheritIO();
        } else {
            pb.redirectInput(device).redirectOutput(ProcessBuilder.Redirect.appendTo(device))
                    .redirectErrorStream(true);
        }
        return pb.start().waitFor();
    }

    /** One line without its end (LF, CR or CR LF); null at end of input. Longer lines are cut. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = c == '\r';
            if (c == '\n' || c == '\r') {
                return b.toString(StandardCharsets.UTF_8);
            }
            if (b.size() < MAX_LINE) {
                b.write(c);
            }
        }
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException ignored) {
            // the terminal went away
        }
    }
}
