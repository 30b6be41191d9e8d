package dev.rayos.log.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KernelCrashScannerTest {
    private static final String SYSRQ = "kernel/linux-6.1-sysrq-panic.serial.log";
    private static final String OOPS = "kernel/null-deref-oops-panic.serial.log";

    private static List<KernelCrash> scan(String text) throws IOException {
        return KernelCrashScanner.scan(new StringReader(text));
    }

    private static List<String> lines(String text) {
        return text.lines().collect(Collectors.toList());
    }

    private static String withoutTimestamps(String text) {
        return lines(text).stream().map(l -> l.replaceFirst("^\\[\\s*\\d+\\.\\d+\\] ", ""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static void assertIsSysrqPanic(KernelCrash c) {
        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.PANIC);
        assertThat(c.reason()).isEqualTo("Kernel panic - not syncing: sysrq triggered crash");
        assertThat(c.panicReason()).contains("sysrq triggered crash");
        assertThat(c.rip()).contains("0x47b7a0");
        assertThat(c.registers())
                .containsEntry("RAX", "0xffffffffffffffda")
                .containsEntry("R15", "0x00007ffc6632e5c0")
                .containsEntry("RSP", "0x00007ffc6632e558")
                .containsEntry("SS", "0x002b")
                .containsEntry("CS", "0x0033")
                .containsEntry("EFLAGS", "0x00000202")
                .containsEntry("ORIG_RAX", "0x0000000000000001")
                .containsEntry("R08", "0xfefefefefefefeff")
                .containsEntry("RIP", "0x47b7a0");
        assertThat(c.callTrace()).hasSize(30);
        assertThat(c.callTrace().get(0)).isEqualTo("dump_stack_lvl+0x44/0x5c");
        assertThat(c.callTrace()).contains("? _printk+0x68/0x83", "sysrq_handle_crash+0x16/0x20");
        assertThat(c.callTrace().get(29)).isEqualTo("entry_SYSCALL_64_after_hwframe+0x6e/0xd8");
        assertThat(c.kernelRelease()).contains("6.1.0-56-amd64");
        assertThat(c.task()).contains("init[1] cpu=0");
        // panic() prints no fault: sysrq on 6.1 calls panic() directly
        assertThat(c.faultAddress()).isEmpty();
        assertThat(c.errorCode()).isEmpty();
        assertThat(c.truncated()).isFalse();
    }

    @Test
    void findsTheSysrqPanicInTheRealCapture() throws IOException {
        List<KernelCrash> crashes = KernelCrashScanner.scan(Vectors.path(SYSRQ));

        assertThat(crashes).hasSize(1);
        KernelCrash c = crashes.get(0);
        assertIsSysrqPanic(c);
        assertThat(c.uptime()).contains("2.394557");
        assertThat(c.firstLine()).isEqualTo(2);
        assertThat(c.lastLine()).isEqualTo(46);
        assertThat(c.excerpt()).hasSize(45);
        assertThat(c.excerpt().get(0)).isEqualTo("[    2.394557] Kernel panic - not syncing: sysrq triggered crash");
        assertThat(c.excerpt()).noneMatch(l -> l.contains("\r"));
    }

    @Test
    void vectorIsTheSharedFixtureUnchanged() throws IOException {
        Path shared = Vectors.repo().resolve("../shared/fixtures/linux-6.1-sysrq-panic.serial.log");
        if (Files.exists(shared)) {
            assertThat(Files.readAllBytes(Vectors.path(SYSRQ))).isEqualTo(Files.readAllBytes(shared));
        }
    }

    @Test
    void readsTheCaptureWithoutTimestampsAndWithLfEndings() throws IOException {
        List<KernelCrash> crashes = scan(withoutTimestamps(Vectors.text(SYSRQ)));

        assertThat(crashes).hasSize(1);
        assertIsSysrqPanic(crashes.get(0));
        assertThat(crashes.get(0).uptime()).isEmpty();
    }

    @Test
    void readsTheCaptureWithLoneCarriageReturns() throws IOException {
        String cr = String.join("\r", lines(Vectors.text(SYSRQ))) + "\r";

        List<KernelCrash> crashes = scan(cr);

        assertThat(crashes).hasSize(1);
        assertIsSysrqPanic(crashes.get(0));
    }

    @Test
    void userSpaceOutputLandingInTheMiddleIsKeptInTheExcerptButNotParsed() throws IOException {
        List<String> l = new ArrayList<>(lines(Vectors.text(SYSRQ)));
        l.add(20, "rayos-agent: heartbeat 17 ok");
        l.add(40, "login: ");
        l.add(41, "RAYOS_READY mode=bicameral");

        List<KernelCrash> crashes = scan(String.join("\r\n", l));

        assertThat(crashes).hasSize(1);
        assertIsSysrqPanic(crashes.get(0));
        assertThat(crashes.get(0).excerpt()).contains("rayos-agent: heartbeat 17 ok", "login: ").hasSize(48);
    }

    @Test
    void aKernelLineGluedAfterUserSpaceOutputIsStillRead() throws IOException {
        List<String> l = new ArrayList<>(lines(Vectors.text(SYSRQ)));
        l.set(1, "$ echo c > /proc/sysrq-trigger" + l.get(1));

        List<KernelCrash> crashes = scan(String.join("\n", l));

        assertThat(crashes).hasSize(1);
        assertIsSysrqPanic(crashes.get(0));
    }

    @Test
    void anOopsAndThePanicItEndsInAreOneCrash() throws IOException {
        List<KernelCrash> crashes = KernelCrashScanner.scan(Vectors.path(OOPS));

        assertThat(crashes).hasSize(1);
        KernelCrash c = crashes.get(0);
        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.reason()).isEqualTo("BUG: kernel NULL pointer dereference, address: 0000000000000000");
        assertThat(c.headlines()).containsExactly(
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "Oops: 0002 [#1] PREEMPT SMP NOPTI",
                "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009");
        assertThat(c.panicked()).isTrue();
        assertThat(c.panicReason()).contains("Attempted to kill init! exitcode=0x00000009");
        assertThat(c.faultAddress()).contains("0x0000000000000000");
        assertThat(c.errorCode()).contains("0x0002");
        assertThat(c.rip()).contains("rayos_demo_write+0x11/0x20 [rayos_demo]");
        // the faulting kernel context, not the user-space registers printed inside the trace
        assertThat(c.registers())
                .containsEntry("RSP", "0xffffb4c1c01a7e48")
                .containsEntry("SS", "0x0018")
                .containsEntry("CS", "0x0010")
                .containsEntry("RAX", "0x0000000000000002")
                .containsEntry("CR2", "0x0000000000000000")
                .containsEntry("CR3", "0x0000000002a0e000")
                .containsEntry("knlGS", "0x0000000000000000")
                .doesNotContainKey("RIP");
        assertThat(c.callTrace()).containsExactly(
                "proc_reg_write+0x56/0xa0", "vfs_write+0xc7/0x3f0", "? __handle_mm_fault+0x6ab/0xd30",
                "ksys_write+0x6b/0xf0", "do_syscall_64+0x5d/0xb0", "entry_SYSCALL_64_after_hwframe+0x6e/0xd8");
        assertThat(c.kernelRelease()).contains("6.1.0-56-amd64");
        assertThat(c.task()).contains("rayos-init[77] cpu=1");
        assertThat(c.firstLine()).isEqualTo(2);
        assertThat(c.lastLine()).isEqualTo(54);
        assertThat(c.excerpt()).hasSize(53);
    }

    @Test
    void endOfKernelPanicCompletesTheCrashOnThatLine() throws IOException {
        KernelCrashScanner scanner = new KernelCrashScanner();
        List<String> l = lines(Vectors.text(OOPS));
        for (int i = 0; i < l.size() - 1; i++) {
            assertThat(scanner.accept(l.get(i))).as("line %d", i + 1).isEmpty();
        }
        assertThat(scanner.accept(l.get(l.size() - 1))).hasSize(1);
        assertThat(scanner.finish()).isEmpty();
    }

    @Test
    void twoCrashesInOneLogAreTwoCrashesInOrder() throws IOException {
        String log = Vectors.text(OOPS) + "[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)\n"
                + "[    0.000000] Command line: console=ttyS0\n" + Vectors.text(SYSRQ);

        List<KernelCrash> crashes = scan(log);

        assertThat(crashes).extracting(KernelCrash::kind)
                .containsExactly(KernelCrash.Kind.BUG, KernelCrash.Kind.PANIC);
        assertIsSysrqPanic(crashes.get(1));
        assertThat(crashes.get(1).firstLine()).isEqualTo(54 + 2 + 2);
    }

    @Test
    void aSecondPanicWithoutANewBootIsANewCrash() throws IOException {
        String panic = withoutTimestamps(Vectors.text(SYSRQ));

        assertThat(scan(panic + panic)).hasSize(2);
    }

    @Test
    void anOopsThatDidNotPanicEndsAfterUnrelatedOutputAndTheNextBugIsItsOwn() throws IOException {
        List<String> oops = lines(Vectors.text(OOPS)).subList(0, 37); // up to "---[ end trace"
        List<String> log = new ArrayList<>(oops);
        for (int i = 0; i < KernelCrashScanner.MAX_GAP_LINES + 1; i++) {
            log.add("[   13.0000" + (10 + i) + "] systemd[1]: Started unit " + i + ".");
        }
        log.add("[   20.000000] BUG: soft lockup - CPU#0 stuck for 22s! [rayos-init:77]");
        log.add("[   20.000100] CPU: 0 PID: 77 Comm: rayos-init Not tainted 6.1.0-56-amd64 #1");

        List<KernelCrash> crashes = scan(String.join("\n", log));

        assertThat(crashes).hasSize(2);
        assertThat(crashes.get(0).panicked()).isFalse();
        assertThat(crashes.get(0).lastLine()).isEqualTo(37);
        assertThat(crashes.get(1).reason()).startsWith("BUG: soft lockup");
        assertThat(crashes.get(1).faultAddress()).isEmpty();
    }

    @Test
    void textWithoutACrashGivesNoCrash() throws IOException {
        assertThat(scan("[    0.000000] Linux version 6.1.0\nCPU: 0 PID: 1\nRAX: 0000\n Call Trace:\n")).isEmpty();
        assertThat(scan("")).isEmpty();
    }

    @Test
    void hugeExcerptsAreCutAndSaySo() throws IOException {
        StringBuilder log = new StringBuilder("Kernel panic - not syncing: loop\nCall Trace:\n");
        for (int i = 0; i < 2 * KernelCrashScanner.MAX_EXCERPT_LINES; i++) {
            log.append(" f").append(i).append("+0x1/0x2\n");
        }
        log.append("Code: ").append("00 ".repeat(10_000)).append('\n');

        KernelCrash c = scan(log.toString()).get(0);

        assertThat(c.truncated()).isTrue();
        assertThat(c.excerpt()).hasSize(KernelCrashScanner.MAX_EXCERPT_LINES);
        assertThat(c.callTrace()).hasSize(KernelCrashScanner.MAX_TRACE_FRAMES);
        assertThat(c.lastLine()).isEqualTo(2 + 2L * KernelCrashScanner.MAX_EXCERPT_LINES + 1);
    }
}
