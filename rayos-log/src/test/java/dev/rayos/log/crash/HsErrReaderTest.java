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

    @Test
    void realLogHasTheShapeTheReaderExpects() throws IOException {
        // guards the reader against a JDK that changes the layout: the headings it keys on
        String text = Files.readString(hsErr);
        assertThat(text).contains("\nRegisters:\n", "\nsiginfo: si_signo: 11 (SIGSEGV)", "# Problematic frame:");
    }
}
