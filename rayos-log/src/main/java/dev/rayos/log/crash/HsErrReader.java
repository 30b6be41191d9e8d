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
 * siginfo}, {@code Registers:} and {@code Time:}. Reading stops at the {@code P R O C E S S}
 * section or after {@value #MAX_LINES} lines; lines are cut at {@value #MAX_LINE_CHARS}
 * characters, so memory stays bounded on any input. A log cut short (the JVM died while
 * writing it) still gives what it has.
 */
public final class HsErrReader {
    static final int MAX_LINES = 20_000;
    static final int MAX_LINE_CHARS = 4096;
    static final int MAX_FRAMES = 128;
    static final int MAX_EXCERPT_LINES = 64;
    static final int MAX_REGISTERS = 64;

    private static final String BANNER = "A fatal error has been detected by the Java Runtime Environment";
    private static final String OUT_OF_MEMORY = "There is insufficient memory for the Java Runtime Environment";
    private static final Pattern SIGNAL = Pattern.compile(
            "^#\\s+(SIG[A-Z0-9]{1,10}) \\((0x[0-9a-fA-F]{1,8})\\) at pc=(0x[0-9a-fA-F]{1,16}), pid=(\\d{1,10}), tid=(\\d{1,20})");
    private static final Pattern ERROR_LINE = Pattern.compile("^#\\s{1,4}(\\S.*)$");
    private static final Pattern PID = Pattern.compile("pid=(\\d{1,10})");
    private static final Pattern SIGINFO = Pattern.compile(
            "^siginfo: si_signo: \\d{1,3} \\((SIG[A-Z0-9]{1,10})\\), si_code: -?\\d{1,6} \\(([A-Z_0-9]{1,40})\\)(?:, si_addr: (0x[0-9a-fA-F]{1,16}))?");
    private static final Pattern REGISTER = Pattern.compile("([A-Z][A-Z0-9]{0,7}) {0,2}=(0x[0-9a-fA-F]{1,16})\\b");
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
                break; // everything a report needs comes before the process section
            }
            s.line(line, lines.lineNumber());
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
                Optional.ofNullable(s.faultAddress), Optional.ofNullable(s.pc), Optional.ofNullable(s.pid),
                s.registers, Optional.ofNullable(s.problematicFrame), Optional.ofNullable(s.jreVersion),
                Optional.ofNullable(s.vmVersion), Optional.ofNullable(s.thread), Optional.ofNullable(s.time),
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
        String faultAddress;
        String pc;
        String pid;
        String problematicFrame;
        String jreVersion;
        String vmVersion;
        String thread;
        String time;
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
            } else if (thread == null && (m = CURRENT_THREAD.matcher(line)).find()) {
                thread = m.group(1).strip();
            } else if (time == null && line.startsWith("Time: ")) {
                time = line.substring("Time: ".length()).strip();
            } else {
                section = Section.OTHER;
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
            if (text.startsWith(BANNER)) {
                sawBanner = true;
                bannerLine = number;
            } else if (!sawBanner && text.startsWith(OUT_OF_MEMORY)) {
                // a native out-of-memory log has no heading: this line is heading and reason
                sawBanner = true;
                bannerLine = number;
                reason = text;
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
