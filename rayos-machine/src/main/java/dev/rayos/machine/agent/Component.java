package dev.rayos.machine.agent;

import dev.rayos.log.line.LineCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * One component of an image: an executable the boot agent starts during boot. It is ready when it
 * exits 0, or when it prints the line {@code READY} on its standard output and keeps running (a
 * service). A component marked {@code safe} also runs in safe mode; the others do not.
 *
 * <p>The image lists its components in {@code /etc/rayos/components}, one a line:
 * {@code NAME normal|safe}, the executable at {@code /opt/rayos/components/NAME}
 * ({@code docs/boot-and-recovery.md}).
 */
public record Component(String name, boolean safe) {
    /** Where the image's component list lives, relative to the root. */
    public static final String LIST = "etc/rayos/components";
    /** Where the components' executables live, relative to the root. */
    public static final String DIR = "opt/rayos/components";

    public Component {
        if (!isName(name)) {
            throw new IllegalArgumentException("'" + LineCodec.printable(String.valueOf(name))
                    + "' is not a component name (a-z, 0-9, '-' and '_', starting with a letter, at most 32)");
        }
    }

    /** Whether {@code s} can name a component (it becomes a file name and a log component). */
    public static boolean isName(String s) {
        return s != null && s.matches("[a-z][a-z0-9_-]{0,31}") && LineCodec.isComponent(s);
    }

    /** The line of the component list. */
    public String line() {
        return name + " " + (safe ? "safe" : "normal");
    }

    /**
     * Reads a component list.
     *
     * @throws IllegalArgumentException naming the line that is wrong
     */
    public static List<Component> parseList(String text) {
        List<Component> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] w = l.split("\\s+");
            if (w.length != 2 || !(w[1].equals("safe") || w[1].equals("normal"))) {
                throw new IllegalArgumentException("components line " + (i + 1) + ": expected 'NAME normal|safe', found '"
                        + LineCodec.printable(l) + "'");
            }
            try {
                Component c = new Component(w[0], w[1].equals("safe"));
                if (out.stream().anyMatch(o -> o.name().equals(c.name()))) {
                    throw new IllegalArgumentException("component '" + c.name() + "' is listed twice");
                }
                out.add(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("components line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
