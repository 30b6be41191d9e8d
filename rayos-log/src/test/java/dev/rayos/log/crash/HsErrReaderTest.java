package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HsErrReaderTest {
    @TempDir
    static Path dir;
    static Path hsErr;

    @BeforeAll
    static void crashAChildJvm() throws Exception {
        hsErr = CrashingJvm.crashInto(dir);
    }

    @Test
    void readsTheSignalFaultAddressAndRegistersOfARealCrash() throws Exception {
        JvmCrash c = HsErrReader.read(hsErr);

        assertThat(c.signal()).contains("SIGSEGV");
        assertThat(c.reason()).startsWith("SIGSEGV (0xb) at pc=0x");
        assertThat(c.signalCode()).contains("SEGV_MAPERR");
        assertThat(c.faultAddress()).contains("0x0000000000000000");
        assertThat(c.registers()).containsKeys("RAX", "RBX", "RCX", "RDX", "RSP", "RBP", "RSI", "RDI",
                "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "RIP", "EFLAGS", "CSGSFS", "ERR", "TRAPNO");
        assertThat(c.registers().values()).allMatch(v -> v.matches("0x[0-9a-f]{16}"));
        // the write to address 0 is a page fault (trap 14) on a write (error bit 1)
        assertThat(c.trapNumber()).contains("0x000000000000000e");
        assertThat(c.errorCode()).hasValueSatisfying(e -> assertThat(Long.decode(e) & 2).isEqualTo(2));
        assertThat(c.registers().get("RIP")).isEqualTo(c.pc().orElseThrow());
        assertThat(c.pid()).hasValueSatisfying(pid -> assertThat(hsErr.getFileName().toString()).contains(pid));
    }

    @Test
    void readsTheProblematicFrameVersionsThreadAndFramesOfARealCrash() throws Exception {
        JvmCrash c = HsErrReader.read(hsErr);

        assertThat(c.problematicFrame()).hasValueSatisfying(f -> assertThat(f).contains("Unsafe_Put"));
        assertThat(c.jreVersion()).hasValueSatisfying(v -> assertThat(v).contains(System.getProperty("java.runtime.version")));
        assertThat(c.vmVersion()).hasValueSatisfying(v -> assertThat(v).contains("64-Bit"));
        assertThat(c.thread()).hasValueSatisfying(t -> assertThat(t).contains("JavaThread \"main\""));
        assertThat(c.time()).isPresent();
        assertThat(c.frames()).anyMatch(f -> f.contains("CrashingJvm.main"));
        assertThat(c.excerpt().get(1)).contains("A fatal error has been detected");
        assertThat(c.truncated()).isFalse();
    }

    @Test
    void aLogCutShortAfterTheBannerStillGivesTheError() throws Exception {
        List<String> lines = Files.readAllLines(hsErr);
        String head = String.join("\n", lines.subList(0, 10));

        JvmCrash c = HsErrReader.read(new StringReader(head));

        assertThat(c.signal()).contains("SIGSEGV");
        assertThat(c.problematicFrame()).isPresent();
        assertThat(c.registers()).isEmpty();
        assertThat(c.faultAddress()).isEmpty();
    }

    @Test
    void anInternalErrorHasNoSignalButAReason() throws Exception {
        String log = "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n"
                + "#  Internal Error (g1ConcurrentMark.cpp:1201), pid=4242, tid=4243\n"
                + "#  guarantee(false) failed: broken\n#\n";

        JvmCrash c = HsErrReader.read(new StringReader(log));

        assertThat(c.reason()).isEqualTo("Internal Error (g1ConcurrentMark.cpp:1201), pid=4242, tid=4243");
        assertThat(c.signal()).isEmpty();
        assertThat(c.pid()).contains("4242");
    }

    @Test
    void aNativeOutOfMemoryLogIsRead() throws Exception {
        String log = "#\n# There is insufficient memory for the Java Runtime Environment to continue.\n"
                + "# Native memory allocation (mmap) failed to map 12345 bytes for committing reserved memory.\n";

        assertThat(HsErrReader.read(new StringReader(log)).reason())
                .isEqualTo("There is insufficient memory for the Java Runtime Environment to continue.");
    }

    @Test
    void textThatIsNotAnHsErrLogIsRefusedWithALine() {
        assertThatThrownBy(() -> HsErrReader.read(new StringReader("hello\nworld\n")))
                .isInstanceOf(CrashParseException.class)
                .hasMessageContaining("not a JVM fatal error log");
        assertThatThrownBy(() -> HsErrReader.read(new StringReader("")))
                .isInstanceOf(CrashParseException.class);
    }

    @Test
    void aBannerWithoutAnErrorLineIsRefused() {
        assertThatThrownBy(() -> HsErrReader.read(new StringReader(
                "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n")))
                .isInstanceOf(CrashParseException.class)
                .hasMessage("line 2: JVM fatal error log without an error line under its banner");
    }

    private static final String BANNER = "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n";

    @Test
    void theJdk7SiginfoFormGivesSignalCodeAndFaultAddress() throws Exception {
        JvmCrash c = HsErrReader.read(new StringReader(BANNER
                + "#  SIGSEGV (0xb) at pc=0x00002b92c2489618, pid=28292, tid=47909616302400\n#\n\n"
                + "siginfo:si_signo=SIGSEGV: si_errno=0, si_code=1 (SEGV_MAPERR), si_addr=0x00000005d85ad688\n"));

        assertThat(c.signal()).contains("SIGSEGV");
        assertThat(c.signalCode()).contains("SEGV_MAPERR");
        assertThat(c.faultAddress()).contains("0x00000005d85ad688");
    }

    @Test
    void aSiCodeTheJdkHadNoNameForIsKeptAsItsNumber() throws Exception {
        JvmCrash c = HsErrReader.read(new StringReader(BANNER
                + "#  SIGSEGV (0xb) at pc=0x00002abba4c8e280, pid=25800, tid=1076017504\n#\n\n"
                + "siginfo:si_signo=SIGSEGV: si_errno=0, si_code=128 (), si_addr=0x0000000000000000\n"));

        assertThat(c.signalCode()).contains("128");
        assertThat(c.faultAddress()).contains("0x0000000000000000");
    }

    @Test
    void aJdk5LogWithTheOldBannerAndNumericSignalIsRead() throws Exception {
        JvmCrash c = HsErrReader.read(new StringReader("#\n# An unexpected error has been detected by HotSpot Virtual Machine:\n#\n"
                + "#  SIGSEGV (0xb) at pc=0xfe9bb960, pid=20929, tid=17\n#\n"
                + "# Java VM: Java HotSpot(TM) Server VM (1.5.0_01-b08 mixed mode)\n#\n\n"
                + "siginfo:si_signo=11, si_errno=0, si_code=1, si_addr=0x00000000\n"));

        assertThat(c.reason()).isEqualTo("SIGSEGV (0xb) at pc=0xfe9bb960, pid=20929, tid=17");
        assertThat(c.signal()).contains("SIGSEGV");
        assertThat(c.signalCode()).contains("1");
        assertThat(c.faultAddress()).contains("0x00000000");
    }

    @Test
    void windowsAccessViolationsGiveKindAddressAndAccessInEveryForm() throws Exception {
        String head = BANNER + "#  EXCEPTION_ACCESS_VIOLATION (0xc0000005) at pc=0x000000006d8f1f9a, pid=2368, tid=0x0000000000002a4c\n#\n\n";

        JvmCrash jdk8 = HsErrReader.read(new StringReader(head + "siginfo: ExceptionCode=0xc0000005, writing address 0x0000000000000048\n"));
        JvmCrash jdk11 = HsErrReader.read(new StringReader(head
                + "siginfo: EXCEPTION_ACCESS_VIOLATION (0xc0000005), reading address 0xffffffffffffffff\n"));
        JvmCrash dep = HsErrReader.read(new StringReader(head
                + "siginfo: ExceptionCode=0xc0000005, ExceptionInformation=0x0000000000000008 0x00007ff6e0a01000\n"));

        assertThat(jdk8.signal()).contains("EXCEPTION_ACCESS_VIOLATION");
        assertThat(jdk8.pid()).contains("2368");
        assertThat(jdk8.faultAddress()).contains("0x0000000000000048");
        assertThat(jdk8.access()).contains("write");
        assertThat(jdk8.exceptionCode()).contains("0xc0000005");
        assertThat(jdk11.faultAddress()).contains("0xffffffffffffffff");
        assertThat(jdk11.access()).contains("read");
        assertThat(dep.faultAddress()).contains("0x00007ff6e0a01000");
        assertThat(dep.access()).contains("execute");
        CrashReport r = jdk8.report(CrashReportFormatTest.BOOT, CrashReportFormatTest.T).build();
        assertThat(r.kind()).contains("EXCEPTION_ACCESS_VIOLATION");
        assertThat(r.attributes()).containsEntry("exception_code", "0xc0000005").containsEntry("access", "write");
    }

    @Test
    void aWindowsStackOverflowHasNoFaultAddress() throws Exception {
        JvmCrash c = HsErrReader.read(new StringReader(BANNER
                + "#  EXCEPTION_STACK_OVERFLOW (0xc00000fd) at pc=0x00000000027e2c3a, pid=6164, tid=0x0000000000001a5c\n#\n\n"
                + "siginfo: ExceptionCode=0xc00000fd, ExceptionInformation=0x0000000000000001 0x00000000c9dd0000\n"));

        assertThat(c.signal()).contains("EXCEPTION_STACK_OVERFLOW");
        assertThat(c.exceptionCode()).contains("0xc00000fd");
        assertThat(c.faultAddress()).isEmpty();
    }

    @Test
    void realLogHasTheShapeTheReaderExpects() throws IOException {
        // guards the reader against a JDK that changes the layout: the headings it keys on
        String text = Files.readString(hsErr);
        assertThat(text).contains("\nRegisters:\n", "\nsiginfo: si_signo: 11 (SIGSEGV)", "# Problematic frame:");
    }
}
