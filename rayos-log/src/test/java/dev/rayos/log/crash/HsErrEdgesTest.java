package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

/**
 * hs_err logs at the edges of what the reader takes (docs/crash-report.md, "JVM crashes"): JDK 8's
 * time lines, which thread and signal win when a log names two, Java frames alone, and the caps on
 * frames, registers, banner lines and line length.
 */
class HsErrEdgesTest {
    static final String BANNER = "#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n";
    static final String SEGV = "#  SIGSEGV (0xb) at pc=0x00007f0e1c8e2f94, pid=4242, tid=4243\n#\n";

    static JvmCrash read(String text) throws Exception {
        return HsErrReader.read(new StringReader(text));
    }

    @Test
    void jdk8sTimeAndTimezoneLinesAreReadFromTheSystemSectionAndOnlyTheFirst() throws Exception {
        JvmCrash c = read(BANNER + SEGV + "\ntimezone: UTC\n"
                + "---------------  P R O C E S S  ---------------\n\n"
                + "---------------  S Y S T E M  ---------------\n\n"
                + "time: Tue Nov 10 10:20:10 2020\ntimezone: +08\ntime: Wed Nov 11 00:00:00 2020\ntimezone: UTC\n");
        assertThat(c.time()).contains("Tue Nov 10 10:20:10 2020 +08");
        JvmCrash before = read(BANNER + SEGV + "\ntime: Mon Jan  5 01:02:03 2026\ntimezone: CET\n"
                + "Time: Fri Nov 27 09:14:18 2026 UTC elapsed time: 0.1 seconds\n");
        assertThat(before.time()).contains("Mon Jan  5 01:02:03 2026 CET");
        JvmCrash modern = read(BANNER + SEGV + "\nTime: Fri Nov 27 09:14:18 2026 UTC elapsed time: 0.1 seconds\n"
                + "Time: Sat Nov 28 00:00:00 2026 UTC\n");
        assertThat(modern.time()).contains("Fri Nov 27 09:14:18 2026 UTC elapsed time: 0.1 seconds");
    }

    @Test
    void theFirstCurrentThreadAndTheBannersSignalWin() throws Exception {
        JvmCrash c = read(BANNER + SEGV + "\n"
                + "Current thread (0x00007f0e14012000):  JavaThread \"main\" [_thread_in_vm, id=4243]\n\n"
                + "Current thread (0x00007f0e14099000):  JavaThread \"other\" [_thread_in_native, id=4250]\n\n"
                + "siginfo:si_signo=SIGBUS: si_errno=0, si_code=2 (BUS_ADRERR), si_addr=0x0000000000001000\n");
        assertThat(c.thread()).hasValueSatisfying(t -> assertThat(t).contains("\"main\""));
        assertThat(c.signal()).contains("SIGSEGV");
        assertThat(c.signalCode()).contains("BUS_ADRERR");
        assertThat(c.faultAddress()).contains("0x0000000000001000");
    }

    @Test
    void aWindowsLogWithoutASignalInItsBannerTakesItFromItsSiginfo() throws Exception {
        JvmCrash c = read(BANNER + "#  Internal Error (os_windows.cpp:123), pid=77, tid=0x0000000000000010\n#\n\n"
                + "siginfo: EXCEPTION_ACCESS_VIOLATION (0xC0000005), writing address 0x0000000000000048\n");
        assertThat(c.signal()).contains("EXCEPTION_ACCESS_VIOLATION");
        assertThat(c.exceptionCode()).contains("0xc0000005");
        assertThat(c.access()).contains("write");
        JvmCrash dep = read(BANNER + SEGV + "\n"
                + "siginfo: ExceptionCode=0xC0000006, ExceptionInformation=0x0000000000000000 0x00007ff6e0a01000\n");
        assertThat(dep.exceptionCode()).contains("0xc0000006");
        assertThat(dep.access()).contains("read");
        assertThat(dep.signal()).contains("SIGSEGV");
    }

    @Test
    void javaFramesStandWhenThereAreNoNativeOnes() throws Exception {
        JvmCrash c = read(BANNER + SEGV + "\nJava frames: (J=compiled Java code, j=interpreted, Vv=VM code)\n"
                + "j  sun.misc.Unsafe.putLong(JJ)V+0\nj  Crash.main([Ljava/lang/String;)V+5\n\n");
        assertThat(c.frames()).containsExactly("j  sun.misc.Unsafe.putLong(JJ)V+0", "j  Crash.main([Ljava/lang/String;)V+5");
        assertThat(c.truncated()).isFalse();
    }

