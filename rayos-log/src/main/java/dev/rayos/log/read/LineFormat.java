package dev.rayos.log.read;

import dev.rayos.log.line.LineBuffer;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.root.RootLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The output forms of {@code rayos logs} ({@code docs/reading-logs.md}):
 *
 * <ul>
 *   <li>{@code raw}: each line exactly as stored;
 *   <li>{@code short}: as stored, but a mono time placed in UTC through the boot's time-sync pair is
 *       shown as that UTC time with a {@code ~} (an estimate); a {@code -- boot …} line starts each boot;
 *   <li>{@code json}: one object per line with the parsed fields, the boot id and the category.
 * </ul>
 *
 * A corrupt or partial line is shown in raw and short as one line starting {@code !! } that says
 * what and where; json skips it and counts it ({@link #skipped()}).
 */
public abstract class LineFormat implements LineSink {
    protected final OutputStream out;
    protected final RootLayout layout;
    private long shown;

    LineFormat(OutputStream out, RootLayout layout) {
        this.out = out;
        this.layout = layout;
    }

    /** Every form's name, for help and errors. */
    public static final java.util.List<String> FORMS = java.util.List.of("short", "short-iso", "short-precise",
            "short-monotonic", "cat", "raw", "json", "json-pretty", "verbose", "export");

    /** The form of that name (one of {@link #FORMS}). */
    public static LineFormat of(String name, OutputStream out, RootLayout layout, boolean bootSeparators) {
        switch (name) {
            case "raw": return new Raw(out, layout);
            case "short": return new Short(out, layout, bootSeparators);
            default:
                LineFormat f = LineForms.of(name, out, layout);
                if (f == null) {
                    throw new IllegalArgumentException("output '" + LineCodec.printable(name) + "' is not one of "
                            + String.join(", ", FORMS));
                }
                return f;
        }
    }

    /** Lines written so far. */
    public long shown() {
        return shown;
    }

    /** Corrupt or partial lines left out (json only). */
    public long skipped() {
        return 0;
    }

    protected void counted(long n) {
        shown += n;
    }

    @Override
    public void boot(BootCatalog.Entry boot) throws IOException {}

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** The flag line of a corrupt or partial line: what it is, where, and its text made printable. */
    protected byte[] flagLine(Matches m, int i) {
        String text = new String(m.data(), m.start(i), m.length(i), StandardCharsets.UTF_8);
        String what;
        if ((m.flags(i) & Matches.PARTIAL) != 0) {
            what = "partial line (no line feed yet)";
        } else {
            String why;
            try {
                LineCodec.parse(text);
                why = "unreadable timestamp or level";
            } catch (LineParseException e) {
                why = e.getMessage();
            }
            what = "corrupt line (" + why + ")";
        }
        return ("!! " + what + " at " + layout.relative(m.file()) + "+" + m.offset(i) + ": "
                + LineCodec.printable(text) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static final class Raw extends LineFormat {
        Raw(OutputStream out, RootLayout layout) {
            super(out, layout);
        }

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) throws IOException {
            if (m.flagged() == 0) {
                int s = m.start(from);
                int e = m.start(to - 1) + m.length(to - 1) + 1;
                out.write(m.data(), s, e - s);
            } else {
                for (int i = from; i < to; i++) {
                    if ((m.flags(i) & (Matches.CORRUPT | Matches.PARTIAL)) != 0) {
                        out.write(flagLine(m, i));
                    } else {
                        out.write(m.data(), m.start(i), m.length(i) + 1);
                    }
                }
            }
            counted(to - from);
        }
    }

    private static final class Short extends LineFormat {
        private final boolean separators;
        private final LineBuffer ts = new LineBuffer(48);

        Short(OutputStream out, RootLayout layout, boolean separators) {
            super(out, layout);
            this.separators = separators;
        }

        @Override
        public void boot(BootCatalog.Entry boot) throws IOException {
            if (!separators) {
                return;
            }
            String s = "-- boot " + boot.id() + (boot.record() == null ? " (no history)"
                    : " #" + (boot.record().seq() + 1) + " " + boot.record().mode().id()) + " --\n";
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void lines(BootCatalog.Entry boot, Matches m, int from, int to) throws IOException {
            for (int i = from; i < to; i++) {
                byte f = m.flags(i);
                if ((f & (Matches.CORRUPT | Matches.PARTIAL)) != 0) {
                    out.write(flagLine(m, i));
                } else if ((f & Matches.ESTIMATED) != 0) {
                    int s = m.start(i);
                    int sp = s;
                    while (m.data()[sp] != ' ') {
                        sp++;
                    }
                    ts.clear();
                    ts.put((byte) '~');
                    LineCodec.appendUtc(ts, Math.max(0, m.key(i)));
                    out.write(ts.array(), 0, ts.length());
                    out.write(m.data(), sp, s + m.length(i) + 1 - sp);
                } else {
                    out.write(m.data(), m.start(i), m.length(i) + 1);
                }
            }
            counted(to - from);
        }
    }
}
