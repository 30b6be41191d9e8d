package dev.rayos.log.crash;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.LineCodec;
import dev.rayos.log.line.LineParseException;
import dev.rayos.log.line.Timestamp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place the crash report text form lives ({@code docs/crash-report.md}): writing a
 * {@link CrashReport} and reading one back.
 *
 * <pre>
 * report   = "format=rayos-crash-report/1" LF *(header LF) *section
 * header   = key "=" text                  ; key = [a-z][a-z0-9_]*, each key once
 * section  = "[" name "]" LF *(text LF)    ; name = [a-z][a-z0-9_]*, each name once
 * text     = any characters; "\" is written "\\", control characters but tab, DEL, C1 controls and
 *            U+2028/U+2029 as \xHH / backslash-u HHHH; a section line that would read as a section
 *            heading starts with "\[" instead of "["
 * </pre>
 *
 * <p>Reading is strict about what it knows (required keys, the boot id, the time, hex
 * values, each key and section once) and lenient about what it does not: unknown header keys
 * become attributes, unknown sections are skipped, so a v1 reader reads a later v1 writer's
 * additions. Every fault is a {@link CrashParseException} with the line; lines over {@value
 * #MAX_LINE_CHARS} characters or files over {@value #MAX_LINES} lines are refused, so reading
 * never holds more than that.
 */
public final class CrashReportFormat {
    /** The first line of every report; the number changes only when old readers must refuse. */
    public static final String MAGIC = "format=rayos-crash-report/1";
    public static final int MAX_LINE_CHARS = 65_536;
    public static final int MAX_LINES = 100_000;

    static final String REGISTERS = "registers";
    static final String STACK = "stack";
    static final String LAST_LINES = "last_lines";
    static final String EXCERPT = "excerpt";
    private static final Pattern SECTION = Pattern.compile("\\[([a-z][a-z0-9_]{0,63})\\]");

    private CrashReportFormat() {}

    /** The report as text, every line ending in LF. */
    public static String format(CrashReport r) {
        StringBuilder b = new StringBuilder(4096);
        try {
            write(r, new Writer() {
                @Override
                public void write(char[] c, int off, int len) {
                    b.append(c, off, len);
                }

                @Override
                public void write(String s) {
                    b.append(s);
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not reachable: the writer above cannot fail
        }
        return b.toString();
    }

    /** Writes the report's text; the caller owns (and closes) {@code out}. */
    public static void write(CrashReport r, Writer out) throws IOException {
        out.write(MAGIC);
        out.write('\n');
        header(out, "boot_id", r.bootId().hex());
        header(out, "version", r.version().orElse(null));
        header(out, "build_id", r.buildId().orElse(null));
        header(out, "time", r.time().toString());
        header(out, "source", r.source().label());
        header(out, "kind", r.kind().orElse(null));
        header(out, "reason", r.reason());
        header(out, "fault_address", r.faultAddress().orElse(null));
        header(out, "error_code", r.errorCode().orElse(null));
        header(out, "location", r.location().orElse(null));
        for (Map.Entry<String, String> a : r.attributes().entrySet()) {
            header(out, a.getKey(), a.getValue());
        }
        if (!r.registers().isEmpty()) {
            out.write("[" + REGISTERS + "]\n");
            for (Map.Entry<String, String> e : r.registers().entrySet()) {
                out.write(e.getKey());
                out.write('=');
                out.write(escape(e.getValue()));
                out.write('\n');
            }
        }
        section(out, STACK, r.stack());
        section(out, LAST_LINES, r.lastLines());
        section(out, EXCERPT, r.excerpt());
    }

    private static void header(Writer out, String key, String value) throws IOException {
        if (value != null) {
            out.write(key);
            out.write('=');
            out.write(escape(value));
            out.write('\n');
        }
    }

    private static void section(Writer out, String name, List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        out.write("[" + name + "]\n");
        for (String line : lines) {
            String e = escape(line);
            if (SECTION.matcher(e).matches()) {
                out.write('\\'); // so that the line is not read as the next section's heading
            }
            out.write(e);
            out.write('\n');
        }
    }

    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = null;
            if (c == '\\') {
                rep = "\\\\";
            } else if ((c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
                // a tab stays: Java stack traces are full of them and they cannot break a line
                rep = String.format("\\x%02x", (int) c);
            } else if (c == '\u2028' || c == '\u2029') {
                rep = String.format("\\u%04x", (int) c);
            }
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    static String unescape(String s, long line) throws CrashParseException {
        int slash = s.indexOf('\\');
        if (slash < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length()).append(s, 0, slash);
        for (int i = slash; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new CrashParseException("a lone \\ at the end of the line", line);
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\\':
                case '[':
                    b.append(e);
                    break;
                case 'x':
                    b.append((char) hexDigits(s, i + 1, 2, line));
                    i += 2;
                    break;
                case 'u':
                    b.append((char) hexDigits(s, i + 1, 4, line));
                    i += 4;
                    break;
                default:
                    throw new CrashParseException("unknown escape \\" + LineCodec.printable(String.valueOf(e))
                            + " (known: \\\\ \\[ \\xHH \\uHHHH)", line);
            }
        }
        return b.toString();
    }

    private static int hexDigits(String s, int from, int count, long line) throws CrashParseException {
        if (from + count > s.length()) {
            throw new CrashParseException("escape cut short at the end of the line", line);
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new CrashParseException("escape with a non-hex digit", line);
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** Reads a report from text. */
    public static CrashReport parse(String text) throws CrashParseException {
        try {
            return parse(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    /**
     * Reads a report.
     *
     * @throws CrashParseException on any text that is not a valid report, with the line
     * @throws IOException         when {@code in} fails
     */
    public static CrashReport parse(Reader in) throws IOException, CrashParseException {
        BoundedLineReader lines = new BoundedLineReader(
                in instanceof BufferedReader ? in : new BufferedReader(in), MAX_LINE_CHARS);
        String first = lines.readLine();
        if (first == null) {
            throw new CrashParseException("empty file: not a crash report", 1);
        }
        if (!first.equals(MAGIC)) {
            String why = first.startsWith("format=rayos-crash-report/")
                    ? "unsupported crash report format '" + LineCodec.printable(first.substring(7)) + "'"
                    : "not a crash report: the first line must be " + MAGIC;
            throw new CrashParseException(why, 1);
        }
        Reading r = new Reading();
        String line;
        while ((line = lines.readLine()) != null) {
            long n = lines.lineNumber();
            if (lines.lastWasTruncated()) {
                throw new CrashParseException("line longer than " + MAX_LINE_CHARS + " characters", n);
            }
            if (n > MAX_LINES) {
                throw new CrashParseException("more than " + MAX_LINES + " lines", n);
            }
            r.line(line, n);
        }
        return r.finish(lines.lineNumber());
    }

    /** What has been read so far. */
    private static final class Reading {
        final Set<String> keys = new HashSet<>();
        final Set<String> sections = new HashSet<>();
        String section; // null while in the header; "" in a section that is skipped
        String bootId;
        String time;
        String source;
        String reason;
        long timeLine;
        long bootLine;
        long sourceLine;
        final LinkedHashMap<String, String> header = new LinkedHashMap<>();
        final LinkedHashMap<String, String> registers = new LinkedHashMap<>();
        final List<String> stack = new ArrayList<>();
        final List<String> lastLines = new ArrayList<>();
        final List<String> excerpt = new ArrayList<>();

        void line(String line, long n) throws CrashParseException {
            var heading = SECTION.matcher(line);
            if (heading.matches()) {
                String name = heading.group(1);
                if (!sections.add(name)) {
                    throw new CrashParseException("section [" + name + "] appears twice", n);
                }
                section = List.of(REGISTERS, STACK, LAST_LINES, EXCERPT).contains(name) ? name : "";
                return;
            }
            if (section == null) {
                headerLine(line, n);
                return;
            }
            switch (section) {
                case REGISTERS: {
                    int eq = line.indexOf('=');
                    String name = eq < 0 ? line : line.substring(0, eq);
                    if (eq < 0 || !CrashReport.REGISTER.matcher(name).matches()) {
                        throw new CrashParseException("register line is not NAME=value", n);
                    }
                    if (registers.put(name, unescape(line.substring(eq + 1), n)) != null) {
                        throw new CrashParseException("register " + name + " appears twice", n);
                    }
                    break;
                }
                case STACK:
                    stack.add(unescape(line, n));
                    break;
                case LAST_LINES:
                    lastLines.add(unescape(line, n));
                    break;
                case EXCERPT:
                    excerpt.add(unescape(line, n));
                    break;
                default:
                    break; // a section this reader does not know: skipped
            }
        }

        private void headerLine(String line, long n) throws CrashParseException {
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            if (eq < 0 || !CrashReport.KEY.matcher(key).matches()) {
                throw new CrashParseException("header line is not key=value with a key of [a-z][a-z0-9_]*: '"
                        + LineCodec.printable(line) + "'", n);
            }
            if (!keys.add(key) || key.equals("format")) {
                throw new CrashParseException("key " + key + " appears twice", n);
            }
            String value = unescape(line.substring(eq + 1), n);
            switch (key) {
                case "boot_id":
                    bootId = value;
                    bootLine = n;
                    break;
                case "time":
                    time = value;
                    timeLine = n;
                    break;
                case "source":
                    source = value;
                    sourceLine = n;
                    break;
                case "reason":
                    if (value.isBlank()) {
                        throw new CrashParseException("reason is empty", n);
                    }
                    reason = value;
                    break;
                case "fault_address":
                case "error_code":
                    if (!CrashReport.HEX.matcher(value).matches()) {
                        throw new CrashParseException(key + " is not 0x followed by 1 to 16 lower-case hex digits", n);
                    }
                    header.put(key, value);
                    break;
                default:
                    header.put(key, value);
            }
        }

        CrashReport finish(long lastLine) throws CrashParseException {
            long at = lastLine + 1; // a missing key is noticed at the end of the file
            if (bootId == null) {
                throw new CrashParseException("missing boot_id", at);
            }
            if (time == null) {
                throw new CrashParseException("missing time", at);
            }
            if (source == null) {
                throw new CrashParseException("missing source", at);
            }
            if (reason == null) {
                throw new CrashParseException("missing reason", at);
            }
            if (!BootId.isValid(bootId)) {
                throw new CrashParseException("boot_id is not 32 lower-case hex digits", bootLine);
            }
            Timestamp ts;
            try {
                ts = LineCodec.parseTimestamp(time);
            } catch (LineParseException | IllegalArgumentException e) {
                throw new CrashParseException("time is not a UTC (…Z) or mono:N timestamp", timeLine);
            }
            CrashReport.Source src = CrashReport.Source.ofLabel(source).orElseThrow(
                    () -> new CrashParseException("source is not kernel, jvm or rayos", sourceLine));
            CrashReport.Builder b = CrashReport.builder(new BootId(bootId), ts, src, reason);
            for (Map.Entry<String, String> h : header.entrySet()) {
                String v = h.getValue();
                switch (h.getKey()) {
                    case "version":
                        b.version(v);
                        break;
                    case "build_id":
                        b.buildId(v);
                        break;
                    case "kind":
                        b.kind(v);
                        break;
                    case "fault_address":
                        b.faultAddress(v);
                        break;
                    case "error_code":
                        b.errorCode(v);
                        break;
                    case "location":
                        b.location(v);
                        break;
                    default:
                        b.attribute(h.getKey(), v);
                }
            }
            return b.registers(registers).stack(stack).lastLines(lastLines).excerpt(excerpt).build();
        }
    }
}
