package dev.rayos.cli.recovery;

import dev.rayos.log.line.LineCodec;

/**
 * What a line typed at the console means: at the menu a choice, quit, or nothing (show the menu
 * again); at a question an answer. Anything else is {@link Invalid} with one line saying why, and the
 * console changes nothing. Typed text comes from a serial line or a keyboard and may hold anything:
 * control characters, escape sequences, line noise, huge numbers.
 */
public sealed interface MenuInput {
    /** The longest answer taken (boot ids are 32 characters, VM names fewer). */
    int MAX_ANSWER = 64;

    /** Menu entry {@code index} (0-based) was chosen. */
    record Choice(int index) implements MenuInput {}

    /** Leave the console. */
    record Quit() implements MenuInput {}

    /** An empty line: show the menu again. */
    record Redraw() implements MenuInput {}

    /** Text given at a question, trimmed; printable ASCII, at most {@link #MAX_ANSWER} characters. */
    record Answer(String text) implements MenuInput {}

    /** Not understood: {@code why} is the line to show. */
    record Invalid(String why) implements MenuInput {}

    /** A line typed at a menu of {@code count} entries numbered from 1. */
    static MenuInput menu(String line, int count) {
        String s = trim(line);
        if (s.isEmpty()) {
            return new Redraw();
        }
        if (s.equals("q") || s.equals("quit")) {
            return new Quit();
        }
        if (s.length() <= 3 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= count) {
                return new Choice(n - 1);
            }
        }
        return new Invalid("unknown choice '" + LineCodec.printable(s) + "': type a number from 1 to " + count
                + ", or q to leave");
    }

    /** A line typed at a question (a boot, a VM name, a confirmation word). */
    static MenuInput answer(String line) {
        String s = trim(line);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return new Invalid("'" + LineCodec.printable(s) + "' has a character other than printable ASCII");
            }
        }
        if (s.length() > MAX_ANSWER) {
            return new Invalid("answer longer than " + MAX_ANSWER + " characters");
        }
        return new Answer(s);
    }

    /** Spaces, tabs and a carriage return (a serial terminal's CR LF) around the text do not count. */
    private static String trim(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && blank(line.charAt(from))) {
            from++;
        }
        while (to > from && blank(line.charAt(to - 1))) {
            to--;
        }
        return line.substring(from, to);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
