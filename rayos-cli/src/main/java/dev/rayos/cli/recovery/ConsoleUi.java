package dev.rayos.cli.recovery;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/** One terminal of the console: line mode ({@link LineUi}) or full screen ({@link ScreenUi}). */
interface ConsoleUi extends AutoCloseable {
    /**
     * Output to show. {@code boot} names the boot shown (null when none); {@code relevel}, when not
     * null, gives the same output at another minimum level (full screen's level filter).
     */
    record Shown(String title, String boot, List<String> lines, Function<String, Relevelled> relevel) {}

    /** The output at another level, or the one line saying why not. */
    record Relevelled(Shown shown, String error) {}

    /** The terminal's name in messages ({@code /dev/ttyS0}, {@code this terminal}). */
    String name();

    /** {@code line} or {@code full}. */
    String mode();

    /** A line of its own, before the menu comes up (the ready marker). */
    void println(String line) throws IOException;

    /**
     * Shows the menu, {@code message} (when not null) as one line with it, and returns the line typed;
     * null when the terminal's input ended.
     */
    String menu(String status, List<RecoveryAction> entries, String message) throws IOException;

    /** Asks one question and returns the line typed; null when the input ended. */
    String ask(String question) throws IOException;

    /** Shows output, paged. */
    void show(Shown shown) throws IOException;

    /** Hands the terminal to a program until it ends; its exit code. */
    int runProgram(List<String> argv) throws IOException, InterruptedException;

    @Override
    void close();
}
