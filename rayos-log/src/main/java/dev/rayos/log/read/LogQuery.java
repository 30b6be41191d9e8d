package dev.rayos.log.read;

import dev.rayos.log.line.Level;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.root.RootLayout;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What to show of the selected boots' lines. Null (or empty) means "no filter" for each part.
 *
 * @param minLevel   lines of this level or worse
 * @param components lines of these components only
 * @param event      the event name matches this (from a glob, see {@link #glob})
 * @param categories lines of these categories (directories under {@code logs/}) only
 * @param grep       the whole line, as written, contains a match of this
 * @param since      UTC epoch nanoseconds: lines at or after (mono lines placed by the boot's pair)
 * @param until      UTC epoch nanoseconds: lines at or before
 * @param maxLevel   lines of this level or milder (with {@code minLevel}, a range: {@code -p warning..err})
 * @param componentGlob lines whose component matches this (from globs, see {@link #glob}), besides
 *                   those named in {@code components}
 */
public record LogQuery(Level minLevel, Set<String> components, Pattern event, Set<String> categories, Pattern grep,
                       Long since, Long until, Level maxLevel, Pattern componentGlob) {
    /** Everything. */
    public static final LogQuery ALL = new LogQuery(null, null, null, null, null, null, null);

    public LogQuery {
        components = components == null || components.isEmpty() ? null : Set.copyOf(components);
        categories = categories == null || categories.isEmpty() ? null : Set.copyOf(categories);
    }

    public LogQuery(Level minLevel, Set<String> components, Pattern event, Set<String> categories, Pattern grep,
                    Long since, Long until) {
        this(minLevel, components, event, categories, grep, since, until, null, null);
    }

    /**
     * A journalctl priority: a level name or syslog number (0 emerg … 7 debug) meaning "this or
     * worse", or a range {@code FROM..TO} of either ({@code warning..err}, {@code 4..3}, either end
     * may be left out), as {min, max} (max null: no upper bound).
     *
     * @throws ReadQueryException naming the accepted forms
     */
    public static Level[] priority(String p) throws ReadQueryException {
        if (p == null || p.isBlank()) {
            throw new ReadQueryException("-p needs a level: emerg alert crit err warning notice info debug, 0-7, or FROM..TO");
        }
        int dots = p.indexOf("..");
        if (dots < 0) {
            return new Level[] {oneLevel(p), null};
        }
        String a = p.substring(0, dots);
        String b = p.substring(dots + 2);
        Level x = a.isEmpty() ? Level.TRACE : oneLevel(a);
        Level y = b.isEmpty() ? Level.EMERG : oneLevel(b);
        // journalctl writes ranges either way round (warning..err is "from warning up to err")
        Level lo = x.compareTo(y) <= 0 ? x : y;
        Level hi = x.compareTo(y) <= 0 ? y : x;
        return new Level[] {lo, hi};
    }

    private static Level oneLevel(String s) throws ReadQueryException {
        String t = s.trim();
        if (t.matches("[0-7]")) {
            switch (t.charAt(0)) {
                case '0': return Level.EMERG;
                case '1': return Level.ALERT;
                case '2': return Level.CRIT;
                case '3': return Level.ERROR;
                case '4': return Level.WARN;
                case '5': return Level.NOTICE;
                case '6': return Level.INFO;
                default: return Level.DEBUG;
            }
        }
        try {
            return Level.parseUserInput(t);
        } catch (IllegalArgumentException e) {
            throw new ReadQueryException("priority '" + LineCodec.printable(s) + "' is not a level (emerg alert crit "
                    + "err warning notice info debug trace, or 0-7) or a range FROM..TO");
        }
    }

    /** True when no filter leaves a line out (every line of the chosen categories is shown). */
    boolean passesEveryLine() {
        return (minLevel == null || minLevel.ordinal() == 0)
                && (maxLevel == null || maxLevel.ordinal() == Level.values().length - 1) && components == null && componentGlob == null && event == null && grep == null && !needsTime();
    }

    /** True when the lines must be placed in time to be filtered. */
    boolean needsTime() {
        return since != null || until != null;
    }

    /**
     * Compiles an event glob: {@code *} any run of characters, {@code ?} one, everything else
     * literal; it must match the whole event name.
     *
     * @throws ReadQueryException when the glob could never match an event name
     */
    public static Pattern glob(String g) throws ReadQueryException {
        if (g == null || g.isEmpty() || g.length() > 256) {
            throw new ReadQueryException("event glob must be 1-256 characters");
        }
        StringBuilder re = new StringBuilder();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' || c == '?') {
                if (lit.length() > 0) {
                    re.append(Pattern.quote(lit.toString()));
                    lit.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                if (!(c > 0x20 && c < 0x7F && c != '"' && c != '=' && c != '\\')) {
                    throw new ReadQueryException("event glob '" + LineCodec.printable(g)
                            + "' has a character no event name can hold (at " + (i + 1) + ")");
                }
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            re.append(Pattern.quote(lit.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /**
     * Compiles a {@code --grep} regular expression (Java syntax).
     *
     * @throws ReadQueryException with the regex error on one line
     */
    public static Pattern regex(String r) throws ReadQueryException {
        return regex(r, false);
    }

    /** The same, matching without regard to case when {@code ignoreCase}. */
    public static Pattern regex(String r, boolean ignoreCase) throws ReadQueryException {
        if (r == null || r.isEmpty()) {
            throw new ReadQueryException("--grep needs a regular expression");
        }
        try {
            return Pattern.compile(r, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw new ReadQueryException("bad regular expression '" + LineCodec.printable(r) + "': "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        } catch (RuntimeException | StackOverflowError e) {
            throw new ReadQueryException("bad regular expression '" + LineCodec.printable(r) + "'");
        }
    }

    /** Checks a category name given by the user. */
    public static String category(String c) throws ReadQueryException {
        if (!RootLayout.isCategory(c)) {
            throw new ReadQueryException("category '" + LineCodec.printable(String.valueOf(c))
                    + "' is not [a-z][a-z0-9_-]* of at most 32 characters");
        }
        return c;
    }
}
