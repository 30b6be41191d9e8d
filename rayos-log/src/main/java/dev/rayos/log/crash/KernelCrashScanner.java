package dev.rayos.log.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds every Linux x86_64 kernel crash in a serial console log, one line at a time.
 *
 * <p>Feed lines with {@link #accept(String)}; it returns the crashes that line completed
 * (usually none). At the end of the text call {@link #finish()} for the crash still open.
 * {@link #scan(Reader)} and {@link #scan(Path)} do both for a whole text.
 *
 * <p>What it understands (see {@code docs/crash-report.md}, "Reading kernel crashes"):
 * <ul>
 *   <li>lines with or without printk timestamps ({@code [    2.394557] }, also with a
 *       {@code [T1]} caller id or a {@code <4>} level), CR/LF/CRLF line ends;
 *   <li>headlines {@code Kernel panic - not syncing:}, {@code BUG:}, {@code kernel BUG at},
 *       {@code Oops:}, {@code invalid opcode:}, {@code general protection fault};
 *   <li>the body: {@code #PF: error_code(0x…)}, {@code RIP:}, the register dump
 *       ({@code RSP:}, {@code RAX:} … {@code R15:}, {@code FS:}, {@code CS:}, {@code CR2:}),
 *       {@code Code:}, {@code Call Trace:} and its frames, {@code ---[ end …]---}.
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
            "(?:<\\d{1,2}>)?\\[\\s{0,12}(\\d{1,10}\\.\\d{1,9})\\](?:\\[\\s{0,8}[TC]\\d{1,10}\\])? ?");
    private static final Pattern PANIC = Pattern.compile("^Kernel panic - not syncing:? ?(.*)$");
    private static final Pattern BUG = Pattern.compile("^(?:BUG: |kernel BUG at ).*");
    private static final Pattern OOPS = Pattern.compile("^(?:Oops: |invalid opcode: ).*");
    private static final Pattern GPF = Pattern.compile("^general protection fault.*");
    private static final Pattern END_PANIC = Pattern.compile("^---\\[ end Kernel panic.*");
    private static final Pattern END_TRACE = Pattern.compile("^---\\[ end trace.*");
    private static final Pattern NEW_BOOT = Pattern.compile("^Linux version \\d.*");
    private static final Pattern BODY = Pattern.compile(
            "^(?:CPU: |Hardware name: |Call Trace:|Code: |RIP: |Modules linked in:|#PF: |PGD |P4D |PUD |PMD "
                    + "|Workqueue: |Kernel Offset: |---\\[ |Stack:|Rebooting in |Shutting down cpus"
                    + "|Dumping ftrace|note: |Fixing recursive fault|</?(?:TASK|IRQ|NMI|SOFTIRQ|EOE)>"
                    + "|Unloaded tainted modules|Sending NMI|NMI backtrace|Tainted: |\\? )");
    private static final Pattern REGISTER_LINE = Pattern.compile(
            "^(?:R[A-Z0-9]{1,2}|FS|GS|CS|DS|ES|SS|CR[0-4]|DR[0-7]|EFLAGS|PKRU): .*");
    private static final Pattern REGISTER = Pattern.compile(
            "([A-Za-z][A-Za-z0-9_]{0,7}):\\s{0,4}(?:([0-9a-f]{4}):)?([0-9a-f]{1,16})(?![0-9A-Za-z_:])");
    private static final Pattern FRAME = Pattern.compile(
            "^(?:\\? )?(?:[A-Za-z_.$][\\w.$]{0,200}\\+0x[0-9a-f]{1,16}/0x[0-9a-f]{1,16}(?: \\[[\\w-]{1,64}\\])?"
                    + "|0x[0-9a-f]{1,16})$");
    private static final Pattern RIP = Pattern.compile("^RIP: (?:([0-9a-f]{4}):)?(.*)$");
    private static final Pattern PF_ERROR = Pattern.compile("^#PF: error_code\\(0x([0-9a-f]{1,16})\\)");
    private static final Pattern HEADLINE_CODE = Pattern.compile(": ([0-9a-f]{4}) \\[#\\d{1,6}\\]");
    private static final Pattern HEADLINE_ADDRESS = Pattern.compile("address:? (?:0x)?([0-9a-f]{8,16})\\b");
    private static final Pattern CPU = Pattern.compile(
            "^CPU: (\\d{1,5}) (?:UID: \\d{1,10} )?PID: (\\d{1,10}) Comm: (.{1,16}?) "
                    + "(?:Not tainted|Tainted: [A-Z ]{0,40}?) *(\\d\\S{0,100})");

    private long lineNumber;
    private Building current;

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
        String message = line;
        Matcher prefix = PRINTK_PREFIX.matcher(line);
        // Usually the prefix starts the line; when a userspace write without a newline landed
        // first, the kernel's record still starts at its own prefix further along.
        if (prefix.find()) {
            uptime = prefix.group(1);
            message = line.substring(prefix.end());
        }
        message = printable(message);
        String trimmed = message.strip();

        if (NEW_BOOT.matcher(trimmed).matches()) {
            close(done);
            return done;
        }
        KernelCrash.Kind headline = headlineKind(trimmed);
        if (headline != null) {
            if (current == null || !current.absorbs(headline)) {
                close(done);
                current = new Building(headline, lineNumber, uptime);
            }
            current.take(line, cut);
            current.headline(headline, trimmed);
            return done;
        }
        if (current == null) {
            return done;
        }
        if (isCrashText(trimmed)) {
            current.take(line, cut);
            current.body(trimmed);
            if (END_PANIC.matcher(trimmed).matches()) {
                close(done);
            }
        } else {
            current.foreign(line);
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

    private static KernelCrash.Kind headlineKind(String message) {
        if (PANIC.matcher(message).matches()) {
            return KernelCrash.Kind.PANIC;
        }
        if (BUG.matcher(message).matches()) {
            return KernelCrash.Kind.BUG;
        }
        if (OOPS.matcher(message).matches()) {
            return KernelCrash.Kind.OOPS;
        }
        if (GPF.matcher(message).matches()) {
            return KernelCrash.Kind.GENERAL_PROTECTION;
        }
        return null;
    }

    private static boolean isCrashText(String message) {
        return BODY.matcher(message).lookingAt()
                || REGISTER_LINE.matcher(message).matches()
                || FRAME.matcher(message).matches();
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

    private static String hex(String digits) {
        return "0x" + digits;
    }

    /** The crash being read; mutable, turned into a {@link KernelCrash} when it ends. */
    private final class Building {
        private enum Trace { NONE, IN, DONE }

        final KernelCrash.Kind kind;
        final long firstLine;
        final String uptime;
        final List<String> headlines = new ArrayList<>();
        final Map<String, String> registers = new LinkedHashMap<>();
        final List<String> frames = new ArrayList<>();
        final List<String> excerpt = new ArrayList<>();
        final List<String> pending = new ArrayList<>();
        String panicReason;
        String headlineAddress;
        String cr2;
        String errorCode;
        boolean errorCodeFromPf;
        String rip;
        String kernelRelease;
        String task;
        boolean sawOops;
        boolean endedTrace;
        boolean truncated;
        Trace trace = Trace.NONE;
        long lastLine;
        int gap;

        Building(KernelCrash.Kind kind, long firstLine, String uptime) {
            this.kind = kind;
            this.firstLine = firstLine;
            this.uptime = uptime;
        }

        /** Whether a headline of this kind continues this crash rather than starting one. */
        boolean absorbs(KernelCrash.Kind next) {
            if (panicReason != null) {
                return false;
            }
            switch (next) {
                case PANIC:
                    return true; // the panic that an oops or BUG ends in
                case OOPS:
                case GENERAL_PROTECTION:
                    // "BUG: unable to handle page fault…" is followed by its own "Oops:" line
                    return kind == KernelCrash.Kind.BUG && !sawOops && !endedTrace;
                default:
                    return false;
            }
        }

        void take(String line, boolean cut) {
            for (String p : pending) {
                keep(p);
            }
            pending.clear();
            gap = 0;
            keep(line);
            truncated |= cut;
            lastLine = lineNumber;
        }

        private void keep(String line) {
            if (excerpt.size() < MAX_EXCERPT_LINES) {
                excerpt.add(line);
            } else {
                truncated = true;
            }
        }

        void foreign(String line) {
            gap++;
            // only kept if more crash text follows; never more than the gap allows
            if (pending.size() < MAX_GAP_LINES) {
                pending.add(line);
            }
        }

        void headline(KernelCrash.Kind k, String message) {
            if (headlines.size() < MAX_HEADLINES) {
                headlines.add(message);
            } else {
                truncated = true;
            }
            switch (k) {
                case PANIC: {
                    Matcher m = PANIC.matcher(message);
                    panicReason = m.matches() ? m.group(1) : message;
                    break;
                }
                case OOPS:
                case GENERAL_PROTECTION:
                    sawOops = true;
                    break;
                default:
                    break;
            }
            Matcher code = HEADLINE_CODE.matcher(message);
            if (!errorCodeFromPf && errorCode == null && k != KernelCrash.Kind.PANIC && code.find()) {
                errorCode = hex(code.group(1));
            }
            Matcher address = HEADLINE_ADDRESS.matcher(message);
            if (headlineAddress == null && k != KernelCrash.Kind.PANIC && address.find()) {
                headlineAddress = hex(address.group(1));
            }
        }

        void body(String message) {
            if (message.startsWith("Call Trace:")) {
                trace = trace == Trace.NONE ? Trace.IN : Trace.DONE;
                return;
            }
            if (END_TRACE.matcher(message).matches()) {
                endedTrace = true;
            }
            if (trace == Trace.IN) {
                if (FRAME.matcher(message).matches()) {
                    if (frames.size() < MAX_TRACE_FRAMES) {
                        frames.add(message);
                    } else {
                        truncated = true;
                    }
                    return;
                }
                if (message.equals("</TASK>") || message.startsWith("---[ ")
                        || message.startsWith("Modules linked in:")) {
                    trace = Trace.DONE;
                }
            }
            Matcher m;
            if ((m = RIP.matcher(message)).matches()) {
                if (rip == null) {
                    String where = m.group(2).strip();
                    int bracket = where.lastIndexOf("] ");
                    rip = bracket >= 0 ? where.substring(bracket + 2).strip() : where; // pre-4.x "[<addr>] sym"
                    if (m.group(1) != null) {
                        registers.putIfAbsent("CS", hex(m.group(1)));
                    }
                    if (rip.matches("0x[0-9a-f]{1,16}")) {
                        registers.putIfAbsent("RIP", rip);
                    }
                }
            } else if (REGISTER_LINE.matcher(message).matches()) {
                registers(message);
            } else if ((m = PF_ERROR.matcher(message)).find()) {
                if (!errorCodeFromPf) {
                    errorCode = hex(m.group(1));
                    errorCodeFromPf = true;
                }
            } else if (kernelRelease == null && (m = CPU.matcher(message)).find()) {
                kernelRelease = m.group(4);
                task = m.group(3).strip() + "[" + m.group(2) + "] cpu=" + m.group(1);
            }
        }

        private void registers(String message) {
            Matcher r = REGISTER.matcher(message);
            while (r.find()) {
                String name = r.group(1);
                if (registers.size() >= MAX_REGISTERS && !registers.containsKey(name)) {
                    truncated = true;
                    return;
                }
                registers.putIfAbsent(name, hex(r.group(3)));
                if (r.group(2) != null && name.equals("RSP")) {
                    registers.putIfAbsent("SS", hex(r.group(2))); // "RSP: 0018:ffff…" is ss:rsp
                }
                if (name.equals("CR2") && cr2 == null) {
                    cr2 = hex(r.group(3));
                }
            }
        }

        KernelCrash build() {
            String fault = headlineAddress != null ? headlineAddress : cr2;
            return new KernelCrash(kind, headlines.get(0), Optional.ofNullable(panicReason), headlines,
                    registers, Optional.ofNullable(fault), Optional.ofNullable(errorCode),
                    Optional.ofNullable(rip), frames, Optional.ofNullable(kernelRelease),
                    Optional.ofNullable(task), Optional.ofNullable(uptime), firstLine, lastLine,
                    excerpt, truncated);
        }
    }
}
