package dev.rayos.log.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every Linux kernel crash (x86_64, arm64, arm) in a serial console log, one line at a time.
 *
 * <p>Feed lines with {@link #accept(String)}; it returns the crashes that line completed
 * (usually none). At the end of the text call {@link #finish()} for the crash still open.
 * {@link #scan(Reader)} and {@link #scan(Path)} do both for a whole text.
 *
 * <p>What it understands (see {@code docs/crash-report.md}, "Reading kernel crashes"):
 * <ul>
 *   <li>lines with or without printk timestamps ({@code [    2.394557] }, also with a
 *       {@code [T1]} caller id or a {@code <4>} level), CR/LF/CRLF line ends, quoted in a mail
 *       reply ({@code > });
 *   <li>headlines {@code Kernel panic - not syncing:}, {@code BUG:}, {@code kernel BUG at},
 *       {@code Oops:}, {@code invalid opcode:}, {@code general protection fault}, arm's
 *       {@code Unable to handle kernel …} and {@code Internal error: …};
 *   <li>the body: {@code #PF: error_code(0x…)} or arm64 {@code ESR = …}, {@code RIP:} or arm's
 *       {@code pc :}/{@code PC is at}, the register dump (x86 {@code RAX:} … {@code CR2:}, arm64
 *       {@code x29:} … {@code x0 :}, {@code sp :}, {@code pstate:}), {@code Code:},
 *       {@code Call Trace:} and its frames (as printed, as {@code decode_stacktrace.sh} or
 *       syzkaller decode them, or with the {@code [<address>]} of old kernels),
 *       {@code ---[ end …]---};
 *   <li>a line broken in two by a mail client or a paste, where the break left something open
 *       (a {@code CPU:} line, a register without its value, a frame).
 * </ul>
 *
 * <p>When a crash ends: at {@code ---[ end Kernel panic}; when a headline arrives that cannot
 * belong to it (a second {@code BUG:}, an {@code Oops:} after the first oops, a panic after a
 * panic); at a new boot's {@code Linux version}; after {@value #MAX_GAP_LINES} lines in a row
 * that are not crash text (a crash that did not panic and the system went on); at
 * {@link #finish()}. An oops followed by a panic is one crash (see {@link KernelCrash}).
 *
 * <p>Memory is bounded whatever the input: lines are cut at {@value #MAX_LINE_CHARS}
 * characters, the excerpt at {@value #MAX_EXCERPT_LINES} lines, the trace at
 * {@value #MAX_TRACE_FRAMES} frames. Not thread-safe; one scanner per console.
 */
public final class KernelCrashScanner {
    /** Longest line kept; the kernel's own record limit is 1024 bytes. */
    public static final int MAX_LINE_CHARS = 1024;
    /** Most console lines kept in a crash's excerpt. */
    public static final int MAX_EXCERPT_LINES = 512;
    /** Most frames kept from a call trace. */
    public static final int MAX_TRACE_FRAMES = 128;
    /** Lines in a row that are not crash text after which an open crash is over. */
    public static final int MAX_GAP_LINES = 32;
    static final int MAX_REGISTERS = 64;
    static final int MAX_HEADLINES = 16;

    // printk prefix: optional "<4>" level, "[ seconds.micros]", optional "[T123]"/"[C0]" caller id.
    private static final Pattern PRINTK_PREFIX = Pattern.compile(
            "(?:<\\d{1,2}>)?\\[\\s{0,12}(\\d{1,10}\\.\\d{1,9})\\](?:\\[\\s{0,8}([TC]\\d{1,10})\\])? ?");

    // "Jul  5 07:01:31 host kernel: ", journalctl's "Apr 15 13:58:08.549417 host kernel: ",
    // RFC 3339 "2013-10-18T09:27:31.763864+00:00 host kernel: ", without a printk timestamp after it
    private static final Pattern SYSLOG_PREFIX = Pattern.compile(
            "(?:[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?"
                    + "|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)?)"
                    + " \\S{1,64} kernel: ");

    // "> " quote marks of a crash quoted in a mail reply, before any printk prefix
    private static final Pattern MAIL_QUOTE = Pattern.compile("(?:>[ \\t]?){1,16}");

    private long lineNumber;
    private KernelCrashBuilder current;

    /**
     * Reads one console line (its line end may or may not be included).
     *
     * @return crashes this line completed, oldest first; usually empty
     */
    public List<KernelCrash> accept(String rawLine) {
        lineNumber++;
        List<KernelCrash> done = new ArrayList<>(1);
        String line = rawLine == null ? "" : stripLineEnd(rawLine);
        boolean cut = false;
        if (line.length() > MAX_LINE_CHARS) {
            line = line.substring(0, MAX_LINE_CHARS);
            cut = true;
        }
        String uptime = null;
        String caller = null;
        Matcher quote = MAIL_QUOTE.matcher(line);
        String unquoted = quote.lookingAt() ? line.substring(quote.end()) : line;
        String message = unquoted;
        Matcher prefix = PRINTK_PREFIX.matcher(unquoted);
        // Usually the prefix starts the line; when a userspace write without a newline landed
        // first, the kernel's record still starts at its own prefix further along.
        Matcher syslog;
        if (prefix.find()) {
            uptime = prefix.group(1);
            caller = prefix.group(2);
            message = unquoted.substring(prefix.end());
        } else if ((syslog = SYSLOG_PREFIX.matcher(unquoted)).lookingAt()) {
            message = unquoted.substring(syslog.end()); // kernel lines from syslog or journalctl -k
        }
        message = printable(message);
        String trimmed = message.strip();

        if (KernelCrashText.NEW_BOOT.matcher(trimmed).matches()) {
            close(done);
            return done;
        }
        KernelCrash.Kind headline = KernelCrashText.headlineKind(trimmed);
        if (headline != null) {
            if (current != null && headline != KernelCrash.Kind.PANIC && current.concurrent(caller)) {
                current.concurrentHeadline(line, caller, trimmed);
                return done;
            }
            if (current == null || !current.absorbs(headline)) {
                close(done);
                current = new KernelCrashBuilder(headline, lineNumber, uptime, caller);
            }
            current.take(line, cut, lineNumber);
            current.headline(headline, trimmed);
            return done;
        }
        if (current == null) {
            return done;
        }
        if (current.otherCaller(caller)) {
            // printk caller ids tell another task's or CPU's lines apart: kept, not parsed
            current.foreign(line, trimmed);
            if (current.gap > MAX_GAP_LINES) {
                close(done);
            }
        } else if (KernelCrashText.isCrashText(trimmed)) {
            current.take(line, cut, lineNumber);
            current.body(trimmed);
            if (KernelCrashText.END_PANIC.matcher(trimmed).matches()) {
                close(done);
            }
        } else if (current.continuation(trimmed) || KernelCrashText.LISTING.matcher(trimmed).matches()) {
            current.take(line, cut, lineNumber);
        } else {
            current.foreign(line, trimmed);
            if (current.gap > MAX_GAP_LINES) {
                close(done);
            }
        }
        return done;
    }

    /** Ends the text: returns the crash still open, if any. The scanner can then be reused. */
    public List<KernelCrash> finish() {
        List<KernelCrash> done = new ArrayList<>(1);
        close(done);
        lineNumber = 0;
        return done;
    }

    /** Every kernel crash in a whole text; bytes that are not UTF-8 are replaced. */
    public static List<KernelCrash> scan(Reader text) throws IOException {
        KernelCrashScanner scanner = new KernelCrashScanner();
        BoundedLineReader lines = new BoundedLineReader(
                text instanceof BufferedReader ? text : new BufferedReader(text), MAX_LINE_CHARS + 1);
        List<KernelCrash> crashes = new ArrayList<>();
        String line;
        while ((line = lines.readLine()) != null) {
            crashes.addAll(scanner.accept(line));
        }
        crashes.addAll(scanner.finish());
        return crashes;
    }

    /** Every kernel crash in a console log file. */
    public static List<KernelCrash> scan(Path file) throws IOException {
        // Serial captures contain stray bytes (line noise, a half-written escape); replace
        // them rather than refuse the whole log.
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (Reader in = new java.io.InputStreamReader(Files.newInputStream(file), decoder)) {
            return scan(in);
        }
    }

    private void close(List<KernelCrash> done) {
        if (current != null) {
            done.add(current.build());
            current = null;
        }
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** Drops control characters (serial noise, escape bytes) so that patterns see text. */
    private static String printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                StringBuilder b = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    char d = s.charAt(j);
                    if (!((d < 0x20 && d != '\t') || d == 0x7f)) {
                        b.append(d);
                    }
                }
                return b.toString();
            }
        }
        return s;
    }
}
