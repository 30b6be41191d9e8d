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
    void aGeneralProtectionFaultHasNoFaultAddressAndSaysWhy() throws IOException {
        String log = "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI\n"
                + "CPU: 0 PID: 5 Comm: kworker/0:0 Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2\n"
                + "RIP: 0010:list_del+0x9/0x30\n"
                + "CR2: 00007f0000001000 CR3: 0000000002a0e000 CR4: 00000000000006f0\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.GENERAL_PROTECTION);
        // CR2 is what the last page fault left; the kernel's guess is kept as a note
        assertThat(c.faultAddress()).isEmpty();
        assertThat(c.registers()).containsEntry("CR2", "0x00007f0000001000");
        assertThat(c.notes()).containsEntry("non_canonical_address", "0xdead000000000100")
                .containsEntry("no_fault_address", KernelCrashBuilder.NO_FAULT_ADDRESS_GPF);
        assertThat(c.errorCode()).contains("0x0000");
        assertThat(c.task()).contains("kworker/0:0[5] cpu=0");
        CrashReport r = c.report(CrashReportFormatTest.BOOT, CrashReportFormatTest.T).build();
        assertThat(r.faultAddress()).isEmpty();
        assertThat(r.attributes().get("no_fault_address")).contains("reports no address");
    }

    @Test
    void aKernelBugHasNoFaultAddressEvenWithALeftoverCr2() throws IOException {
        String log = "kernel BUG at mm/filemap.c:1498!\n"
                + "Oops: invalid opcode: 0000 [#1] SMP KASAN PTI\n"
                + "RIP: 0010:folio_unlock+0x13d/0x160\n"
                + "CR2: 00007ffec346a000 CR3: 000000007d7e0000 CR4: 00000000003526f0\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.faultAddress()).isEmpty();
        assertThat(c.rip()).contains("folio_unlock+0x13d/0x160");
    }

    @Test
    void anArm64OopsIsReadIntoTheSameFieldsAndMergesWithItsPanic() throws IOException {
        String log = "[   10.1][    T1] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008\n"
                + "[   10.1][    T1] Mem abort info:\n"
                + "[   10.1][    T1]   ESR = 0x96000006\n"
                + "[   10.1][    T1] Internal error: Oops: 96000006 [#1] PREEMPT SMP\n"
                + "[   10.1][    T1] pstate: 80400005 (Nzcv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)\n"
                + "[   10.1][    T1] pc : demo_write+0x8/0x10 [demo]\n"
                + "[   10.1][    T1] lr : vfs_write+0xc7/0x3f0\n"
                + "[   10.1][    T1] sp : ffff80000ff1b910\n"
                + "[   10.1][    T1] x29: ffff80000ff1b910 x28: 0000000000000007 x27: fffffc000330a480\n"
                + "[   10.1][    T1] x2 : 0000000000000000 x1 : 0000000000000001 x0 : 0000000000000002\n"
                + "[   10.1][    T1] Call trace:\n"
                + "[   10.1][    T1]  demo_write+0x8/0x10 [demo]\n"
                + "[   10.1][    T1]  vfs_write+0xc7/0x3f0\n"
                + "[   10.1][    T1] Code: a9014ff4 910003fd (f9400674)\n"
                + "[   10.1][    T1] ---[ end trace 0000000000000000 ]---\n"
                + "[   10.2][    T1] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b\n";

        List<KernelCrash> crashes = scan(log);

        assertThat(crashes).hasSize(1);
        KernelCrash c = crashes.get(0);
        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.panicked()).isTrue();
        assertThat(c.faultAddress()).contains("0x0000000000000008");
        assertThat(c.errorCode()).contains("0x96000006"); // ESR, not the die() code
        assertThat(c.rip()).contains("demo_write+0x8/0x10 [demo]");
        assertThat(c.notes()).containsEntry("lr", "vfs_write+0xc7/0x3f0");
        assertThat(c.registers()).containsEntry("x29", "0xffff80000ff1b910").containsEntry("x2", "0x0000000000000000")
                .containsEntry("x0", "0x0000000000000002").containsEntry("sp", "0xffff80000ff1b910")
                .containsEntry("pstate", "0x80400005").doesNotContainKey("pc");
        assertThat(c.callTrace()).containsExactly("demo_write+0x8/0x10 [demo]", "vfs_write+0xc7/0x3f0");
    }

    @Test
    void decodedTracesGiveTheirFramesAsPrinted() throws IOException {
        String log = "BUG: KASAN: slab-use-after-free in dst_destroy (net/core/dst.c:112)\n"
                + "Call Trace:\n"
                + " <IRQ>\n"
                + "dump_stack_lvl (lib/dump_stack.c:124)\n"
                + "? dst_destroy (net/core/dst.c:112)\n"
                + "lockdep_hardirqs_on_prepare (kernel/locking/lockdep.c:4339 kernel/locking/lockdep.c:4406)\n"
                + "cpumask_of_node (arch/x86/include/asm/topology.h:72) [inline]\n"
                + "dump_stack_lvl (lib/dump_stack.c:107 (discriminator 1)) \n"
                + "close_candev (drivers/net/can/dev/dev.c:389) can_dev\n"
                + " unlock_page+0x18/0xb8 mm/folio-compat.c:19\n"
                + " call_read_iter include/linux/fs.h:2193 [inline]\n"
                + " [<ffffffff8149e232>] ? handle_mm_fault+0x3f2/0x3190\n"
                + " </IRQ>\n";

        assertThat(scan(log).get(0).callTrace()).containsExactly(
                "dump_stack_lvl (lib/dump_stack.c:124)", "? dst_destroy (net/core/dst.c:112)",
                "lockdep_hardirqs_on_prepare (kernel/locking/lockdep.c:4339 kernel/locking/lockdep.c:4406)",
                "cpumask_of_node (arch/x86/include/asm/topology.h:72) [inline]",
                "dump_stack_lvl (lib/dump_stack.c:107 (discriminator 1))",
                "close_candev (drivers/net/can/dev/dev.c:389) can_dev",
                "unlock_page+0x18/0xb8 mm/folio-compat.c:19", "call_read_iter include/linux/fs.h:2193 [inline]",
                "? handle_mm_fault+0x3f2/0x3190");
    }

    @Test
    void a32BitArmOopsGivesLocationRegistersAndItsFromFrames() throws IOException {
        // shape of a Raspberry Pi report (derf/feh issue 574), frames in both arm unwinder forms
        String log = "[135992.726639] Unable to handle kernel NULL pointer dereference at virtual address 0000000c\n"
                + "[135992.726715] Internal error: Oops: 17 [#2] ARM\n"
                + "[135992.726854] CPU: 0 PID: 7690 Comm: htop Tainted: G      D  C        5.4.79+ #1373\n"
                + "[135992.726890] PC is at seq_vprintf+0x18/0x64\n"
                + "[135992.726903] LR is at seq_printf+0x3c/0x5c\n"
                + "[135992.726912] pc : [<c01f3218>]    lr : [<c01f32a0>]    psr: 60000013\n"
                + "[135992.726923] sp : cd009d54  ip : cd009d6c  fp : cd009d68\n"
                + "[135992.726933] r10: c5cf5dc0  r9 : 00000000  r8 : c024801c\n"
                + "[135992.726967] Call trace:\n"
                + "[135992.726970]  seq_vprintf from seq_printf+0x3c/0x5c\n"
                + "[135992.726980] [<c01f3218>] (seq_vprintf+0x18/0x64) from [<c01f32a0>] (seq_printf+0x3c/0x5c)\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.BUG);
        assertThat(c.faultAddress()).contains("0x0000000c");
        assertThat(c.errorCode()).contains("0x17");
        assertThat(c.rip()).contains("seq_vprintf+0x18/0x64");
        assertThat(c.notes()).containsEntry("lr", "seq_printf+0x3c/0x5c");
        assertThat(c.registers()).containsEntry("pc", "0xc01f3218").containsEntry("lr", "0xc01f32a0")
                .containsEntry("psr", "0x60000013").containsEntry("fp", "0xcd009d68").containsEntry("r9", "0x00000000")
                .containsEntry("r10", "0xc5cf5dc0");
        assertThat(c.callTrace()).containsExactly("seq_vprintf from seq_printf+0x3c/0x5c",
                "(seq_vprintf+0x18/0x64) from [<c01f32a0>] (seq_printf+0x3c/0x5c)");
    }

    @Test
    void linesBrokenByAMailClientAreReadAsOne() throws IOException {
        String log = "BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
                + "CPU: 1 PID: 1\n"
                + "88243 Comm: QSGRenderThread Not tainted 5.3.6-300.fc31.x86_64 #1\n"
                + "RAX: 0000000000000000 RBX:\n"
                + "ffffad8549157b40 RCX: 0000000002888000\n"
                + "Call Trace:\n"
                + " amdgpu_vm_sdma_update+0x17d/\n"
                + "0x240 [amdgpu]\n"
                + " do_syscall_64+0x5f/0x1a0\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.task()).contains("QSGRenderThread[188243] cpu=1");
        assertThat(c.kernelRelease()).contains("5.3.6-300.fc31.x86_64");
        assertThat(c.registers()).containsEntry("RBX", "0xffffad8549157b40").containsEntry("RCX", "0x0000000002888000");
        assertThat(c.callTrace()).containsExactly("amdgpu_vm_sdma_update+0x17d/0x240 [amdgpu]", "do_syscall_64+0x5f/0x1a0");
        assertThat(c.excerpt()).hasSize(9);
    }

    @Test
    void kernelLinesFromSyslogOrJournalctlWithoutTimestampsAreRead() throws IOException {
        String log = "Jul  5 07:01:31 screenshot-fedora23server kernel: general protection fault: 0000 [#1] SMP\n"
                + "Jul  5 07:01:31 screenshot-fedora23server kernel: CPU: 0 PID: 571 Comm: jbd2/vda1-8 Tainted: G           OE   4.8.13-100.fc23.x86_64 #1\n"
                + "Apr 15 13:58:08.732759 raspberrypi kernel: pc : __arch_copy_to_user+0xd8/0x240\n"
                + "2013-10-18T09:27:31.763864+00:00 host kernel: RIP: 0010:strcmp+0x8/0x20\n";

        KernelCrash c = scan(log).get(0);

        assertThat(c.kind()).isEqualTo(KernelCrash.Kind.GENERAL_PROTECTION);
        assertThat(c.task()).contains("jbd2/vda1-8[571] cpu=0");
        assertThat(c.rip()).contains("__arch_copy_to_user+0xd8/0x240");
        assertThat(c.lastLine()).isEqualTo(4);
        assertThat(c.uptime()).isEmpty();
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
