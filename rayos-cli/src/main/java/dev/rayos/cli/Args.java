package dev.rayos.cli;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import java.util.ArrayList;
import java.util.List;

/** Checks of command-line input shared by the commands; each failure is a one-line {@link UserError}. */
final class Args {
    private Args() {}

    static Level level(String s) {
        try {
            return Level.parseUserInput(s);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static String component(String s) {
        try {
            return LineCodec.requireComponent(s);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static String event(String s) {
        try {
            return LineCodec.requireEvent(s);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Splits {@code key=value} arguments at the first '=' and checks each key. */
    static List<String[]> fields(List<String> args) {
        List<String[]> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new UserError("argument '" + LineCodec.printable(a) + "' is not KEY=VALUE");
            }
            String key = a.substring(0, eq);
            try {
                LineCodec.requireKey(key);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            out.add(new String[] {key, a.substring(eq + 1)});
        }
        return out;
    }
}
