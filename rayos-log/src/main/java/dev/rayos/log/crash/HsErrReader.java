package dev.rayos.log.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * Reads a HotSpot fatal error log ({@code hs_err_pid<N>.log}, written by the JVM on a crash or
 * at {@code -XX:ErrorFile}) into a {@link JvmCrash}.
 *
 * <p>Only the parts a crash report needs are read: the {@code #} banner (error, JRE and VM
 * version, problematic frame), {@code Current thread}, the native or Java frames, {@code
 * siginfo} (in the forms of JDK 5–7, 8+ and Windows), {@code Registers:} and {@code Time:} (JDK ≤ 8:
 * {@code time:} and its {@code timezone:}, the only lines read after the {@code P R O C E S S}
 * section begins). Reading stops after {@value #MAX_LINES} lines; lines are cut at {@value #MAX_LINE_CHARS}
 * characters, so memory stays bounded on any input. A log cut short (the JVM died while
 * writing it) still gives what it has.
 */
final class HsErrReader {
    static final int MAX_LINES = 20_000;
    static final int MAX_LINE_CHARS = 4096;
    static final int MAX_FRAMES = 128;
    static final int MAX_EXCERPT_LINES = 64;
    static final int MAX_REGISTERS = 64;

    private static final String BANNER = "A fatal error has been detected by the Java Runtime Environment";
    /** JDK 6's first updates and JDK 5 said it so. */
    private static final Pattern OLD_BANNER = Pattern.compile(
            "^An unexpected error has been detected by (?:the )?(?:Java Runtime Environment|HotSpot Virtual Machine).*");
    private static final String OUT_OF_MEMORY = "There is insufficient memory for the Java Runtime Environment";
    private static final Pattern SIGNAL = Pattern.compile(
            "^#\\s+(SIG[A-Z0-9]{1,10}|EXCEPTION_[A-Z_]{1,40}) \\((0x[0-9a-fA-F]{1,8})\\) at pc=(0x[0-9a-fA-F]{1,16}),"
                    + " pid=(\\d{1,10}), tid=(0x[0-9a-fA-F]{1,16}|\\d{1,20})");
    private static final Pattern ERROR_LINE = Pattern.compile("^#\\s{1,4}(\\S.*)$");
    private static final Pattern PID = Pattern.compile("pid=(\\d{1,10})");
    private static final Pattern SIGINFO = Pattern.compile(
            "^siginfo: si_signo: \\d{1,3} \\((SIG[A-Z0-9]{1,10})\\), si_code: -?\\d{1,6} \\(([A-Z_0-9]{1,40})\\)(?:, si_addr: (0x[0-9a-fA-F]{1,16}))?");
    /** JDK 5–7: {@code siginfo:si_signo=SIGSEGV: si_errno=0, si_code=1 (SEGV_MAPERR), si_addr=0x…}. */
    private static final Pattern OLD_SIGINFO = Pattern.compile(
            "^siginfo: ?si_signo=(SIG[A-Z0-9]{1,10}|\\d{1,3})[:,]? si_errno=-?\\d{1,6}, si_code=(-?\\d{1,6})"
                    + "(?: \\(([A-Z_0-9]{0,40})\\))?, si_addr=(0x[0-9a-fA-F]{1,16})");
    /**
     * Windows: {@code siginfo: ExceptionCode=0xc0000005, reading address 0x…} (JDK 6–8), {@code
     * siginfo: EXCEPTION_ACCESS_VIOLATION (0xc0000005), reading address 0x…} (JDK 9+), or the
     * raw {@code ExceptionInformation=<access> <address>} pair.
     */
    private static final Pattern WINDOWS_SIGINFO = Pattern.compile(
            "^siginfo: (?:ExceptionCode=(0x[0-9a-fA-F]{8})|(EXCEPTION_[A-Z_]{1,40}) \\((0x[0-9a-fA-F]{8})\\)), "
                    + "(?:(reading|writing|executing) address (0x[0-9a-fA-F]{1,16})"
                    + "|ExceptionInformation=(0x[0-9a-fA-F]{1,16}) (0x[0-9a-fA-F]{1,16}))");
    private static final Pattern REGISTER = Pattern.compile("([A-Z][A-Z0-9]{0,7}) {0,2}=(0x[0-9a-fA-F]{1,16})\\b");
    /** Markup or quote marks before a pasted log's first {@code #} line ({@code **#}, {@code > #}). */
    private static final Pattern PASTED_BANNER = Pattern.compile("[*>_ ]{1,6}(?=#)");
    private static final Pattern CURRENT_THREAD = Pattern.compile("^Current thread \\([^)]{0,40}\\):\\s+(.*)$");

    private HsErrReader() {}

    /** Reads an hs_err file; bytes that are not UTF-8 are replaced. */
    public static JvmCrash read(Path file) throws IOException, CrashParseException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (Reader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            return read(in);
        }
    }

    /**
     * Reads hs_err text.
     *
     * @throws CrashParseException when the text has neither the fatal-error banner nor a
     *                             signal line, or no error line under the banner
     */
    public static JvmCrash read(Reader text) throws IOException, CrashParseException {
        BoundedLineReader lines = new BoundedLineReader(
                text instanceof BufferedReader ? text : new BufferedReader(text), MAX_LINE_CHARS);
        State s = new State();
        String line;
        while ((line = lines.readLine()) != null && lines.lineNumber() <= MAX_LINES) {
            s.truncated |= lines.lastWasTruncated();
            if (line.startsWith("---------------  P R O C E S S")) {
                s.pastThread = true;
            }
            if (s.pastThread) {
                // JDK <= 8 writes its time last, in the S Y S T E M section; nothing else there is read
                s.time(line);
            } else {
                s.line(line, lines.lineNumber());
            }
        }
        if (!s.sawBanner && s.signal == null) {
            throw new CrashParseException("not a JVM fatal error log (no \"" + BANNER + "\" banner)",
                    Math.min(lines.lineNumber(), 1));
        }
        if (s.reason == null) {
            throw new CrashParseException("JVM fatal error log without an error line under its banner",
                    s.bannerLine);
        }
        return new JvmCrash(s.reason, Optional.ofNullable(s.signal), Optional.ofNullable(s.signalCode),
                Optional.ofNullable(s.exceptionCode), Optional.ofNullable(s.access), Optional.ofNullable(s.faultAddress), Optional.ofNullable(s.pc), Optional.ofNullable(s.pid),
                s.registers, Optional.ofNullable(s.problematicFrame), Optional.ofNullable(s.jreVersion),
                Optional.ofNullable(s.vmVersion), Optional.ofNullable(s.thread), Optional.ofNullable(s.time),
                Optional.ofNullable(s.detail),
                s.nativeFrames.isEmpty() ? s.javaFrames : s.nativeFrames, s.excerpt, s.truncated);
    }

    /** What has been read so far; sections are tracked by the heading last seen. */
    private static final class State {
        private enum Section { NONE, NATIVE_FRAMES, JAVA_FRAMES, REGISTERS, OTHER }

        boolean sawBanner;
        long bannerLine;
        boolean inBanner = true;
        boolean expectFrame;
        String reason;
        String signal;
        String signalCode;
        String exceptionCode;
        String access;
        String faultAddress;
        String pc;
        String pid;
        String problematicFrame;
        String jreVersion;
        String vmVersion;
        String thread;
        String time;
        boolean zoneLineDue;
        boolean pastThread;
        boolean detailDue;
        String detail;
        boolean truncated;
        final Map<String, String> registers = new LinkedHashMap<>();
        final List<String> nativeFrames = new ArrayList<>();
        final List<String> javaFrames = new ArrayList<>();
        final List<String> excerpt = new ArrayList<>();
        Section section = Section.NONE;

        void line(String line, long number) {
            if (inBanner && line.startsWith("#")) {
                banner(line, number);
                return;
            }
            Matcher paste;
            if (inBanner && !sawBanner && (paste = PASTED_BANNER.matcher(line)).lookingAt()) {
                // "**#" of a log pasted into a forum as bold text: the banner starts after the markup
                banner(line.substring(paste.end()), number);
                return;
            }
            if (!line.isEmpty()) {
                inBanner = false;
            }
            if (line.isBlank()) {
                section = Section.NONE; // every section the reader wants ends at a blank line
                return;
            }
            Matcher m;
            if (line.startsWith("Native frames:")) {
                section = Section.NATIVE_FRAMES;
            } else if (line.startsWith("Java frames:")) {
                section = Section.JAVA_FRAMES;
            } else if (line.equals("Registers:")) {
                section = Section.REGISTERS;
            } else if (section == Section.NATIVE_FRAMES) {
                frame(nativeFrames, line);
            } else if (section == Section.JAVA_FRAMES) {
                frame(javaFrames, line);
            } else if (section == Section.REGISTERS) {
                Matcher r = REGISTER.matcher(line);
                while (r.find()) {
                    if (registers.size() >= MAX_REGISTERS && !registers.containsKey(r.group(1))) {
                        truncated = true;
                        break;
                    }
                    registers.putIfAbsent(r.group(1), r.group(2));
                }
            } else if ((m = SIGINFO.matcher(line)).find()) {
                if (signal == null) {
                    signal = m.group(1);
                }
                signalCode = m.group(2);
                faultAddress = m.group(3);
            } else if ((m = OLD_SIGINFO.matcher(line)).find()) {
                if (signal == null && m.group(1).startsWith("SIG")) {
                    signal = m.group(1);
                }
                // "si_code=128 ()": the JDK had no name for it, keep the number
                signalCode = m.group(3) == null || m.group(3).isEmpty() ? m.group(2) : m.group(3);
                faultAddress = m.group(4);
            } else if ((m = WINDOWS_SIGINFO.matcher(line)).find()) {
                windows(m);
            } else if (thread == null && (m = CURRENT_THREAD.matcher(line)).find()) {
                thread = m.group(1).strip();
            } else if (time == null && line.startsWith("Time: ")) {
                time = line.substring("Time: ".length()).strip();
            } else if (!time(line)) {
                section = Section.OTHER;
            }
        }

        /** JDK <= 8's {@code time:} line and the {@code timezone:} line after it; @return whether it was one */
        boolean time(String line) {
            if (time == null && line.startsWith("time: ")) {
                time = line.substring("time: ".length()).strip();
                zoneLineDue = true;
            } else if (zoneLineDue && line.startsWith("timezone: ")) {
                zoneLineDue = false;
                time = time + " " + line.substring("timezone: ".length()).strip();
            } else {
                return false;
            }
            return true;
        }

        private void windows(Matcher m) {
            exceptionCode = (m.group(1) != null ? m.group(1) : m.group(3)).toLowerCase(java.util.Locale.ROOT);
            if (signal == null && m.group(2) != null) {
                signal = m.group(2);
            }
            if (m.group(4) != null) {
                access = m.group(4).equals("reading") ? "read" : m.group(4).equals("writing") ? "write" : "execute";
                faultAddress = m.group(5);
            } else if (exceptionCode.equals("0xc0000005") || exceptionCode.equals("0xc0000006")) {
                // access violation / in-page error: the first value says how, the second where
                long how = Long.parseUnsignedLong(m.group(6).substring(2), 16);
                access = how == 0 ? "read" : how == 1 ? "write" : how == 8 ? "execute" : null;
                faultAddress = m.group(7);
            }
        }

        private void banner(String line, long number) {
            if (excerpt.size() < MAX_EXCERPT_LINES) {
                excerpt.add(line);
            } else {
                truncated = true;
            }
            String text = line.substring(1).strip();
            Matcher m;
            if (detailDue) {
                // what the error line's next line adds: "Native memory allocation (mmap) failed to map …",
                // "fatal error: …", "guarantee(…) failed: …"; a signal's error line has a blank line next
                detailDue = false;
                if (!text.isEmpty() && !text.startsWith("JRE version:") && !text.startsWith("Problematic frame:")) {
                    detail = text;
                    return;
                }
            }
            if (text.startsWith(BANNER) || OLD_BANNER.matcher(text).matches()) {
                sawBanner = true;
                bannerLine = number;
            } else if (!sawBanner && text.startsWith(OUT_OF_MEMORY)) {
                // a native out-of-memory log has no heading: this line is heading and reason
                sawBanner = true;
                bannerLine = number;
                reason = text;
                detailDue = true;
            } else if (pid == null && text.startsWith("Out of Memory Error (") && (m = PID.matcher(text)).find()) {
                pid = m.group(1); // the out-of-memory log's own error line, under its advice
            } else if (expectFrame) {
                expectFrame = false;
                if (!text.isEmpty()) {
                    problematicFrame = text;
                }
            } else if (text.startsWith("Problematic frame:")) {
                expectFrame = true;
            } else if (text.startsWith("JRE version:")) {
                jreVersion = text.substring("JRE version:".length()).strip();
            } else if (text.startsWith("Java VM:")) {
                vmVersion = text.substring("Java VM:".length()).strip();
            } else if (reason == null && sawBanner && (m = ERROR_LINE.matcher(line)).matches()) {
                // the first non-empty banner line after the heading says what went wrong
                reason = m.group(1).strip();
                detailDue = true;
                Matcher sig = SIGNAL.matcher(line);
                if (sig.find()) {
                    signal = sig.group(1);
                    pc = sig.group(3);
                    pid = sig.group(4);
                } else {
                    Matcher p = PID.matcher(line);
                    if (p.find()) {
                        pid = p.group(1);
                    }
                }
            }
        }

        private void frame(List<String> frames, String line) {
            if (frames.size() < MAX_FRAMES) {
                frames.add(line.strip());
            } else {
                truncated = true;
            }
        }
    }
}
