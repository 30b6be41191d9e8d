package dev.rayos.cli.recovery;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

/**
 * Opens the console's terminals: this process's own, or a device ({@code /dev/ttyS0},
 * {@code /dev/tty1}), in line or full-screen mode.
 *
 * <p>A device in full-screen mode is put in raw mode with {@code stty -F} (busybox has it) and driven
 * by a JLine terminal over the device's streams, which does the line discipline; its settings are
 * restored on close and around a program. JLine ships no {@code linux} terminfo entry (the Linux
 * console on the framebuffer): it is bundled here, from ncurses' {@code infocmp linux}, because the
 * recovery image has no {@code infocmp}.
 */
final class Terminals {
    static {
        InfoCmp.setDefaultInfoCmp("linux", () -> resource("linux.caps"));
    }

    private Terminals() {}

    /** True when JLine can draw a full screen on {@code type}: it knows cursor addressing and clearing. */
    static boolean fullScreenType(String type) {
        if (type == null || type.isEmpty() || type.startsWith("dumb")) {
            return false;
        }
        String caps = InfoCmp.getDefaultInfoCmp(type);
        if (caps == null) {
            try {
                caps = InfoCmp.getInfoCmp(type);
            } catch (IOException | InterruptedException | RuntimeException e) {
                return false; // no infocmp, or no entry: an unknown terminal
            }
        }
        return caps != null && caps.contains("cup=") && caps.contains("clear=");
    }

    /** This process's standard input and output in line mode (a pipe, a script, a dumb terminal). */
    static ConsoleUi ownLine(int pageLines) {
        return new LineUi("this terminal", new FileInputStream(FileDescriptor.in),
                new FileOutputStream(FileDescriptor.out), pageLines, null);
    }

    /** This process's own terminal in full-screen mode. */
    static ConsoleUi ownScreen() throws IOException {
        Terminal t = TerminalBuilder.builder().name("rayos-recovery").system(true).dumb(false).build();
        return new ScreenUi("this terminal", t, null, null);
    }

    /** A device in line mode: the kernel's cooked mode does echo and editing. */
    static ConsoleUi deviceLine(File dev, int pageLines) throws IOException {
        return new LineUi(dev.getPath(), new FileInputStream(dev), new FileOutputStream(dev), pageLines, dev);
    }

    /** A device in full-screen mode as terminal {@code type}. */
    static ConsoleUi deviceScreen(File dev, String type) throws IOException {
        String saved = stty(dev, "-g").strip();
        stty(dev, "raw", "-echo");
        int rows = 24;
        int cols = 80;
        String[] size = stty(dev, "size").strip().split("\\s+");
        if (size.length == 2 && size[0].matches("[0-9]{1,4}") && size[1].matches("[0-9]{1,4}")
                && Integer.parseInt(size[0]) > 2 && Integer.parseInt(size[1]) > 10) {
            rows = Integer.parseInt(size[0]);
            cols = Integer.parseInt(size[1]);
        }
        Terminal t = TerminalBuilder.builder().name(dev.getPath()).type(type).system(false)
                .streams(new FileInputStream(dev), new FileOutputStream(dev)).encoding(StandardCharsets.UTF_8)
                .size(new Size(cols, rows)).build();
        ScreenUi.DeviceModes modes = new ScreenUi.DeviceModes() {
            @Override
            public void cooked() throws IOException {
                stty(dev, saved);
            }

            @Override
            public void raw() throws IOException {
                stty(dev, "raw", "-echo");
            }

            @Override
            public void close() {
                try {
                    stty(dev, saved);
                } catch (IOException ignored) {
                    // the device went away
                }
            }
        };
        return new ScreenUi(dev.getPath(), t, dev, modes);
    }

    /** {@code stty -F DEV ARGS…}: its output, or an IOException saying why it failed. */
    static String stty(File dev, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("stty", "-F", dev.getPath()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("stty -F " + dev + " " + String.join(" ", args) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for stty");
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Terminals.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
