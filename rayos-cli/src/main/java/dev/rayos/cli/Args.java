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

    /**
     * Splits {@code key=value} arguments at the first '=' and checks each key: a key given twice is
     * refused (which one would a reader take?).
     */
    static List<String[]> fields(List<String> args) {
        List<String[]> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
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
            if (!seen.add(key)) {
                throw new UserError("key '" + key + "' is given twice");
            }
            out.add(new String[] {key, a.substring(eq + 1)});
        }
        return out;
    }

    /**
     * Refuses an event whose line would be longer than a line may be: the logger would cut it,
     * marked {@code _truncated=true}, and the user would not know.
     */
    static void fitsOneLine(Level level, String component, String event, List<String[]> fields) {
        List<dev.rayos.log.line.LogLine.Field> fs = new ArrayList<>();
        for (String[] kv : fields) {
            fs.add(new dev.rayos.log.line.LogLine.Field(kv[0], kv[1]));
        }
        String line = LineCodec.format(new dev.rayos.log.line.LogLine(dev.rayos.log.line.Timestamp.utc(0), level,
                component, event, fs));
        int n = line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        for (String[] kv : fields) {
            n = Math.max(n, kv[1].getBytes(java.nio.charset.StandardCharsets.UTF_8).length); // format caps what it makes
        }
        if (n > LineCodec.MAX_LINE_BYTES - 64) {
            throw new UserError("the event would be a line of " + n + " bytes, more than the " + (LineCodec.MAX_LINE_BYTES - 64)
                    + " a line may hold; 'rayos cat' logs long text as several parts");
        }
    }
    /**
     * A file the user names for reading ({@code --serial F}, {@code --kernel F}): there, a regular file
     * (a link to one is fine), readable; else one line saying which and why, exit 2.
     */
    static java.nio.file.Path inputFile(String option, java.nio.file.Path p) {
        String shown = option + " " + p + ": ";
        if (!java.nio.file.Files.exists(p)) {
            throw new UserError(shown + "no such file");
        }
        if (java.nio.file.Files.isDirectory(p)) {
            throw new UserError(shown + "is a directory, not a file");
        }
        if (!java.nio.file.Files.isRegularFile(p)) {
            throw new UserError(shown + "is not a regular file");
        }
        if (!java.nio.file.Files.isReadable(p)) {
            throw new UserError(shown + "permission denied");
        }
        return p;
    }
}
