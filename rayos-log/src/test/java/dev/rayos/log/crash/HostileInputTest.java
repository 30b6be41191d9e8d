package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rayos.log.root.BootId;
import dev.rayos.log.line.Timestamp;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Every crash reader against hostile input: it answers with crashes, an empty result or a
 * {@link CrashParseException}, never another exception, and keeps within its caps.
 */
class HostileInputTest {
    private static final String SYSRQ = Vectors.text("kernel/linux-6.1-sysrq-panic.serial.log");
    private static final String OOPS = Vectors.text("kernel/null-deref-oops-panic.serial.log");
    private static final String HS_ERR = Vectors.text("jvm/hs_err-17.0.15-sigsegv.log");
    private static final String REPORT = Vectors.text("valid/kernel-sysrq-panic.log");
    private static final String ESCAPES = Vectors.text("valid/rayos-escapes.log");
    /** The real crash texts of {@code real/}: arm64, GPFs, decoded traces, old and Windows hs_err. */
    private static final List<String> REAL = realSamples();

    private static List<String> realSamples() {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(Vectors.path("real"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted()
                    .map(n -> Vectors.text("real/" + n)).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A real text damaged: cut, characters replaced, lines repeated or dropped, garbage spliced in. */
    @Provide
    Arbitrary<String> damaged() {
        List<String> texts = new ArrayList<>(List.of(SYSRQ, OOPS, HS_ERR, REPORT, ESCAPES, SYSRQ + OOPS));
        texts.addAll(REAL);
        Arbitrary<String> real = Arbitraries.of(texts);
        Arbitrary<List<int[]>> edits = Arbitraries.integers().between(0, Integer.MAX_VALUE)
                .array(int[].class).ofSize(3).list().ofMaxSize(12);
        Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(40);
        return Combinators.combine(real, edits, garbage).as((text, ops, junk) -> {
            StringBuilder b = new StringBuilder(text);
            for (int[] op : ops) {
                if (b.length() == 0) {
                    break;
                }
                int at = op[1] % b.length();
                switch (op[0] % 5) {
                    case 0: b.setLength(at); break; // truncated
                    case 1: b.setCharAt(at, (char) (op[2] % 0x10000)); break; // one character flipped
                    case 2: b.insert(at, junk); break; // noise spliced in
                    case 3: b.delete(at, Math.min(b.length(), at + op[2] % 200)); break; // a piece lost
                    default: b.insert(at, b.substring(at, Math.min(b.length(), at + op[2] % 300))); // repeated
                }
            }
            return b.toString();
        });
    }

    @Provide
    Arbitrary<String> crashLike() {
        // lines that look like crash text, shuffled: the scanner's states meet in every order
        List<String> lines = new ArrayList<>(SYSRQ.lines().toList());
        lines.addAll(OOPS.lines().toList());
        REAL.forEach(t -> lines.addAll(t.lines().toList()));
        lines.add("---[ end Kernel panic - not syncing: x ]---");
        lines.add("Linux version 6.1.0");
        lines.add("Call Trace:");
        return Arbitraries.of(lines).list().ofMaxSize(300).map(l -> String.join("\n", l));
    }

    @Property(tries = 300)
    void scannerNeverThrowsOnArbitraryText(@ForAll @StringLength(max = 3000) String text) throws IOException {
        assertWithinCaps(KernelCrashScanner.scan(new StringReader(text)));
    }

    @Property(tries = 300)
    void scannerNeverThrowsOnDamagedRealText(@ForAll("damaged") String text) throws IOException {
        assertWithinCaps(KernelCrashScanner.scan(new StringReader(text)));
    }

    @Property(tries = 300)
    void scannerNeverThrowsOnCrashLinesInAnyOrder(@ForAll("crashLike") String text) throws IOException {
        assertWithinCaps(KernelCrashScanner.scan(new StringReader(text)));
    }

    /** A real text with lines broken at random columns, as a mail client or a paste breaks them. */
    @Provide
    Arbitrary<String> wrapped() {
        Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(0, 5000).list().ofMaxSize(40);
        return Combinators.combine(Arbitraries.of(REAL), cuts).as((text, at) -> {
            StringBuilder b = new StringBuilder(text);
            for (int cut : at) {
                b.insert(Math.min(cut * 7, b.length()), '\n');
            }
            return b.toString();
        });
    }

    @Property(tries = 300)
    void scannerNeverThrowsOnRealTextBrokenIntoShorterLines(@ForAll("wrapped") String text) throws IOException {
        assertWithinCaps(KernelCrashScanner.scan(new StringReader(text)));
    }

    /** Lines of the new forms with hostile values: long hex, odd register names, nested parentheses. */
    @Provide
    Arbitrary<String> newForms() {
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdefx").ofMaxLength(40);
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(60);
        Arbitrary<String> line = Combinators.combine(Arbitraries.of(
                        "Unable to handle kernel paging request at virtual address %s", "ESR = 0x%s",
                        "Internal error: Oops: %s [#1] PREEMPT SMP", "pc : %s", "lr : %s", "pc : [<%s>] lr : [<%s>] pstate: %s",
                        "PC is at %s", "x29: %s x28: %s", "x9 : %s x8 : ", "sp : %s", "pstate: %s (%s)", "Call trace:",
                        "Oops: general protection fault, probably for non-canonical address 0x%s: %s [#1]",
                        " %s (%s:%s (discriminator %s)) %s", " [<%s>] ? %s+0x%s/0x%s", " %s+0x1/0x2 %s:%s [inline]",
                        "CPU: 1 PID: %s", "%s Comm: x Not tainted %s #1", "RAX: %s RBX:", "%s RCX: %s",
                        "siginfo: ExceptionCode=0x%s, reading address 0x%s",
                        "siginfo: EXCEPTION_ACCESS_VIOLATION (0x%s), writing address 0x%s",
                        "siginfo: ExceptionCode=0xc0000005, ExceptionInformation=0x%s 0x%s",
                        "siginfo:si_signo=SIGSEGV: si_errno=%s, si_code=%s (%s), si_addr=0x%s",
                        "#  EXCEPTION_%s (0x%s) at pc=0x%s, pid=%s, tid=0x%s",
                        // lockup detector, 32-bit arm's Backtrace:, another task's headline, JDK 8's time and zone
                        "watchdog: BUG: soft lockup - CPU#%s stuck for %ss! [%s]", "NMI watchdog: BUG: %s",
                        "Backtrace: ", "[<%s>] (%s) from [<%s>] (%s+0x%s/0x%s)",
                        "[   34.4][ T%s] Unable to handle kernel paging request at virtual address %s",
                        "[   34.5][ T1] Internal error: Oops: %s [#1] SMP", "[   34.6][ T%s] ---[ end trace %s ]---",
                        "---------------  P R O C E S S  ---------------", "time: %s", "timezone: %s",
                        "time: Tue Nov 10 10:20:10 %s", "timezone: +%s", "Time: %s elapsed time: %s",
                        "# There is insufficient memory for the Java Runtime Environment to continue.",
                        "#  Out of Memory Error (%s), pid=%s, tid=%s", "#  Internal Error (%s), pid=%s", "#  %s",
                        // mail quotes, decode_stacktrace.sh's disassembly, (??:?), Kdump CPU lines, an
                        // interrupted context inside a trace, markup before a pasted banner
                        "> %s", "> > BUG: kernel NULL pointer dereference, address: %s", ">>>%s", "> RIP: 0010:%s",
                        "All code", "========", "  %s:*\t%s \tmov    %s", "  %s:\t%s", "Code starting with the faulting instruction",
                        " %s (??:?)", " %s (%s (discriminator %s) ??:?)",
                        "CPU: %s PID: %s Comm: %s Kdump: loaded Tainted: G %s", "RIP: 0010:%s", "RIP: 0033:%s", "Code: %s",
                        "**#", "*>_#  SIGSEGV (0x%s) at pc=0x%s", "> # %s"),
                hex, junk).as((f, h, j) -> f.replace("%s", h.isEmpty() ? j : h));
        return line.list().ofMaxSize(200).map(l -> "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
                + String.join("\n", l));
    }

    @Property(tries = 300)
    void theNewFormsWithHostileValuesGiveCrashesOrATypedError(@ForAll("newForms") String text) throws IOException {
        assertWithinCaps(KernelCrashScanner.scan(new StringReader(text)));
        try {
            reportOf(HsErrReader.read(new StringReader(text)).report(BootId.random(), Timestamp.mono(0)));
        } catch (CrashParseException e) {
            assertThat(e.line()).isNotNegative();
        }
    }

    @Property(tries = 500)
    void aJvmCrashTimeIsPlacedOrLeftToTheFallbackWhateverItSays(@ForAll("hsErrTimes") String time) {
        Timestamp fallback = Timestamp.mono(7);
        Timestamp t = CrashTime.jvm(java.util.Optional.of(time), fallback);
        // a time the text does not name in a zone is the fallback; a placed one is wall clock
        assertThat(t.equals(fallback) || !t.mono() && t.nanos() >= 0).as(time + " -> " + t).isTrue();
    }

    @Provide
    Arbitrary<String> hsErrTimes() {
        Arbitrary<String> zone = Arbitraries.oneOf(Arbitraries.of("UTC", "CET", "+08", "-0330", "+99", "+0899", "GMT Daylight Time", ""),
                Arbitraries.strings().withChars("+-0123456789:ABCZ ").ofMaxLength(12));
        Arbitrary<String> day = Arbitraries.of("Tue Nov 10 10:20:10 2020", "Mon Oct  5 11:11:20 2020", "Wed Feb 31 25:61:61 99999",
                "Fri Dec 31 23:59:59 9999", "Thu Jan  1 00:00:00 1969", "");
        return Arbitraries.oneOf(Combinators.combine(day, zone).as((d, z) -> d + " " + z),
                Arbitraries.strings().ofMaxLength(80));
    }

    @Property(tries = 200)
    void scannerNeverThrowsOnRandomBytes(@ForAll @Size(max = 4000) byte[] bytes) throws IOException {
        Reader r = new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8);
        assertWithinCaps(KernelCrashScanner.scan(r));
    }

    @Property(tries = 300)
    void hsErrReaderAnswersACrashOrAParseError(@ForAll("damaged") String text) throws IOException {
        try {
            JvmCrash c = HsErrReader.read(new StringReader(text));
            assertThat(c.frames()).hasSizeLessThanOrEqualTo(HsErrReader.MAX_FRAMES);
            assertThat(c.registers()).hasSizeLessThanOrEqualTo(HsErrReader.MAX_REGISTERS);
            assertThat(c.excerpt()).hasSizeLessThanOrEqualTo(HsErrReader.MAX_EXCERPT_LINES);
            reportOf(c.report(BootId.random(), Timestamp.mono(0)));
        } catch (CrashParseException e) {
            assertThat(e.line()).isNotNegative();
        }
    }

    @Property(tries = 300)
    void hsErrReaderAnswersACrashOrAParseErrorOnArbitraryText(@ForAll @StringLength(max = 3000) String text)
            throws IOException {
        try {
            HsErrReader.read(new StringReader(text));
        } catch (CrashParseException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Property(tries = 500)
    void reportParserAnswersAReportOrAParseError(@ForAll("damaged") String text) {
        try {
            CrashReport r = CrashReportFormat.parse(text);
            // whatever it accepts, it accepts again after writing it
            assertThat(CrashReportFormat.parse(CrashReportFormat.format(r))).isEqualTo(r);
        } catch (CrashParseException e) {
            assertThat(e.line()).isPositive();
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Property(tries = 300)
    void reportParserAnswersAReportOrAParseErrorOnArbitraryText(@ForAll @StringLength(max = 2000) String body) {
        try {
            CrashReportFormat.parse(CrashReportFormat.MAGIC + "\n" + body);
        } catch (CrashParseException e) {
            assertThat(e.line()).isPositive();
        }
    }

    @Property(tries = 300)
    void anyReportReadsBackEqual(@ForAll @StringLength(min = 1, max = 200) String reason,
                                 @ForAll @Size(max = 5) List<@StringLength(max = 80) String> lines,
                                 @ForAll @StringLength(max = 80) String value,
                                 @ForAll @IntRange(min = 0, max = 2) int source) throws CrashParseException {
        if (reason.isBlank()) {
            return;
        }
        CrashReport r = CrashReport.builder(BootId.random(), Timestamp.mono(source), CrashReport.Source.values()[source], reason)
                .version(value).location(value).attribute("note", value).register("RAX", value)
                .stack(lines).lastLines(lines).excerpt(lines).build();

        String text = CrashReportFormat.format(r);

        assertThat(CrashReportFormat.parse(text)).isEqualTo(r);
    }

    @Example
    void aHugeLineWithoutLineEndIsCutNotHeld() throws IOException {
        // 8 MiB of one line through a Reader that produces it lazily: nothing keeps it whole
        Reader huge = new Reader() {
            long left = 8L << 20;

            @Override
            public int read(char[] buf, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(buf, off, off + n, 'A');
                if (left == 8L << 20) {
                    "Kernel panic - not syncing: ".getChars(0, 28, buf, off);
                }
                left -= n;
                return n;
            }

            @Override
            public void close() {}
        };

        List<KernelCrash> crashes = KernelCrashScanner.scan(huge);

        assertThat(crashes).hasSize(1);
        assertThat(crashes.get(0).truncated()).isTrue();
        assertThat(crashes.get(0).excerpt().get(0)).hasSize(KernelCrashScanner.MAX_LINE_CHARS);
    }

    private static void reportOf(CrashReport.Builder b) {
        CrashReport r = b.build();
        try {
            assertThat(CrashReportFormat.parse(CrashReportFormat.format(r))).isEqualTo(r);
        } catch (CrashParseException e) {
            throw new AssertionError("a report built from read text did not read back: " + e.getMessage(), e);
        }
    }

    private static void assertWithinCaps(List<KernelCrash> crashes) {
        for (KernelCrash c : crashes) {
            assertThat(c.excerpt()).hasSizeLessThanOrEqualTo(KernelCrashScanner.MAX_EXCERPT_LINES);
            assertThat(c.excerpt()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(KernelCrashScanner.MAX_LINE_CHARS));
            assertThat(c.callTrace()).hasSizeLessThanOrEqualTo(KernelCrashScanner.MAX_TRACE_FRAMES);
            assertThat(c.registers()).hasSizeLessThanOrEqualTo(KernelCrashScanner.MAX_REGISTERS);
            assertThat(c.lastLine()).isGreaterThanOrEqualTo(c.firstLine());
            // every crash must make a report that reads back: the ingest path cannot fail later
            reportOf(c.report(BootId.random(), Timestamp.mono(0)));
        }
    }
}