    @Test
    void framesRegistersAndBannerLinesAreCappedAndTheCrashSaysItWasCut() throws Exception {
        StringBuilder frames = new StringBuilder("\nNative frames: (J=compiled Java code, j=interpreted)\n");
        for (int i = 0; i < HsErrReader.MAX_FRAMES; i++) {
            frames.append("C  [libc.so.6+0x").append(Integer.toHexString(i)).append("]\n");
        }
        JvmCrash exact = read(BANNER + SEGV + frames);
        assertThat(exact.frames()).hasSize(HsErrReader.MAX_FRAMES);
        assertThat(exact.truncated()).isFalse();
        JvmCrash over = read(BANNER + SEGV + frames + "C  [libc.so.6+0xffff]\n");
        assertThat(over.frames()).hasSize(HsErrReader.MAX_FRAMES);
        assertThat(over.truncated()).isTrue();

        StringBuilder regs = new StringBuilder("\nRegisters:\n");
        for (int i = 0; i < HsErrReader.MAX_REGISTERS; i++) {
            regs.append("R").append(i).append("=0x").append(Integer.toHexString(i)).append('\n');
        }
        JvmCrash exactRegs = read(BANNER + SEGV + regs);
        assertThat(exactRegs.registers()).hasSize(HsErrReader.MAX_REGISTERS);
        assertThat(exactRegs.truncated()).isFalse();
        JvmCrash overRegs = read(BANNER + SEGV + regs + "RX=0x1\nR0=0x99\n");
        assertThat(overRegs.registers()).hasSize(HsErrReader.MAX_REGISTERS).containsEntry("R0", "0x0");
        assertThat(overRegs.truncated()).isTrue();

        StringBuilder banner = new StringBuilder(BANNER + SEGV);
        int lines = (int) banner.toString().lines().count();
        for (int i = lines; i < HsErrReader.MAX_EXCERPT_LINES; i++) {
            banner.append("# note ").append(i).append('\n');
        }
        JvmCrash exactBanner = read(banner.toString());
        assertThat(exactBanner.excerpt()).hasSize(HsErrReader.MAX_EXCERPT_LINES);
        assertThat(exactBanner.truncated()).isFalse();
        JvmCrash overBanner = read(banner + "# one more\n");
        assertThat(overBanner.excerpt()).hasSize(HsErrReader.MAX_EXCERPT_LINES);
        assertThat(overBanner.truncated()).isTrue();
    }

    @Test
    void aLineLongerThanTheReaderTakesIsCutAndTheCrashSaysSo() throws Exception {
        JvmCrash c = read(BANNER + SEGV + "\nCurrent thread (0x1):  JavaThread \"" + "n".repeat(5000) + "\"\n");
        assertThat(c.truncated()).isTrue();
        assertThat(read(BANNER + SEGV).truncated()).isFalse();
    }

    @Test
    void aLogWhoseBannerNamesNoSignalTakesItFromItsSiginfoInEitherForm() throws Exception {
        String internal = BANNER + "#  Internal Error (sharedRuntime.cpp:553), pid=77, tid=78\n#\n\n";
        JvmCrash modern = read(internal
                + "siginfo: si_signo: 11 (SIGSEGV), si_code: 1 (SEGV_MAPERR), si_addr: 0x0000000000000008\n");
        assertThat(modern.signal()).contains("SIGSEGV");
        assertThat(modern.signalCode()).contains("SEGV_MAPERR");
        JvmCrash old = read(internal
                + "siginfo:si_signo=SIGBUS: si_errno=0, si_code=2 (BUS_ADRERR), si_addr=0x0000000000001000\n");
        assertThat(old.signal()).contains("SIGBUS");
        JvmCrash numbered = read(internal
                + "siginfo:si_signo=7: si_errno=0, si_code=2 (BUS_ADRERR), si_addr=0x0000000000001000\n");
        assertThat(numbered.signal()).as("a bare number is no signal name").isEmpty();
        assertThat(numbered.faultAddress()).contains("0x0000000000001000");
    }

    @Test
    void aBannerPastedWithMarkupBeforeItsFirstLineIsReadFromThatLine() throws Exception {
        JvmCrash c = read("**# A fatal error has been detected by the Java Runtime Environment:\n#\n" + SEGV);
        assertThat(c.excerpt().get(0)).isEqualTo("# A fatal error has been detected by the Java Runtime Environment:");
        assertThat(c.reason()).contains("SIGSEGV");
        assertThat(c.pid()).contains("4242");
    }
}
